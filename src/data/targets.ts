// Built-in target distributions: what the real data is drawn from when the user brings none. Each kind is
// one record below (its text syntax, defaults, validation, dimension, modes, sampling and format); adding
// a kind is adding a record (and its type to the unions) plus its test. The normal target with mean 0 and
// std 1 is the reference workload's data and draws exactly what it draws; the ring and the grid are the
// 2-D mixtures of the mode-collapse literature (Unrolled GAN, VEEGAN).
import type { Engine } from "../wasm/load.js";
import type { Modes } from "../metrics/modes.js";
import { OptionError } from "../errors.js";
import { parseDecimal } from "./decimal.js";
import type { Rng } from "./rng.js";
import { cos, sin } from "../metrics/math.js";

export interface NormalTarget {
  kind: "normal";
  mean: number;
  std: number;
}
export interface UniformTarget {
  kind: "uniform";
  a: number;
  b: number;
}
/** 1-D mixture of Gaussians; weights are relative (normalised to sum 1), equal when omitted. */
export interface MixtureTarget {
  kind: "mixture";
  means: number[];
  stds: number[];
  weights: number[];
}
/** `modes` Gaussians evenly spaced on a circle of `radius`, the first at (radius, 0). */
export interface RingTarget {
  kind: "ring";
  modes: number;
  radius: number;
  std: number;
}
/** size x size Gaussians on a square grid `spacing` apart, centred on the origin. */
export interface GridTarget {
  kind: "grid";
  size: number;
  spacing: number;
  std: number;
}

/** A validated target with every parameter filled in (mixture weights relative, 1 each when omitted). */
export type Target = NormalTarget | UniformTarget | MixtureTarget | RingTarget | GridTarget;
export type TargetKind = Target["kind"];

type SpecOf<T extends Target> = { kind: T["kind"] } & {
  [K in Exclude<keyof T, "kind">]?: T[K] extends number[] ? readonly number[] : T[K];
};
/** A target as the user gives it: any parameter may be left to its default (a mixture needs its means). */
export type TargetSpec =
  | SpecOf<NormalTarget>
  | SpecOf<UniformTarget>
  | (SpecOf<MixtureTarget> & { means: readonly number[] })
  | SpecOf<RingTarget>
  | SpecOf<GridTarget>;

interface Components extends Modes {
  centres: Float64Array;
  stds: Float64Array;
  weights: Float64Array;
}

/** Everything about one kind of target. */
interface TargetRecord<T extends Target> {
  /** The text form, as help and errors show it. */
  syntax: string;
  /** The defaults of omitted parameters. */
  defaults: Partial<Omit<T, "kind">>;
  /** Parameters in the order the text form lists them (absent: the kind reads its own text, as the mixture). */
  params?: readonly (keyof Omit<T, "kind"> & string)[];
  /** Reads the text after "kind:", or null when there is none (only kinds without `params`). */
  parse?(text: string | null, whole: string, option: string): Record<string, unknown>;
  /** Checks a spec and fills in the defaults; `field` names a parameter in errors (target.std). */
  validate(spec: Record<string, unknown>, field: (name: string) => string): T;
  dim: 1 | 2;
  /** The canonical text; parseTarget(format(t)) gives t back. */
  format(t: T): string;
  /** The target as a mixture of isotropic Gaussians (sampling, mode coverage); null if it has no modes. */
  components(t: T): Components | null;
  /** Draws directly with one kernel call, where the kind has one (else the mixture sampler runs). */
  draw?(t: T, rng: Rng, out: number, count: number): void;
}

const MAX_RING_MODES = 10000;
const MAX_GRID_SIZE = 100;
const MIXTURE_STD = 0.5;

// Field checks: each throws an OptionError naming target.<field>.
// Samples are float32: a parameter beyond its range would make every sample infinite.
const FLOAT32_MAX = 3.4028234663852886e38;
function finite(option: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new OptionError(option, v, "must be a finite number");
  return float32(option, v);
}
function positive(option: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new OptionError(option, v, "must be a number > 0");
  return float32(option, v);
}
function float32(option: string, v: number): number {
  if (Math.abs(v) > FLOAT32_MAX) throw new OptionError(option, v, "must be within float32's range (|x| <= 3.4e38)");
  return v;
}
function whole(option: string, v: unknown, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > max) {
    throw new OptionError(option, v, `must be a whole number in [1, ${max}]`);
  }
  return v;
}
function list(option: string, v: unknown, length: number | null): readonly unknown[] {
  if (!Array.isArray(v) || v.length === 0 || (length !== null && v.length !== length)) {
    throw new OptionError(
      option,
      v,
      length === null ? "must be a non-empty list of numbers" : `must be a list of ${length} numbers, one per mean`,
    );
  }
  return v;
}
function numberParam(option: string, text: string): number {
  const v = parseDecimal(text.trim());
  if (v === undefined) throw new OptionError(option, text.trim(), "must be a number");
  return v;
}
const single = (t: { mean: number; std: number }): Components => ({
  dim: 1,
  centres: Float64Array.of(t.mean),
  stds: Float64Array.of(t.std),
  weights: Float64Array.of(1),
});

const normal: TargetRecord<NormalTarget> = {
  syntax: "normal[:MEAN,STD]",
  defaults: { mean: 0, std: 1 },
  params: ["mean", "std"],
  validate: (s, field) => ({
    kind: "normal",
    mean: finite(field("mean"), s.mean ?? normal.defaults.mean),
    std: positive(field("std"), s.std ?? normal.defaults.std),
  }),
  dim: 1,
  format: (t) => `normal:${t.mean},${t.std}`,
  components: single,
  draw: (t, rng, out, count) => rng.normal(out, count, t.mean, t.std),
};

const uniform: TargetRecord<UniformTarget> = {
  syntax: "uniform[:A,B]",
  defaults: { a: -1, b: 1 },
  params: ["a", "b"],
  validate(s, field) {
    const a = finite(field("a"), s.a ?? uniform.defaults.a),
      b = finite(field("b"), s.b ?? uniform.defaults.b);
    if (!(b > a)) throw new OptionError(field("b"), b, `must be greater than a (${a})`);
    return { kind: "uniform", a, b };
  },
  dim: 1,
  format: (t) => `uniform:${t.a},${t.b}`,
  components: () => null,
  draw: (t, rng, out, count) => rng.uniform(out, count, t.a, t.b),
};

const mixture: TargetRecord<MixtureTarget> = {
  syntax: "mixture:MEAN[~STD][@WEIGHT],...",
  // stds: each component's default; weights: equal.
  defaults: {},
  // mixture:C1,C2,... with Ci = MEAN[~STD][@WEIGHT]; weights are relative, given to all or none.
  parse(text, whole, option) {
    if (text === null)
      throw new OptionError(option, whole, "a mixture needs its means, e.g. mixture:-2,2 or mixture:-2@0.3,2@0.7");
    const field = (name: string) => `${option}.${name}`;
    const means: number[] = [],
      stds: number[] = [],
      weights: number[] = [];
    text.split(",").forEach((component, i) => {
      const parts = /^([^~@]*)(?:~([^~@]*))?(?:@([^~@]*))?$/.exec(component.trim());
      if (!parts)
        throw new OptionError(
          field(`components[${i}]`),
          component.trim(),
          "must be MEAN[~STD][@WEIGHT], e.g. -2~0.5@0.3",
        );
      means.push(numberParam(field(`means[${i}]`), parts[1]!));
      stds.push(parts[2] === undefined ? MIXTURE_STD : numberParam(field(`stds[${i}]`), parts[2]));
      if (parts[3] !== undefined) weights.push(numberParam(field(`weights[${i}]`), parts[3]));
    });
    if (weights.length !== 0 && weights.length !== means.length) {
      throw new OptionError(field("weights"), whole, "give a @WEIGHT to every component or to none");
    }
    return { means, stds, ...(weights.length ? { weights } : {}) };
  },
  validate(s, field) {
    const means = list(field("means"), s.means, null).map((v, i) => finite(field(`means[${i}]`), v));
    const stds =
      s.stds === undefined
        ? means.map(() => MIXTURE_STD)
        : list(field("stds"), s.stds, means.length).map((v, i) => positive(field(`stds[${i}]`), v));
    let weights = means.map(() => 1);
    if (s.weights !== undefined) {
      weights = list(field("weights"), s.weights, means.length).map((v, i) => {
        if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
          throw new OptionError(field(`weights[${i}]`), v, "must be a number >= 0");
        return v;
      });
    }
    const total = weights.reduce((a, w) => a + w, 0);
    if (!(total > 0)) throw new OptionError(field("weights"), s.weights, "must have a positive sum");
    return { kind: "mixture", means, stds, weights };
  },
  dim: 1,
  format: (t) => `mixture:${t.means.map((m, i) => `${m}~${t.stds[i]}@${t.weights[i]}`).join(",")}`,
  components(t) {
    const total = t.weights.reduce((a, w) => a + w, 0);
    return {
      dim: 1,
      centres: Float64Array.from(t.means),
      stds: Float64Array.from(t.stds),
      weights: Float64Array.from(t.weights, (w) => w / total),
    };
  },
};

const ring: TargetRecord<RingTarget> = {
  syntax: "ring[:MODES,RADIUS,STD]",
  defaults: { modes: 8, radius: 2, std: 0.02 },
  params: ["modes", "radius", "std"],
  validate: (s, field) => ({
    kind: "ring",
    modes: whole(field("modes"), s.modes ?? ring.defaults.modes, MAX_RING_MODES),
    radius: positive(field("radius"), s.radius ?? ring.defaults.radius),
    std: positive(field("std"), s.std ?? ring.defaults.std),
  }),
  dim: 2,
  format: (t) => `ring:${t.modes},${t.radius},${t.std}`,
  components(t) {
    const centres = new Float64Array(2 * t.modes);
    for (let k = 0; k < t.modes; k++) {
      const angle = (2 * Math.PI * k) / t.modes;
      centres[2 * k] = t.radius * cos(angle); // our own cos and sin: the same centres on every engine
      centres[2 * k + 1] = t.radius * sin(angle);
    }
    return {
      dim: 2,
      centres,
      stds: new Float64Array(t.modes).fill(t.std),
      weights: new Float64Array(t.modes).fill(1 / t.modes),
    };
  },
};

const grid: TargetRecord<GridTarget> = {
  syntax: "grid[:SIZE,SPACING,STD]",
  defaults: { size: 5, spacing: 2, std: 0.05 },
  params: ["size", "spacing", "std"],
  validate: (s, field) => ({
    kind: "grid",
    size: whole(field("size"), s.size ?? grid.defaults.size, MAX_GRID_SIZE),
    spacing: positive(field("spacing"), s.spacing ?? grid.defaults.spacing),
    std: positive(field("std"), s.std ?? grid.defaults.std),
  }),
  dim: 2,
  format: (t) => `grid:${t.size},${t.spacing},${t.std}`,
  components(t) {
    const n = t.size * t.size,
      centres = new Float64Array(2 * n),
      half = (t.size - 1) / 2;
    for (let i = 0; i < t.size; i++) {
      for (let j = 0; j < t.size; j++) {
        centres[2 * (i * t.size + j)] = (i - half) * t.spacing;
        centres[2 * (i * t.size + j) + 1] = (j - half) * t.spacing;
      }
    }
    return { dim: 2, centres, stds: new Float64Array(n).fill(t.std), weights: new Float64Array(n).fill(1 / n) };
  },
};

/** Every kind of target, by name. */
export const TARGETS: { readonly [K in TargetKind]: TargetRecord<Extract<Target, { kind: K }>> } = {
  normal,
  uniform,
  mixture,
  ring,
  grid,
};
export const TARGET_KINDS = Object.keys(TARGETS) as readonly TargetKind[];

const record = (kind: TargetKind) => TARGETS[kind] as unknown as TargetRecord<Target>;

/** Every kind's text form, as help and errors list them. */
export const TARGET_SYNTAX = `${TARGET_KINDS.slice(0, -1)
  .map((k) => TARGETS[k].syntax)
  .join(", ")} or ${TARGETS[TARGET_KINDS.at(-1)!].syntax}`;

/**
 * Checks a target (which may come from JSON, hence `unknown`) and fills in its defaults. Throws an
 * OptionError naming the field (`target.std`, `target.means[1]`, ...), the value and what is allowed.
 */
export function validateTarget(spec: unknown, option = "target"): Target {
  if (typeof spec !== "object" || spec === null)
    throw new OptionError(option, spec, `must be an object with a kind: ${TARGET_KINDS.join(", ")}`);
  const s = spec as Record<string, unknown>;
  if (typeof s.kind !== "string" || !Object.hasOwn(TARGETS, s.kind))
    throw new OptionError(`${option}.kind`, s.kind, `must be one of ${TARGET_KINDS.join(", ")}`);
  return record(s.kind as TargetKind).validate(s, (name) => `${option}.${name}`);
}

/** Values per sample: 1 for normal, uniform and mixture; 2 for ring and grid. */
export function targetDim(spec: TargetSpec | Target): 1 | 2 {
  return record(spec.kind).dim;
}

/** The target's modes (centres and stds) for the mode-coverage metric; null for the uniform, which has none. */
export function targetModes(spec: TargetSpec | Target): Modes | null {
  const t = validateTarget(spec);
  const c = record(t.kind).components(t);
  return c && { dim: c.dim, centres: c.centres, stds: c.stds };
}

/**
 * Draws `count` samples of the target into linear memory at byte offset `out` ([count, targetDim]
 * floats), from `rng` (the data stream, Stream.data, by convention). A normal or uniform target is one
 * kernel call: `normal` with mean 0, std 1 is exactly the reference workload's `rng.normal(out, count, 0, 1)`.
 * A mixture first draws `count` uniforms that pick each row's mode by its weight (skipped when there is a
 * single mode), then `count * dim` standard normals that are scaled and shifted onto the mode.
 */
export function sampleTarget(spec: TargetSpec | Target, engine: Engine, rng: Rng, out: number, count: number): void {
  if (!Number.isInteger(count) || count < 0) throw new OptionError("count", count, "must be a whole number >= 0");
  const t = validateTarget(spec),
    kind = record(t.kind);
  if (kind.draw) return kind.draw(t, rng, out, count);
  const { dim, centres, stds, weights } = kind.components(t)!;
  const k = weights.length;

  let picks: Float32Array | null = null;
  if (k > 1) {
    rng.uniform(out, count, 0, 1);
    picks = engine.arena.read(out, count);
  }
  const cumulative = new Float64Array(k);
  let sum = 0,
    last = 0;
  for (let m = 0; m < k; m++) {
    sum += weights[m]!;
    cumulative[m] = sum;
    if (weights[m]! > 0) last = m;
  }

  rng.normal(out, count * dim, 0, 1);
  const f32 = engine.arena.f32,
    base = out >> 2;
  for (let i = 0; i < count; i++) {
    // The first mode whose cumulative weight exceeds u; rounding can leave the total a hair below 1.
    let m = 0;
    if (picks) {
      const u = picks[i]!;
      let lo = 0,
        hi = k;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > u) hi = mid;
        else lo = mid + 1;
      }
      m = lo < k ? lo : last;
    }
    for (let d = 0; d < dim; d++) {
      const at = base + i * dim + d;
      f32[at] = centres[m * dim + d]! + stds[m]! * f32[at]!;
    }
  }
}

/** `count` samples of the target as a new array, through a buffer reserved in the arena (for one-off use). */
export function drawTarget(spec: TargetSpec | Target, engine: Engine, rng: Rng, count: number): Float32Array {
  const size = count * targetDim(spec);
  const out = engine.arena.alloc(size);
  sampleTarget(spec, engine, rng, out, count);
  return engine.arena.read(out, size);
}

/**
 * Parses a target's text form into a validated Target: KIND[:PARAMETERS], as each kind's syntax says,
 * e.g. normal:0,1, uniform:-1,1, mixture:-2@0.3,2@0.7, mixture:-3~0.2,0~1,3~0.2, ring:16, grid.
 * Parameters left off at the end take their defaults. Errors are OptionErrors naming `option`.
 */
export function parseTarget(text: string, option = "target"): Target {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(":");
  const kind = (colon < 0 ? trimmed : trimmed.slice(0, colon)).trim();
  if (!Object.hasOwn(TARGETS, kind)) throw new OptionError(option, text, `must be ${TARGET_SYNTAX}`);
  const r = record(kind as TargetKind),
    rest = colon < 0 ? null : trimmed.slice(colon + 1);
  if (!r.params) return validateTarget({ kind, ...r.parse!(rest, text, option) }, option);
  const params = rest === null ? [] : rest.split(","),
    names = r.params as readonly string[];
  if (params.length > names.length) {
    throw new OptionError(
      option,
      text,
      `${kind} takes at most ${names.length} parameters: ${kind}:${names.map((f) => f.toUpperCase()).join(",")}`,
    );
  }
  const spec: Record<string, unknown> = { kind };
  params.forEach((p, i) => {
    spec[names[i]!] = numberParam(`${option}.${names[i]!}`, p);
  });
  return validateTarget(spec, option);
}

/** The canonical text of a target; parseTarget(formatTarget(t)) gives t back. */
export function formatTarget(spec: TargetSpec | Target): string {
  const t = validateTarget(spec);
  return record(t.kind).format(t);
}
