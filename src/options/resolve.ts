// The library's side of the schema: GANOptions' type, the defaults, and resolveOptions, which refuses
// anything the schema does not allow (unknown names, bad values, settings that contradict each other).
import { OptionError } from "../errors.js";
import { targetDim, type Target } from "../data/targets.js";
import type { OptimizerSpec } from "../optim/optimizer.js";
import { ENTRIES, SCHEMA, type OptionEntry, type OptionName, type SchemaEntry } from "./schema.js";

export { OptionError };

type EntryOf<N> = Extract<SchemaEntry, { name: N }>;
type InOf<N> = NonNullable<EntryOf<N>["type"]["__in"]>;
type OutOf<N> = ReturnType<EntryOf<N>["type"]["check"]>;
/** Options given as one field of another (gOptimizer.learningRate), and the options that hold them. */
type Nested = Extract<OptionName, `${string}.${string}`>;
type TopName = Exclude<OptionName, Nested>;
type Parent = Nested extends `${infer P}.${string}` ? P : never;

/** An optimizer as the caller gives it: any field may be left to its default. */
export type OptimizerOption = Partial<OptimizerSpec>;

/** Every option of a GAN (see SCHEMA for each one's meaning, default and range). */
export type GANOptions = { [K in Exclude<TopName, Parent>]?: InOf<K> } & { [K in Parent]?: OptimizerOption };

export type ResolvedOptions = {
  [K in Exclude<TopName, Parent | "data" | "batchSize" | "target" | "labels" | "sampleShape">]: OutOf<K>;
} & {
  [K in Parent]: OptimizerSpec;
} & {
  data: Float32Array | null;
  batchSize: number | null;
  target: Target;
  /** Label values per data row (a conditional GAN), or null. */
  labels: number[] | null;
  /** The shape of one sample: [dim] unless given. */
  sampleShape: number[];
};

const TOP = new Set(SCHEMA.map((e) => e.name.split(".")[0]!));
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

// The option names closest to a misspelt one (at most two edits away), for "did you mean".
// Names of earlier releases, now spelled another way.
const RENAMED: Readonly<Record<string, string>> = {
  gLearningRate: "gOptimizer.learningRate",
  dLearningRate: "dOptimizer.learningRate",
};

function closest(name: string): string | undefined {
  if (name in RENAMED) return RENAMED[name];
  const distance = (a: string, b: string) => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++)
        next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    return row[b.length]!;
  };
  let best: string | undefined,
    bestDistance = 3;
  for (const top of TOP) {
    const d = distance(name.toLowerCase(), top.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [top, d];
  }
  return best;
}

/**
 * Options as one value per schema entry: gOptimizer's learningRate becomes "gOptimizer.learningRate".
 * Refuses what is not an object of options and names that are none; undefined values count as not given.
 */
export function splitOptions(options: unknown): Map<string, unknown> {
  if (!isPlainObject(options))
    throw new OptionError("options", options, "must be an object of options, e.g. { epochs: 100 }");
  const values = new Map<string, unknown>();
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!TOP.has(key)) {
      const near = closest(key);
      throw new OptionError(key, value, `not an option${near ? `; did you mean ${near}?` : ""}`);
    }
    const fields = SCHEMA.filter((e) => e.name.startsWith(`${key}.`));
    if (fields.length && isPlainObject(value)) {
      const rest = { ...value };
      for (const f of fields) {
        const field = f.name.slice(key.length + 1);
        if (rest[field] !== undefined) values.set(f.name, rest[field]);
        delete rest[field];
      }
      if (Object.keys(rest).length) values.set(key, rest);
    } else {
      values.set(key, value);
    }
  }
  return values;
}

/** The inverse of splitOptions: one value per entry back into GANOptions' shape. */
export function joinOptions(values: ReadonlyMap<string, unknown>): GANOptions {
  const out: Record<string, unknown> = {};
  for (const [name, value] of values) {
    const [top, field] = name.split(".") as [string, string | undefined];
    if (field === undefined)
      out[top] = isPlainObject(value) && isPlainObject(out[top]) ? { ...value, ...out[top] } : value;
    else out[top] = { ...(isPlainObject(out[top]) ? out[top] : {}), [field]: value };
  }
  return out as GANOptions;
}

/** The first pair of given options that cannot go together, or an option given without the one it needs. */
export function clash(given: Iterable<string>): { name: string; other: string; allowed: string } | null {
  const names = new Set(given);
  for (const e of SCHEMA as readonly OptionEntry[]) {
    if (!names.has(e.name)) continue;
    for (const other of e.conflicts ?? [])
      if (names.has(other)) return { name: e.name, other, allowed: `cannot be combined with ${other}` };
    if (e.requires && !names.has(e.requires))
      return { name: e.name, other: e.requires, allowed: `only with ${e.requires}` };
  }
  return null;
}

/** Checks one value of an option; throws an OptionError naming `shownAs` (the option, or the flag given). */
export function checkOption(name: string, value: unknown, shownAs = name): unknown {
  const e = ENTRIES.get(name);
  if (!e) throw new OptionError(name, value, "not an option");
  return e.type.check(value, shownAs);
}

/** Reads one option from text (a flag, a form field, a URL parameter) and checks it. */
export function parseOption(name: string, text: string, shownAs = name): unknown {
  const e = ENTRIES.get(name);
  if (!e) throw new OptionError(name, text, "not an option");
  return e.type.check(e.type.parse(text, shownAs), shownAs);
}

/** Fills in the defaults and validates everything, naming the first bad option. */
export function resolveOptions(options: GANOptions = {}): ResolvedOptions {
  return resolveValues(splitOptions(options));
}

/** resolveOptions on values already split by entry (the CLI merges --config and flags this way). */
export function resolveValues(given: ReadonlyMap<string, unknown>): ResolvedOptions {
  const v: Record<string, unknown> = {};
  for (const e of SCHEMA as readonly OptionEntry[]) {
    // null is a value (a bad one), not an omission: only undefined, dropped by splitOptions, is.
    const value = given.has(e.name) ? given.get(e.name) : e.default;
    v[e.name] = value === undefined ? null : e.type.check(value, e.name);
  }
  const bad = clash(given.keys());
  if (bad) throw new OptionError(bad.name, given.get(bad.name), bad.allowed);

  const data = v.data as Float32Array | null;
  let dim = v.dim as number,
    samples = v.samples as number;
  if (data) {
    if (data.length === 0 || data.length % dim !== 0)
      throw new OptionError("data", `${data.length} values`, `must hold a whole number of rows of dim = ${dim} values`);
    samples = data.length / dim;
  } else {
    dim = targetDim(v.target as Target);
  }
  const labels = v.labels as number[] | null;
  if (labels && labels.length !== samples)
    throw new OptionError("labels", `${labels.length} labels`, `must hold one label per data row (${samples})`);
  const sampleShape = (v.sampleShape as number[] | null) ?? [dim];
  if (sampleShape.reduce((n, s) => n * s, 1) !== dim)
    throw new OptionError("sampleShape", sampleShape, `must be dimensions whose product is dim (${dim})`);
  // A batch count must leave every batch a row; with batchSize, batches plays no part.
  if (v.batchSize === null && (v.batches as number) > samples)
    throw new OptionError("batches", v.batches, `must be at most the number of samples (${samples})`);

  // Nested entries go back into their option: gOptimizer.learningRate into gOptimizer.
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(v)) {
    const [top, field] = name.split(".") as [string, string | undefined];
    out[top] = field === undefined ? value : { ...(out[top] as object), [field]: value };
  }
  return { ...out, dim, samples, sampleShape } as ResolvedOptions;
}

/** The defaults of every option: the Keras reference workload. */
export const DEFAULTS: Readonly<Omit<ResolvedOptions, "data" | "batchSize" | "labels">> = (() => {
  const { data: _data, batchSize: _batchSize, labels: _labels, ...rest } = resolveOptions();
  return rest;
})();
