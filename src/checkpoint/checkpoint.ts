import { type GAN, buildGAN } from "../train/gan.js";
import { resolveOptions, type GANOptions } from "../options/resolve.js";
import { validateTarget } from "../data/targets.js";
import type { WasmSource } from "../wasm/load.js";
import type { Optimizer } from "../optim/optimizer.js";
import { MAX_STEP } from "../optim/base.js";
import { OptionError, showValue } from "../errors.js";
import { decodeTensor, type EncodedTensor, encodeTensor, fnv1a } from "./tensor.js";

export const CHECKPOINT_FORMAT = "simdgan-checkpoint";
/** Version 2: each optimizer's learning rate lives in it (version 1 also stored gLearningRate and dLearningRate). */
export const CHECKPOINT_VERSION = 2;

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
  /** scalars: Adam's beta powers (absent in files written before they were saved; then replayed). */
  gOptimizer: { step: number; slots: EncodedTensor[]; scalars?: number[] };
  dOptimizer: { step: number; slots: EncodedTensor[]; scalars?: number[] };
  rng: number[];
  dataRng: number[];
  checksum: string;
}

/** A checkpoint that cannot be loaded: says what is wrong with it. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckpointError";
  }
}

const optimizerState = (o: Optimizer) => {
  const { step, slots, scalars } = o.getState();
  return { step, slots: slots.map((s) => encodeTensor(s)), ...(scalars ? { scalars } : {}) };
};

// Field checks of a parsed checkpoint: each refusal names the field, so a crafted file cannot reach the
// model with a value it was never written with (a step count of 1e12, say).
function field(ok: boolean, name: string, value: unknown, allowed: string): void {
  if (!ok) throw new CheckpointError(`invalid checkpoint field ${name}: ${showValue(value)} (${allowed})`);
}
const whole = (v: unknown, max: number) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max;

function checkFields(c: Checkpoint): void {
  field(whole(c.epoch, MAX_STEP), "epoch", c.epoch, `must be a whole number in [0, ${MAX_STEP}]`);
  field(
    !!c.options && typeof c.options === "object" && !Array.isArray(c.options),
    "options",
    c.options,
    "must be an object",
  );
  field(!!c.losses && typeof c.losses === "object", "losses", c.losses, "must be an object");
  for (const key of ["dLoss", "gLoss"] as const) {
    const v = c.losses[key];
    field(v === null || Number.isFinite(v), `losses.${key}`, v, "must be a finite number or null");
  }
  for (const key of ["rng", "dataRng"] as const) {
    const words = c[key];
    field(Array.isArray(words) && words.length === 16, key, words, "must be a list of 16 words");
    words.forEach((w, i) =>
      field(whole(w, 0xffffffff), `${key}[${i}]`, w, "must be a whole number in [0, 4294967295]"),
    );
  }
  for (const key of ["gOptimizer", "dOptimizer"] as const) {
    const o = c[key];
    field(!!o && typeof o === "object" && Array.isArray(o.slots), key, o, "must be { step, slots[, scalars] }");
    field(whole(o.step, MAX_STEP), `${key}.step`, o.step, `must be a whole number in [0, ${MAX_STEP}]`);
    const s = o.scalars;
    field(
      s === undefined || (Array.isArray(s) && s.every((v) => typeof v === "number" && v >= 0 && v <= 1)),
      `${key}.scalars`,
      s,
      "must be a list of numbers in [0, 1]",
    );
  }
  for (const key of ["generator", "discriminator"] as const)
    field(Array.isArray(c[key]), key, c[key], "must be a list of encoded tensors");
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

export function toCheckpoint(gan: GAN): Checkpoint {
  // The options as given: a batch size replaces the batch count, so only one of them is stored; a
  // conditional GAN's labels in the order its real rows are in now (shuffling moves them together).
  const { data: _data, batchSize, batches, labels, ...rest } = gan.options;
  const withLabels = labels === null ? rest : { ...rest, labels: gan.realLabels()! };
  const options = batchSize === null ? { ...withLabels, batches } : { ...withLabels, batchSize };
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
  if (c.version !== CHECKPOINT_VERSION && c.version !== 1)
    throw new CheckpointError(
      `checkpoint version ${JSON.stringify(c.version)} is not supported ` +
        `(this simdgan reads versions 1 and ${CHECKPOINT_VERSION})`,
    );
  const { checksum, ...body } = c;
  if (checksum !== fnv1a(JSON.stringify(body)))
    throw new CheckpointError("checkpoint checksum mismatch: the file was modified or corrupted");
  if (c.version === 1) {
    // Version 1 kept each learning rate twice, in gLearningRate and in gOptimizer.learningRate, which ruled.
    const { gLearningRate: _g, dLearningRate: _d, ...options } = c.options as Record<string, unknown>;
    const upgraded = { ...c, version: CHECKPOINT_VERSION, options } as Checkpoint;
    checkFields(upgraded);
    return upgraded;
  }
  checkFields(c as Checkpoint);
  return c as Checkpoint;
}

/** Rebuilds the GAN a checkpoint describes, ready to continue training. */
export async function fromCheckpoint(c: Checkpoint, wasm?: WasmSource): Promise<GAN> {
  checkFields(c);
  const at = (prefix: string) => (e: unknown) => {
    if (e instanceof OptionError) throw new CheckpointError(`invalid checkpoint field ${prefix}.${e.message.slice(8)}`);
    throw e;
  };
  try {
    const real = decodeTensor(c.real, "real data");
    // The real rows are stored, so the GAN is rebuilt on them; the target they were drawn from stays on
    // record (a mode-coverage report needs it), though data and a target cannot both be given.
    const { target, samples: _samples, ...options } = c.options as GANOptions;
    if (options.batchSize !== undefined) delete options.batches;
    const resolved = { ...resolveOptions({ ...options, data: real }), target: validateTarget(target) };
    const gan = await buildGAN(resolved, wasm);
    const weights = (key: "generator" | "discriminator") => {
      try {
        gan[key].setWeights(c[key].map((t, i) => decodeTensor(t, `${key} weight ${i}`)));
      } catch (e) {
        at(key)(e);
      }
    };
    weights("generator");
    weights("discriminator");
    for (const key of ["gOptimizer", "dOptimizer"] as const) {
      const o = c[key];
      try {
        gan[key].setState({
          step: o.step,
          slots: o.slots.map((t, i) => decodeTensor(t, `${key} slot ${i}`)),
          ...(o.scalars ? { scalars: o.scalars } : {}),
        });
      } catch (e) {
        at(key)(e);
      }
    }
    gan.rng.setState(c.rng);
    gan.dataRng.setState(c.dataRng);
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
