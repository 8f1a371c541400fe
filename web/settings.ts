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
  ...(e.type.choices && e.name === "loss" ? { choices: e.type.choices } : {}),
  inputMode: typeof e.default !== "number" ? "text" : Number.isInteger(e.default) ? "numeric" : "decimal",
}));

/** Every target the library offers, each with a preset: its defaults written out (a mixture has none). */
export const TARGET_PRESETS: Record<string, string> = Object.fromEntries(
  TARGET_KINDS.map((kind) => [kind, kind === "mixture" ? "mixture:-2,2" : formatTarget({ kind } as TargetSpec)]),
);

export type Values = Record<string, string>;

/** The reference workload's settings: each field's default, written as the field's text. */
export const SEED_VALUES: Values = Object.fromEntries(ENTRIES.map((e) => [e.name, e.type.format(e.default)]));

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
  // The ring and grid are there to test mode coverage, so their reports count the modes captured.
  if (targetDim(parsed.get("target") as TargetSpec) === 2) parsed.set("metrics", ["kl", "modes"]);
  const options = joinOptions(parsed);
  try {
    resolveOptions(options);
  } catch (error) {
    const name = error instanceof OptionError ? error.option : "";
    const field = FIELDS.find((f) => name === f.key || name.startsWith(`${f.key}.`) || name.startsWith(`${f.key}[`));
    errors.set(field ? field.key : "form", message(error));
    return { options: null, errors };
  }
  return { options, errors };
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
  return Object.fromEntries(FIELDS.map((f) => [f.key, given(f.key) ?? SEED_VALUES[f.key]!]));
}

/** Every field, in form order, so a link states the whole run. */
export function toQuery(values: Values): string {
  return new URLSearchParams(FIELDS.map((f) => [f.key, values[f.key] ?? ""])).toString();
}
