import { ACTIVATIONS, type ActivationSpec, resolveActivation } from "../model/activation.js";
import { OPTIMIZERS, type OptimizerSpec } from "../optim/optimizer.js";
import { LOSSES, type LossName } from "./losses.js";
import { OptionError } from "../errors.js";
import type { Threads } from "../wasm/load.js";
import { type Target, type TargetSpec, targetDim, validateTarget } from "../data/targets.js";

/** Metrics a report can carry besides the losses; the seed reports kl alone. */
export const METRICS = ["kl", "js", "w1", "ks", "moments", "modes"] as const;
export type MetricName = (typeof METRICS)[number];

/** Every option of a GAN; each defaults to the seed workload (shared/spec/seed-workload.md). */
export interface GANOptions {
  /** Seeds every random draw: data, initial weights, noise. */
  seed?: number;
  /** How many real samples to draw from `target` when no `data` is given. */
  samples?: number;
  /** The distribution to learn when no `data` is given: N(0, 1) in the seed. */
  target?: TargetSpec;
  /** The user's own real data, row-major [rows, dim]; overrides `samples`. */
  data?: ArrayLike<number>;
  /** Dimension of one sample with `data` (otherwise the target's); 1 for the seed. */
  dim?: number;
  epochs?: number;
  /** Mini-batches per epoch, the seed's way: consecutive slices, the last taking the remainder. */
  batches?: number;
  /** Rows per mini-batch instead of a batch count (the last batch takes what remains). */
  batchSize?: number;
  /** Reshuffle the real rows before every epoch (the seed keeps their order). */
  shuffle?: boolean;
  noiseDim?: number;
  /** Noise distribution: uniform on [-1, 1] (the seed) or standard normal. */
  noise?: "uniform" | "normal";
  gHidden?: readonly number[];
  dHidden?: readonly number[];
  gActivation?: ActivationSpec;
  dActivation?: ActivationSpec;
  gLearningRate?: number;
  dLearningRate?: number;
  /** Full optimizer choice; defaults to Adam at gLearningRate / dLearningRate. */
  gOptimizer?: OptimizerSpec;
  dOptimizer?: OptimizerSpec;
  /** Targets for real and fake rows (label smoothing): 0.9 and 0.1 in the seed. */
  realLabel?: number;
  fakeLabel?: number;
  /** The adversarial objective: the seed's minimax BCE, the non-saturating G loss, or least squares. */
  loss?: LossName;
  /** Discriminator updates per generator update, each on fresh noise. */
  dSteps?: number;
  /** Report every this many epochs (on epochs divisible by it, counting from 0). */
  logEvery?: number;
  /** Fake samples generated for each report's metrics. */
  evalSamples?: number;
  /** What each report measures besides the losses. */
  metrics?: readonly MetricName[];
  /**
   * Threads running the kernels: 1 (the default), N, or "auto" (the available cores). Kernel calls too
   * small to gain from it stay on one thread. Any count gives the same bits.
   */
  threads?: Threads;
}

// threads is not part of a model or its training (it changes no bit), so checkpoints do not carry it.
export type ResolvedOptions = Required<Omit<GANOptions, "data" | "batchSize" | "target" | "threads">> & {
  data: Float32Array | null;
  batchSize: number | null;
  target: Target;
};

export const DEFAULTS: Readonly<
  Required<Omit<GANOptions, "data" | "gOptimizer" | "dOptimizer" | "batchSize" | "threads">>
> = {
  seed: 1,
  samples: 1000,
  dim: 1,
  epochs: 1000,
  batches: 3,
  noiseDim: 16,
  noise: "uniform",
  gHidden: [32],
  dHidden: [32],
  gActivation: "relu",
  dActivation: "relu",
  gLearningRate: 0.0005,
  dLearningRate: 0.001,
  realLabel: 0.9,
  fakeLabel: 0.1,
  logEvery: 10,
  evalSamples: 1000,
  loss: "minimax",
  dSteps: 1,
  target: { kind: "normal", mean: 0, std: 1 },
  shuffle: false,
  metrics: ["kl"],
};

export { OptionError };

type Rule = { check: (v: number) => boolean; allowed: string };
const count: Rule = { check: (v) => Number.isInteger(v) && v >= 1, allowed: "must be a whole number >= 1" };
const positive: Rule = { check: (v) => Number.isFinite(v) && v > 0, allowed: "must be a number > 0" };
const label: Rule = { check: (v) => Number.isFinite(v) && v >= 0 && v <= 1, allowed: "must be a number in [0, 1]" };
const seedRule: Rule = {
  check: (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff,
  allowed: "must be a whole number in [0, 4294967295]",
};

/** The rule for each numeric option, shared by the library and the CLI's flag parsers. */
export const NUMERIC_RULES = {
  seed: seedRule,
  samples: count,
  dim: count,
  epochs: count,
  batches: count,
  noiseDim: count,
  gLearningRate: positive,
  dLearningRate: positive,
  realLabel: label,
  fakeLabel: label,
  logEvery: count,
  evalSamples: count,
  dSteps: count,
  batchSize: count,
} as const satisfies Record<string, Rule>;

export type NumericOption = keyof typeof NUMERIC_RULES;

export function checkNumber(option: NumericOption, value: unknown): number {
  const rule = NUMERIC_RULES[option];
  if (typeof value !== "number" || !rule.check(value)) throw new OptionError(option, value, rule.allowed);
  return value;
}

export function checkWidths(option: "gHidden" | "dHidden", value: unknown): readonly number[] {
  if (!Array.isArray(value) || value.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new OptionError(option, value, "must be a list of whole numbers >= 1, e.g. [32] or [64, 64]");
  }
  return value as number[];
}

function checkActivation(option: string, value: ActivationSpec): ActivationSpec {
  try {
    resolveActivation(value);
  } catch {
    throw new OptionError(option, value, `must be one of ${ACTIVATIONS.join(", ")}`);
  }
  return value;
}

function checkOptimizer(option: string, spec: OptimizerSpec): OptimizerSpec {
  if (!OPTIMIZERS.includes(spec.type))
    throw new OptionError(`${option}.type`, spec.type, `must be one of ${OPTIMIZERS.join(", ")}`);
  if (!positive.check(spec.learningRate))
    throw new OptionError(`${option}.learningRate`, spec.learningRate, positive.allowed);
  for (const [key, v] of Object.entries(spec)) {
    if (key === "type" || key === "learningRate" || v === undefined) continue;
    const ok =
      key === "epsilon" ? positive.check(v as number) : Number.isFinite(v) && (v as number) >= 0 && (v as number) < 1;
    if (!ok)
      throw new OptionError(`${option}.${key}`, v, key === "epsilon" ? positive.allowed : "must be a number in [0, 1)");
  }
  return spec;
}

export function checkThreads(value: unknown): Threads {
  if (value === "auto" || (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 256))
    return value as Threads;
  throw new OptionError("threads", value, 'must be "auto" or a whole number in [1, 256]');
}

/** Fills in the seed's defaults and validates everything, naming the first bad option. */
export function resolveOptions(options: GANOptions = {}): ResolvedOptions {
  const { threads, ...rest } = options;
  if (threads !== undefined) checkThreads(threads);
  const o = { ...DEFAULTS, ...rest };
  for (const key of Object.keys(NUMERIC_RULES) as NumericOption[]) if (key !== "batchSize") checkNumber(key, o[key]);
  checkWidths("gHidden", o.gHidden);
  checkWidths("dHidden", o.dHidden);
  checkActivation("gActivation", o.gActivation);
  checkActivation("dActivation", o.dActivation);
  if (o.noise !== "uniform" && o.noise !== "normal")
    throw new OptionError("noise", o.noise, "must be uniform or normal");
  if (!LOSSES.includes(o.loss)) throw new OptionError("loss", o.loss, `must be one of ${LOSSES.join(", ")}`);
  if (typeof o.shuffle !== "boolean") throw new OptionError("shuffle", o.shuffle, "must be true or false");
  if (!Array.isArray(o.metrics) || o.metrics.some((m) => !METRICS.includes(m))) {
    throw new OptionError("metrics", o.metrics, `must be a list of ${METRICS.join(", ")}`);
  }
  const batchSize = options.batchSize ?? null;
  if (batchSize !== null) checkNumber("batchSize", batchSize);
  const target = validateTarget(o.target);
  const dim = options.data === undefined ? targetDim(target) : o.dim;
  const gOptimizer = checkOptimizer(
    "gOptimizer",
    options.gOptimizer ?? { type: "adam", learningRate: o.gLearningRate },
  );
  const dOptimizer = checkOptimizer(
    "dOptimizer",
    options.dOptimizer ?? { type: "adam", learningRate: o.dLearningRate },
  );

  let data: Float32Array | null = null;
  let samples = o.samples;
  if (options.data !== undefined) {
    data = Float32Array.from(options.data);
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new OptionError(`data[${bad}]`, options.data[bad], "must be a finite number");
    if (data.length === 0 || data.length % dim !== 0) {
      throw new OptionError("data", `${data.length} values`, `must hold a whole number of rows of dim = ${dim} values`);
    }
    samples = data.length / dim;
  }
  if (o.batches > samples)
    throw new OptionError("batches", o.batches, `must be at most the number of samples (${samples})`);
  return { ...o, dim, samples, data, gOptimizer, dOptimizer, batchSize, target, metrics: [...o.metrics] };
}
