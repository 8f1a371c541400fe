// A trained classifier as JSON: its shape, the label values of its classes, its weights (exact, base64)
// and the test accuracy it reached, checksummed like a GAN checkpoint.
import { Classifier, type ClassifierSpec } from "../model/classifier.js";
import { createEngine, type WasmSource } from "../wasm/load.js";
import { CheckpointError } from "./checkpoint.js";
import { decodeTensor, type EncodedTensor, encodeTensor, fnv1a } from "./tensor.js";

export const CLASSIFIER_FORMAT = "simdgan-classifier";
export const CLASSIFIER_VERSION = 1;

export interface ClassifierFile {
  format: typeof CLASSIFIER_FORMAT;
  version: number;
  inputs: number;
  hidden: number[];
  classes: number[];
  /** The shape of one sample (e.g. [28, 28]), as read from the training data. */
  sampleShape: number[];
  /** Accuracy on the held-out rows, and how many there were. */
  testAccuracy: number;
  testRows: number;
  weights: EncodedTensor[];
  checksum: string;
}

export function classifierText(c: Classifier, sampleShape: number[], testAccuracy: number, testRows: number): string {
  const body = {
    format: CLASSIFIER_FORMAT,
    version: CLASSIFIER_VERSION,
    inputs: c.spec.inputs,
    hidden: [...c.spec.hidden],
    classes: [...c.spec.classes],
    sampleShape,
    testAccuracy,
    testRows,
    weights: c.mlp.getWeights().map((w) => encodeTensor(w)),
  };
  return JSON.stringify({ ...body, checksum: fnv1a(JSON.stringify(body)) });
}

/** Parses, verifies and rebuilds a classifier file; every way it can be damaged is a CheckpointError. */
export async function loadClassifier(
  text: string,
  wasm?: WasmSource,
): Promise<{ classifier: Classifier; file: ClassifierFile }> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CheckpointError("not a classifier file: the text is not valid JSON (truncated or corrupted?)");
  }
  const f = value as Partial<ClassifierFile> | null;
  if (!f || typeof f !== "object" || f.format !== CLASSIFIER_FORMAT)
    throw new CheckpointError(`not a simdgan classifier (format is ${JSON.stringify(f?.format)})`);
  if (f.version !== CLASSIFIER_VERSION)
    throw new CheckpointError(`classifier version ${JSON.stringify(f.version)} is not supported (this reads 1)`);
  const { checksum, ...body } = f;
  if (checksum !== fnv1a(JSON.stringify(body)))
    throw new CheckpointError("classifier checksum mismatch: the file was modified or corrupted");
  const file = f as ClassifierFile;
  try {
    const spec: ClassifierSpec = { inputs: file.inputs, hidden: file.hidden, classes: file.classes };
    const classifier = new Classifier(await createEngine(wasm), spec);
    classifier.mlp.setWeights(file.weights.map((t, i) => decodeTensor(t, `classifier weight ${i}`)));
    return { classifier, file };
  } catch (e) {
    throw new CheckpointError(`classifier file does not match its own model: ${(e as Error).message}`);
  }
}
