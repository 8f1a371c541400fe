// The page's settings: one text value per field, read from the form or the URL, checked with the
// library's own schema (the same parser and words as the CLI's flags), turned into GANOptions. The fields
// are the schema's entries that declare a page field. A link carries every field, so it reproduces a run.
import {
  DEFAULTS,
  OptionError,
  SCHEMA,
  TARGET_KINDS,
  formatTarget,
  joinOptions,
  parseOption,
  parseTarget,
  resolveOptions,
  targetDim,
  targetModes,
  type GANOptions,
  type OptionEntry,
  type PageField,
  type TargetSpec,
} from "simdgan";

export interface Field extends PageField {
  /** The option's name: the URL parameter and the key of its message. */
  key: string;
  /** The element's id (option names may hold a dot, which a CSS selector would misread). */
  id: string;
  /** The choices of a select; absent for a text input. */
  choices?: readonly string[];
  /** The keyboard a phone offers: whole numbers, decimals, or text. */
  inputMode: "numeric" | "decimal" | "text";
}

const ENTRIES = (SCHEMA as readonly OptionEntry[]).filter((e) => e.page !== undefined);

/** Every setting the page offers, in the schema's order. */
export const FIELDS: readonly Field[] = ENTRIES.map((e) => ({
  ...e.page!,
  key: e.name,
  id: e.name.replace(/\./g, "-"),
  ...(e.type.choices && e.page!.select ? { choices: e.type.choices } : {}),
  inputMode: typeof e.default !== "number" ? "text" : Number.isInteger(e.default) ? "numeric" : "decimal",
}));

/** Every target the library offers, each with a preset: its defaults written out (a mixture has none). */
export const TARGET_PRESETS: Record<string, string> = Object.fromEntries(
  TARGET_KINDS.map((kind) => [kind, kind === "mixture" ? "mixture:-2,2" : formatTarget({ kind } as TargetSpec)]),
);

export type Values = Record<string, string>;

/** The reference workload's settings: each field's default, written as the field's text. */
export const DEFAULT_VALUES: Values = Object.fromEntries(ENTRIES.map((e) => [e.name, e.type.format(e.default)]));

/**
 * What picking a target of the other dimension puts in the form: for 2-D, the README's mode-coverage
 * configuration (its batch size of 100 as 20 batches of 2000 samples); for 1-D, the defaults back.
 */
const MODE_COVERAGE: Values = {
  samples: "2000",
  batches: "20",
  gHidden: "64,64",
  dHidden: "64,64",
  "gOptimizer.learningRate": "0.001",
  "dOptimizer.learningRate": "0.001",
  loss: "non-saturating",
  realLabel: "1",
  fakeLabel: "0",
  metrics: "kl,modes",
};
export const DIM_DEFAULTS: Record<1 | 2, Values> = {
  1: Object.fromEntries(Object.keys(MODE_COVERAGE).map((key) => [key, DEFAULT_VALUES[key]!])),
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
  const target = (options.target ?? DEFAULTS.target) as TargetSpec,
    dim = targetDim(target);
  const modes = dim === 2 ? targetModes(target) : null;
  return { dim, modes: modes && modes.centres.length / modes.dim };
}

class FieldError extends Error {}

function parseField(field: Field, text: string): unknown {
  if (text.trim() === "") throw new FieldError("required");
  const value = parseOption(field.key, text.trim());
  const numbers = typeof value === "number" ? [value] : Array.isArray(value) ? (value as unknown[]) : [];
  if (field.maxItems !== undefined && numbers.length > field.maxItems)
    throw new FieldError(`at most ${field.maxItems} values on this page`);
  if (field.max !== undefined && numbers.some((v) => typeof v === "number" && v > field.max!))
    throw new FieldError(`must be at most ${field.max} on this page`);
  return value;
}

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
  const parsed = new Map<string, unknown>();
  for (const field of FIELDS) {
    try {
      parsed.set(field.key, parseField(field, values[field.key] ?? ""));
    } catch (error) {
      errors.set(field.key, message(error));
    }
  }
  if (errors.size) return { options: null, errors };
  const options = joinOptions(parsed);
  try {
    if (targetDim(options.target as TargetSpec) !== 2 && (options.metrics ?? []).includes("modes"))
      throw new OptionError("metrics", "modes", "modes are counted for the ring and grid targets only");
    resolveOptions(options);
    checkSize(options);
  } catch (error) {
    const name = error instanceof OptionError ? error.option : "";
    const field = FIELDS.find((f) => name === f.key || name.startsWith(`${f.key}.`) || name.startsWith(`${f.key}[`));
    errors.set(field ? field.key : "form", message(error));
    return { options: null, errors };
  }
  return { options, errors };
}

/** Fields a run can take while it runs (through its checkpoint): any other starts a new run. */
export const TUNABLE = [
  "gOptimizer",
  "gOptimizer.learningRate",
  "dOptimizer",
  "dOptimizer.learningRate",
  "loss",
  "realLabel",
  "fakeLabel",
];

/** The weights of each model: kernels and biases of every layer. */
function weights(o: GANOptions): { gHidden: number; dHidden: number } {
  const dim = targetDim((o.target ?? DEFAULTS.target) as TargetSpec);
  const count = (w: number[]) => w.slice(1).reduce((s, n, i) => s + (w[i]! + 1) * n, 0);
  return {
    gHidden: count([o.noiseDim ?? DEFAULTS.noiseDim, ...(o.gHidden ?? DEFAULTS.gHidden), dim]),
    dHidden: count([dim, ...(o.dHidden ?? DEFAULTS.dHidden), 1]),
  };
}
// Past this an epoch takes seconds (two layers of 1024 units: about 3 s) and the views lag behind.
const MAX_WEIGHTS = 1_200_000;

/** Refuses, beside the model's widths, a model too big to follow live on this page. */
function checkSize(o: GANOptions): void {
  for (const [key, n] of Object.entries(weights(o))) {
    if (n > MAX_WEIGHTS) {
      throw new OptionError(
        key,
        `${n} weights`,
        `this model has ${n.toLocaleString("en")} weights; the page allows ${MAX_WEIGHTS.toLocaleString("en")} ` +
          "(an epoch of a bigger one takes seconds): use fewer or narrower layers",
      );
    }
  }
}

/** The form's values for a run's options (a checkpoint's, say): each field's option, formatted. */
export function valuesOf(o: GANOptions): Values {
  const values: Values = { ...DEFAULT_VALUES };
  for (const e of ENTRIES) {
    const [name, part] = e.name.split(".") as [string, string | undefined];
    let v = (o as Record<string, unknown>)[name];
    if (part !== undefined) v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
    else if (v && typeof v === "object" && "learningRate" in v) {
      // The optimizer field holds its kind and parameters; its learning rate has a field of its own.
      const { learningRate: _rate, ...rest } = v as Record<string, unknown>;
      v = rest;
    }
    if (v !== undefined && v !== null) values[e.name] = e.type.format(v as never);
  }
  return values;
}

// Links made before each learning rate had one name still open the run they describe.
const FORMER_NAMES: Record<string, string> = {
  "gOptimizer.learningRate": "gLearningRate",
  "dOptimizer.learningRate": "dLearningRate",
};

/** Settings from a URL's query: the default of any field the link leaves out. */
export function fromQuery(search: string): Values {
  const query = new URLSearchParams(search);
  const given = (key: string) => query.get(key) ?? (FORMER_NAMES[key] ? query.get(FORMER_NAMES[key]) : null);
  return Object.fromEntries(FIELDS.map((f) => [f.key, given(f.key) ?? DEFAULT_VALUES[f.key]!]));
}

/** Every field, in form order, so a link states the whole run. */
export function toQuery(values: Values): string {
  return new URLSearchParams(FIELDS.map((f) => [f.key, values[f.key] ?? ""])).toString();
}
