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
export const TARGET_PRESETS: Record<string, string> = {
  ...Object.fromEntries(
    TARGET_KINDS.map((kind) => [kind, kind === "mixture" ? "mixture:-2,2" : formatTarget({ kind } as TargetSpec)]),
  ),
  mnist: "mnist:conditional",
};
/** What the target menu calls a preset, where that is not its kind. */
export const PRESET_LABELS: Record<string, string> = { mnist: "MNIST digits" };

export type Values = Record<string, string>;

/** The reference workload's settings: each field's default, written as the field's text. */
export const DEFAULT_VALUES: Values = Object.fromEntries(
  ENTRIES.map((e) => [e.name, e.default === undefined ? "" : e.type.format(e.default as never)]),
);

/**
 * The page's image target: the MNIST digits of assets/mnist/ (the first `rows` of them, which mix the
 * classes), conditional on their labels or not. It stands in the target field as mnist[:DIGITS][,conditional];
 * the worker fetches the digits and gives them to the library as `data` (and `labels`).
 */
export interface ImageTarget {
  kind: "mnist";
  rows: number;
  conditional: boolean;
}
export const MNIST_ROWS = 10_000;
export const MNIST_SHAPE = [28, 28] as const;
const MNIST_SYNTAX =
  `mnist[:DIGITS][,conditional] (the first DIGITS of the ${MNIST_ROWS.toLocaleString("en")}, ` + "all by default)";

/** The image target a target field names, null for the library's targets; a bad one is a FieldError. */
export function imageTarget(text: string): ImageTarget | null {
  const match = /^mnist(?::(\d+))?(?:(?:,|:)(conditional))?$/.exec(text.trim());
  if (!match) {
    if (/^mnist\b/i.test(text.trim())) throw new FieldError(`the MNIST target is written ${MNIST_SYNTAX}`);
    return null;
  }
  const rows = match[1] === undefined ? MNIST_ROWS : Number(match[1]);
  if (!(rows >= 1 && rows <= MNIST_ROWS))
    throw new FieldError(`the MNIST target takes 1 to ${MNIST_ROWS.toLocaleString("en")} digits, not ${match[1]}`);
  return { kind: "mnist", rows, conditional: match[2] !== undefined };
}

/**
 * What picking a target of another kind of data puts in the form: for 2-D, the README's mode-coverage
 * configuration (its batch size of 100 as 20 batches of 2000 samples); for digits, examples/mnist's
 * (a report every epoch, as an epoch of 10,000 digits takes seconds); for 1-D, the defaults back.
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
const DIGITS: Values = {
  batches: "",
  batchSize: "64",
  shuffle: "true",
  noiseDim: "100",
  noise: "normal",
  gHidden: "256,512",
  dHidden: "512,256",
  gActivation: "leaky_relu:0.2",
  dActivation: "leaky_relu:0.2",
  gOutputActivation: "tanh",
  gOptimizer: "adam:beta1=0.5",
  "gOptimizer.learningRate": "0.001",
  dOptimizer: "adam:beta1=0.5",
  "dOptimizer.learningRate": "0.001",
  loss: "non-saturating",
  realLabel: "1",
  fakeLabel: "0",
  logEvery: "1",
  metrics: "images",
};
/** The kind of data a target holds: 1-D, 2-D or images. */
export type DataKind = 1 | 2 | "image";
const KIND_SETTINGS: Record<DataKind, Values> = { 1: {}, 2: MODE_COVERAGE, image: DIGITS };
/** Every field a kind of data sets: its own value, or the default where another kind set one. */
export const DIM_DEFAULTS = Object.fromEntries(
  ([1, 2, "image"] as const).map((kind) => [
    kind,
    Object.fromEntries(
      [...new Set(Object.values(KIND_SETTINGS).flatMap(Object.keys))].map((key) => [
        key,
        KIND_SETTINGS[kind][key] ?? DEFAULT_VALUES[key]!,
      ]),
    ),
  ]),
) as Record<DataKind, Values>;

/** The kind of data of a target string, or null when it does not parse. */
export function dimOf(target: string): DataKind | null {
  try {
    return imageTarget(target) ? "image" : (targetDim(parseTarget(target)) as 1 | 2);
  } catch {
    return null;
  }
}

/**
 * How a run's views are laid out: its kind of data, the modes of a ring or grid target, and for digits
 * whether the grid has a row per class.
 */
export interface Layout {
  dim: DataKind;
  modes: number | null;
  conditional?: boolean;
}

export function layoutOf(options: GANOptions, image: ImageTarget | null = null): Layout {
  if (image) return { dim: "image", modes: null, conditional: image.conditional };
  const target = (options.target ?? DEFAULTS.target) as TargetSpec,
    dim = targetDim(target) as 1 | 2;
  const modes = dim === 2 ? targetModes(target) : null;
  return { dim, modes: modes && modes.centres.length / modes.dim };
}

class FieldError extends Error {}

/** Fields that may be left empty: an option that is off unless given (the batch size). */
const OPTIONAL = new Set(ENTRIES.filter((e) => e.default === undefined).map((e) => e.name));
/** Options another one takes over (the batch count, when a batch size is given): empty then, not required. */
const TAKEN_OVER = new Map(ENTRIES.flatMap((e) => (e.conflicts ?? []).map((other) => [other, e.name] as const)));

function parseField(field: Field, text: string, values: Values): unknown {
  if (text.trim() === "") {
    const over = TAKEN_OVER.get(field.key);
    if (OPTIONAL.has(field.key) || (over !== undefined && (values[over] ?? "").trim() !== "")) return undefined;
    throw new FieldError("required");
  }
  if (field.key === "target" && imageTarget(text)) return text.trim();
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
  /** Set when every field is valid: the library's options (for digits, all but the data the worker adds). */
  options: GANOptions | null;
  /** Set when the target is the digits. */
  image: ImageTarget | null;
  /** A message for each field that is not, by key; "form" for a clash between fields. */
  errors: Map<string, string>;
}

/** Checks every field on its own, then the combination (e.g. batches <= samples), with the library's rules. */
export function check(values: Values): Checked {
  const errors = new Map<string, string>();
  const parsed = new Map<string, unknown>();
  let image: ImageTarget | null = null;
  for (const field of FIELDS) {
    try {
      const value = parseField(field, values[field.key] ?? "", values);
      if (field.key === "target") image = imageTarget(values.target ?? "");
      if (value !== undefined) parsed.set(field.key, value);
    } catch (error) {
      errors.set(field.key, message(error));
    }
  }
  if (image) errors.delete("samples"); // not asked for: the digits' count is the target's
  if (errors.size) return { options: null, image: null, errors };
  if (image) {
    // The digits are the data: no target to draw, and their count is the target's.
    parsed.delete("target");
    parsed.delete("samples");
  }
  const options = joinOptions(parsed);
  try {
    const metrics = options.metrics ?? [];
    if (image && metrics.some((m) => m !== "images"))
      throw new OptionError("metrics", metrics.join(","), "the MNIST digits are measured by images alone");
    if (!image && metrics.includes("images"))
      throw new OptionError("metrics", "images", "images are measured for the MNIST digits only");
    if (!image && targetDim(options.target as TargetSpec) !== 2 && metrics.includes("modes"))
      throw new OptionError("metrics", "modes", "modes are counted for the ring and grid targets only");
    resolveOptions(image ? standIn(options, image) : options);
    checkSize(options, image);
  } catch (error) {
    const name = error instanceof OptionError ? error.option : "";
    // A clash with the stand-in data is about the digits: the target field.
    const key = name === "data" || name === "labels" ? "target" : name;
    const field = FIELDS.find((f) => key === f.key || key.startsWith(`${f.key}.`) || key.startsWith(`${f.key}[`));
    errors.set(field ? field.key : "form", message(error));
    return { options: null, image: null, errors };
  }
  return { options, image, errors };
}

// The digits' shape without their values, for checking the options against them: one value a row, and
// labels of ten classes when conditional (every class is among the first digits: any prefix mixes them).
function standIn(options: GANOptions, image: ImageTarget): GANOptions {
  return {
    ...options,
    data: new Float32Array(image.rows),
    dim: 1,
    ...(image.conditional && { labels: Array.from({ length: image.rows }, (_, i) => i % 10) }),
  };
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
function weights(o: GANOptions, image: ImageTarget | null): { gHidden: number; dHidden: number } {
  const dim = image ? MNIST_SHAPE[0] * MNIST_SHAPE[1] : targetDim((o.target ?? DEFAULTS.target) as TargetSpec);
  const classes = image?.conditional ? 10 : 0; // the one-hot label joins G's noise and D's input
  const count = (w: number[]) => w.slice(1).reduce((s, n, i) => s + (w[i]! + 1) * n, 0);
  return {
    gHidden: count([(o.noiseDim ?? DEFAULTS.noiseDim) + classes, ...(o.gHidden ?? DEFAULTS.gHidden), dim]),
    dHidden: count([dim + classes, ...(o.dHidden ?? DEFAULTS.dHidden), 1]),
  };
}
// Past this an epoch takes seconds (two layers of 1024 units: about 3 s) and the views lag behind.
const MAX_WEIGHTS = 1_200_000;

/** Refuses, beside the model's widths, a model too big to follow live on this page. */
function checkSize(o: GANOptions, image: ImageTarget | null): void {
  for (const [key, n] of Object.entries(weights(o, image))) {
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
  // A resolved run holds every default: the batch count as well as the batch size that takes over from it.
  for (const [over, by] of TAKEN_OVER) if (values[by] !== "" && over in values) values[over] = "";
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
