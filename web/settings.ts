// The page's settings: one text value per field, read from the form or the URL, checked with the
// library's own rules, turned into GANOptions. A link carries every field, so it reproduces a run exactly.
import {
  DEFAULTS,
  METRICS,
  OptionError,
  TARGET_KINDS,
  checkNumber,
  formatTarget,
  parseTarget,
  resolveOptions,
  targetDim,
  targetModes,
  type GANOptions,
  type LossName,
  type NumericOption,
  type TargetSpec,
} from "simdgan";

type Kind = "number" | "widths" | "target" | "loss" | "optimizer" | "noise" | "metrics";
export interface Field {
  key: string;
  label: string;
  kind: Kind;
  option?: NumericOption;
  max?: number;
}

/** Every setting in form order; `key` is the GANOptions name and the URL parameter. */
export const FIELDS: readonly Field[] = [
  { key: "target", label: "target distribution", kind: "target" },
  { key: "samples", label: "real samples", kind: "number", option: "samples", max: 100_000 },
  { key: "batches", label: "batches per epoch", kind: "number", option: "batches" },
  { key: "noiseDim", label: "noise dim", kind: "number", option: "noiseDim", max: 1024 },
  { key: "gHidden", label: "G hidden widths", kind: "widths" },
  { key: "dHidden", label: "D hidden widths", kind: "widths" },
  { key: "noise", label: "noise", kind: "noise" },
  { key: "gLearningRate", label: "G learning rate", kind: "number", option: "gLearningRate" },
  { key: "dLearningRate", label: "D learning rate", kind: "number", option: "dLearningRate" },
  { key: "gOptimizer", label: "G optimizer", kind: "optimizer" },
  { key: "dOptimizer", label: "D optimizer", kind: "optimizer" },
  { key: "dSteps", label: "D steps per G step", kind: "number", option: "dSteps", max: 100 },
  { key: "realLabel", label: "real label", kind: "number", option: "realLabel" },
  { key: "fakeLabel", label: "fake label", kind: "number", option: "fakeLabel" },
  { key: "loss", label: "loss", kind: "loss" },
  { key: "metrics", label: "metrics", kind: "metrics" },
  { key: "seed", label: "seed", kind: "number", option: "seed" },
];

/** Fields a run can take while it runs (through its checkpoint): the rest start a new run. */
export const TUNABLE = ["gLearningRate", "dLearningRate", "gOptimizer", "dOptimizer", "loss", "realLabel", "fakeLabel"];

/** Each optimizer's parameters, as the CLI spells them: adam:beta1=0.5,beta2=0.99. */
export const OPTIMIZER_PARAMS: Record<string, readonly string[]> = {
  adam: ["beta1", "beta2", "epsilon"],
  rmsprop: ["rho", "momentum", "epsilon"],
  sgd: ["momentum"],
};

/** Every target the library offers, each with a preset: its defaults written out (a mixture has none). */
export const TARGET_PRESETS: Record<string, string> = Object.fromEntries(
  TARGET_KINDS.map((kind) => [kind, kind === "mixture" ? "mixture:-2,2" : formatTarget({ kind })]),
);

export const LOSSES = ["minimax", "non-saturating", "lsgan"] as const satisfies readonly LossName[];

const MAX_WIDTH = 1024,
  MAX_LAYERS = 8;

export type Values = Record<string, string>;

/** The seed workload's settings. */
export const SEED_VALUES: Values = {
  target: "normal:0,1",
  samples: String(DEFAULTS.samples),
  batches: String(DEFAULTS.batches),
  noiseDim: String(DEFAULTS.noiseDim),
  gHidden: DEFAULTS.gHidden.join(","),
  dHidden: DEFAULTS.dHidden.join(","),
  gLearningRate: String(DEFAULTS.gLearningRate),
  dLearningRate: String(DEFAULTS.dLearningRate),
  realLabel: String(DEFAULTS.realLabel),
  fakeLabel: String(DEFAULTS.fakeLabel),
  loss: DEFAULTS.loss,
  seed: String(DEFAULTS.seed),
  noise: DEFAULTS.noise,
  gOptimizer: "adam",
  dOptimizer: "adam",
  dSteps: String(DEFAULTS.dSteps),
  metrics: DEFAULTS.metrics.join(","),
};

/**
 * What picking a target of the other dimension puts in the form: for 2-D, the README's mode-coverage
 * configuration (its batch size of 100 as 20 batches of 2000 samples); for 1-D, the seed's values back.
 */
const MODE_COVERAGE: Values = {
  samples: "2000",
  batches: "20",
  gHidden: "64,64",
  dHidden: "64,64",
  gLearningRate: "0.001",
  dLearningRate: "0.001",
  loss: "non-saturating",
  realLabel: "1",
  fakeLabel: "0",
  metrics: "kl,modes",
};
export const DIM_DEFAULTS: Record<1 | 2, Values> = {
  1: Object.fromEntries(Object.keys(MODE_COVERAGE).map((key) => [key, SEED_VALUES[key]!])),
  2: MODE_COVERAGE,
};

/** The dimension of a target string, or null when it does not parse. */
export function dimOf(target: string): 1 | 2 | null {
  try {
    return targetDim(parseTarget(target));
  } catch {
    return null;
  }
}

/** How a run's views are laid out: its data's dimension, and the modes of a ring or grid target. */
export interface Layout {
  dim: 1 | 2;
  modes: number | null;
}

export function layoutOf(options: GANOptions): Layout {
  const target = options.target ?? DEFAULTS.target,
    dim = targetDim(target);
  const modes = dim === 2 ? targetModes(target) : null;
  return { dim, modes: modes && modes.centres.length / modes.dim };
}

// Plain decimals only: Number() would also take "", "0x10" and " 1 ".
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

class FieldError extends Error {}

function number(text: string): number {
  if (!DECIMAL.test(text)) throw new FieldError("must be a number");
  return Number(text);
}

function parseField(field: Field, text: string): unknown {
  if (text.trim() === "") throw new FieldError("required");
  switch (field.kind) {
    case "number": {
      const v = checkNumber(field.option!, number(text.trim()));
      if (field.max !== undefined && v > field.max) throw new FieldError(`must be at most ${field.max} on this page`);
      return v;
    }
    case "widths": {
      const widths = text.split(",").map((w) => number(w.trim()));
      resolveOptions({ [field.key]: widths });
      if (widths.length > MAX_LAYERS || widths.some((w) => w > MAX_WIDTH)) {
        throw new FieldError(`at most ${MAX_LAYERS} layers of at most ${MAX_WIDTH} units on this page`);
      }
      return widths;
    }
    case "target":
      return parseTarget(text);
    case "loss":
      if (!(LOSSES as readonly string[]).includes(text)) throw new FieldError(`must be one of ${LOSSES.join(", ")}`);
      return text;
    case "noise":
      if (text !== "uniform" && text !== "normal") throw new FieldError("must be uniform or normal");
      return text;
    case "metrics": {
      const list = text.split(",").map((m) => m.trim());
      if (list.some((m) => !(METRICS as readonly string[]).includes(m)))
        throw new FieldError(`a list of ${METRICS.join(", ")}`);
      return list;
    }
    case "optimizer":
      return optimizer(text.trim());
  }
}

function optimizer(text: string): Record<string, unknown> {
  const [type = "", params = ""] = text.split(":", 2);
  const known = OPTIMIZER_PARAMS[type];
  if (!known) throw new FieldError("adam, rmsprop or sgd, optionally with parameters: sgd:momentum=0.9");
  const spec: Record<string, unknown> = { type };
  for (const pair of params ? params.split(",") : []) {
    const [key = "", value = ""] = pair.split("=", 2).map((p) => p.trim());
    if (!known.includes(key) || !DECIMAL.test(value))
      throw new FieldError(`${type} takes ${known.map((k) => `${k}=<number>`).join(", ")}`);
    spec[key] = Number(value);
  }
  return spec;
}

/** The weights of each model: kernels and biases of every layer. */
function weights(o: Record<string, unknown>): { gHidden: number; dHidden: number } {
  const dim = targetDim(o.target as TargetSpec);
  const count = (w: number[]) => w.slice(1).reduce((s, n, i) => s + (w[i]! + 1) * n, 0);
  return {
    gHidden: count([o.noiseDim as number, ...(o.gHidden as number[]), dim]),
    dHidden: count([dim, ...(o.dHidden as number[]), 1]),
  };
}
// Past this an epoch takes seconds (two layers of 1024 units: about 3 s) and the views lag behind.
const MAX_WEIGHTS = 1_200_000;

function message(error: unknown): string {
  if (error instanceof OptionError) return error.allowed;
  if (error instanceof FieldError) return error.message;
  throw error;
}

export interface Checked {
  /** Set when every field is valid. */
  options: GANOptions | null;
  /** A message for each field that is not, by key; "form" for a clash between fields. */
  errors: Map<string, string>;
}

/** Checks every field on its own, then the combination (e.g. batches <= samples), with the library's rules. */
export function check(values: Values): Checked {
  const errors = new Map<string, string>();
  const options: Record<string, unknown> = {};
  for (const field of FIELDS) {
    try {
      options[field.key] = parseField(field, values[field.key] ?? "");
    } catch (error) {
      errors.set(field.key, message(error));
    }
  }
  if (errors.size) return { options: null, errors };
  try {
    // The ring and grid are there to test mode coverage, so their reports count the modes captured.
    // An optimizer field names the kind and its parameters; its learning rate has a field of its own.
    for (const side of ["g", "d"] as const) {
      options[`${side}Optimizer`] = {
        ...(options[`${side}Optimizer`] as object),
        learningRate: options[`${side}LearningRate`],
      };
    }
    const metrics = options.metrics as string[];
    if (targetDim(options.target as TargetSpec) !== 2 && metrics.includes("modes"))
      throw new OptionError("metrics", metrics.join(","), "modes are counted for the ring and grid targets only");
    resolveOptions(options as GANOptions);
    for (const [key, n] of Object.entries(weights(options))) {
      if (n > MAX_WEIGHTS) {
        throw new OptionError(
          key,
          `${n} weights`,
          `this model has ${n.toLocaleString("en")} weights; the page allows ${MAX_WEIGHTS.toLocaleString("en")} ` +
            "(an epoch of a bigger one takes seconds): use fewer or narrower layers",
        );
      }
    }
  } catch (error) {
    const key = error instanceof OptionError ? error.option.split(/[.[]/)[0]! : "";
    errors.set(FIELDS.some((f) => f.key === key) ? key : "form", message(error));
    return { options: null, errors };
  }
  return { options: options as GANOptions, errors };
}

/** Settings from a URL's query: the seed's value for any field the link leaves out. */
export function fromQuery(search: string): Values {
  const query = new URLSearchParams(search);
  return Object.fromEntries(FIELDS.map((f) => [f.key, query.get(f.key) ?? SEED_VALUES[f.key]!]));
}

/** Every field, in form order, so a link states the whole run. */
export function toQuery(values: Values): string {
  return new URLSearchParams(FIELDS.map((f) => [f.key, values[f.key] ?? ""])).toString();
}

/** The form's values for a run's options (a checkpoint's, say): the inverse of check. */
export function valuesOf(o: GANOptions): Values {
  const values: Values = { ...SEED_VALUES };
  const put = (key: string, v: unknown) => {
    if (v !== undefined && v !== null) values[key] = String(v);
  };
  if (o.target) values.target = formatTarget(o.target);
  for (const key of ["samples", "batches", "noiseDim", "gLearningRate", "dLearningRate", "realLabel", "fakeLabel"])
    put(key, o[key as keyof GANOptions]);
  for (const key of ["loss", "noise", "seed", "dSteps"]) put(key, o[key as keyof GANOptions]);
  if (o.gHidden) values.gHidden = o.gHidden.join(",");
  if (o.dHidden) values.dHidden = o.dHidden.join(",");
  if (o.metrics) values.metrics = o.metrics.join(",");
  for (const side of ["g", "d"] as const) {
    const spec = o[`${side}Optimizer`] as (Record<string, unknown> & { type: string }) | undefined;
    if (!spec) continue;
    put(`${side}LearningRate`, spec.learningRate);
    const params = (OPTIMIZER_PARAMS[spec.type] ?? []).filter((k) => spec[k] !== undefined);
    values[`${side}Optimizer`] = params.length
      ? `${spec.type}:${params.map((k) => `${k}=${spec[k]}`).join(",")}`
      : spec.type;
  }
  return values;
}
