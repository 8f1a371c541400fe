import { GAN, createGAN } from "../train/gan.js";
import type { GANOptions } from "../train/options.js";
import type { WasmSource } from "../wasm/load.js";
import type { Optimizer } from "../optim/optimizer.js";
import { decodeTensor, type EncodedTensor, encodeTensor, fnv1a } from "./tensor.js";

export const CHECKPOINT_FORMAT = "simdgan-checkpoint";
export const CHECKPOINT_VERSION = 1;

/** A GAN's whole training state: resuming from it continues bit-identically to a run never interrupted. */
export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  options: Omit<GANOptions, "data">;
  epoch: number;
  losses: { dLoss: number | null; gLoss: number | null };
  real: EncodedTensor;
  generator: EncodedTensor[];
  discriminator: EncodedTensor[];
  gOptimizer: { step: number; slots: EncodedTensor[] };
  dOptimizer: { step: number; slots: EncodedTensor[] };
  rng: number[];
  dataRng: number[];
  checksum: string;
}

/** A checkpoint that cannot be loaded (or taken): says what is wrong. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckpointError";
  }
}

const optimizerState = (o: Optimizer) => {
  const { step, slots } = o.getState();
  return { step, slots: slots.map((s) => encodeTensor(s)) };
};

const finite = (x: number) => (Number.isFinite(x) ? x : null);

export function toCheckpoint(gan: GAN): Checkpoint {
  if (gan.inEpoch)
    throw new CheckpointError(
      `a checkpoint is taken between epochs: epoch ${gan.epoch} is part-way (stepD / stepG); ` +
        "train({ epochs: 1 }) finishes it",
    );
  const { data: _data, batchSize, ...rest } = gan.options;
  const options = batchSize === null ? rest : { ...rest, batchSize };
  const o = gan.options;
  const body = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    options,
    epoch: gan.epoch,
    losses: { dLoss: finite(gan.dLoss), gLoss: finite(gan.gLoss) },
    real: encodeTensor(gan.realData(), [o.samples, o.dim]),
    generator: gan.generator.getWeights().map((w) => encodeTensor(w)),
    discriminator: gan.discriminator.getWeights().map((w) => encodeTensor(w)),
    gOptimizer: optimizerState(gan.gOptimizer),
    dOptimizer: optimizerState(gan.dOptimizer),
    rng: Array.from(gan.rng.getState()),
    dataRng: Array.from(gan.dataRng.getState()),
  } as const;
  return { ...body, checksum: fnv1a(JSON.stringify(body)) };
}

/** Serialises a checkpoint as JSON text. */
export function checkpointText(gan: GAN): string {
  return JSON.stringify(toCheckpoint(gan));
}

/** Parses and verifies checkpoint text; every way it can be damaged is a CheckpointError. */
export function parseCheckpoint(text: string): Checkpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CheckpointError("not a checkpoint: the file is not valid JSON (truncated or corrupted?)");
  }
  const c = value as Partial<Checkpoint> | null;
  if (!c || typeof c !== "object" || c.format !== CHECKPOINT_FORMAT)
    throw new CheckpointError(`not a simdgan checkpoint (format is ${JSON.stringify(c?.format)})`);
  if (c.version !== CHECKPOINT_VERSION)
    throw new CheckpointError(
      `checkpoint version ${JSON.stringify(c.version)} is not supported (this simdgan reads version ${CHECKPOINT_VERSION})`,
    );
  const { checksum, ...body } = c;
  if (checksum !== fnv1a(JSON.stringify(body)))
    throw new CheckpointError("checkpoint checksum mismatch: the file was modified or corrupted");
  return c as Checkpoint;
}

/** Rebuilds the GAN a checkpoint describes, ready to continue training. */
export async function fromCheckpoint(c: Checkpoint, wasm?: WasmSource): Promise<GAN> {
  try {
    const real = decodeTensor(c.real, "real data");
    const gan = await createGAN({ ...c.options, data: real }, wasm);
    gan.generator.setWeights(c.generator.map((t, i) => decodeTensor(t, `generator weight ${i}`)));
    gan.discriminator.setWeights(c.discriminator.map((t, i) => decodeTensor(t, `discriminator weight ${i}`)));
    gan.gOptimizer.setState({
      step: c.gOptimizer.step,
      slots: c.gOptimizer.slots.map((t, i) => decodeTensor(t, `generator optimizer slot ${i}`)),
    });
    gan.dOptimizer.setState({
      step: c.dOptimizer.step,
      slots: c.dOptimizer.slots.map((t, i) => decodeTensor(t, `discriminator optimizer slot ${i}`)),
    });
    gan.rng.setState(c.rng);
    gan.dataRng.setState(c.dataRng);
    if (!Number.isInteger(c.epoch) || c.epoch < 0)
      throw new RangeError(`epoch must be a whole number >= 0, got ${c.epoch}`);
    gan.epoch = c.epoch;
    gan.dLoss = c.losses?.dLoss ?? NaN;
    gan.gLoss = c.losses?.gLoss ?? NaN;
    return gan;
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    throw new CheckpointError(`checkpoint does not match its own model: ${(e as Error).message}`);
  }
}

/** Parses, verifies and restores in one call. */
export async function loadCheckpoint(text: string, wasm?: WasmSource): Promise<GAN> {
  return fromCheckpoint(parseCheckpoint(text), wasm);
}
