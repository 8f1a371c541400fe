// Built-in target distributions: what the real data is drawn from when the user brings none. The normal
// target with mean 0 and std 1 is the seed's data and draws exactly what the seed draws; the ring and
// the grid are the 2-D mixtures of the mode-collapse literature (Unrolled GAN, VEEGAN).
import type { Engine } from "../wasm/load.js";
import type { Modes } from "../metrics/modes.js";
import { OptionError } from "../errors.js";
import { parseDecimal } from "./decimal.js";
import type { Rng } from "./rng.js";
import { cos, sin } from "../metrics/math.js";

/** A target as the user gives it; omitted parameters take the defaults in TARGET_DEFAULTS. */
export type TargetSpec =
  | { kind: "normal"; mean?: number; std?: number }
  | { kind: "uniform"; a?: number; b?: number }
  /** 1-D mixture of Gaussians; weights are relative (normalised to sum 1), equal when omitted. */
  | { kind: "mixture"; means: readonly number[]; stds?: readonly number[]; weights?: readonly number[] }
  /** `modes` Gaussians evenly spaced on a circle of `radius`, the first at (radius, 0). */
  | { kind: "ring"; modes?: number; radius?: number; std?: number }
  /** size x size Gaussians on a square grid `spacing` apart, centred on the origin. */
  | { kind: "grid"; size?: number; spacing?: number; std?: number };

/** A validated target with every parameter filled in (mixture weights relative, 1 each when omitted). */
export type Target =
  | { kind: "normal"; mean: number; std: number }
  | { kind: "uniform"; a: number; b: number }
  | { kind: "mixture"; means: number[]; stds: number[]; weights: number[] }
  | { kind: "ring"; modes: number; radius: number; std: number }
  | { kind: "grid"; size: number; spacing: number; std: number };

export type TargetKind = Target["kind"];
export const TARGET_KINDS: readonly TargetKind[] = ["normal", "uniform", "mixture", "ring", "grid"];

/** The seed's N(0, 1); U(-1, 1); the standard ring of 8 (radius 2, std 0.02) and grid of 25 ({-4..4}², std 0.05). */
export const TARGET_DEFAULTS = {
  normal: { mean: 0, std: 1 },
  uniform: { a: -1, b: 1 },
  mixture: { std: 0.5 },
  ring: { modes: 8, radius: 2, std: 0.02 },
  grid: { size: 5, spacing: 2, std: 0.05 },
} as const;

const MAX_RING_MODES = 10000;
const MAX_GRID_SIZE = 100;

const SYNTAX =
  "normal[:MEAN,STD], uniform[:A,B], mixture:MEAN[~STD][@WEIGHT],..., ring[:MODES,RADIUS,STD] or grid[:SIZE,SPACING,STD]";

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

/**
 * Checks a target (which may come from JSON, hence `unknown`) and fills in its defaults. Throws an
 * OptionError naming the field (`target.std`, `target.means[1]`, ...), the value and what is allowed.
 */
export function validateTarget(spec: unknown, option = "target"): Target {
  if (typeof spec !== "object" || spec === null)
    throw new OptionError(option, spec, `must be an object with a kind: ${TARGET_KINDS.join(", ")}`);
  const s = spec as Record<string, unknown>;
  const field = (name: string) => `${option}.${name}`;
  switch (s.kind) {
    case "normal": {
      const d = TARGET_DEFAULTS.normal;
      return {
        kind: "normal",
        mean: finite(field("mean"), s.mean ?? d.mean),
        std: positive(field("std"), s.std ?? d.std),
      };
    }
    case "uniform": {
      const d = TARGET_DEFAULTS.uniform;
      const a = finite(field("a"), s.a ?? d.a),
        b = finite(field("b"), s.b ?? d.b);
      if (!(b > a)) throw new OptionError(field("b"), b, `must be greater than a (${a})`);
      return { kind: "uniform", a, b };
    }
    case "mixture": {
      const means = list(field("means"), s.means, null).map((v, i) => finite(field(`means[${i}]`), v));
      const stds =
        s.stds === undefined
          ? means.map(() => TARGET_DEFAULTS.mixture.std)
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
    }
    case "ring": {
      const d = TARGET_DEFAULTS.ring;
      return {
        kind: "ring",
        modes: whole(field("modes"), s.modes ?? d.modes, MAX_RING_MODES),
        radius: positive(field("radius"), s.radius ?? d.radius),
        std: positive(field("std"), s.std ?? d.std),
      };
    }
    case "grid": {
      const d = TARGET_DEFAULTS.grid;
      return {
        kind: "grid",
        size: whole(field("size"), s.size ?? d.size, MAX_GRID_SIZE),
        spacing: positive(field("spacing"), s.spacing ?? d.spacing),
        std: positive(field("std"), s.std ?? d.std),
      };
    }
    default:
      throw new OptionError(field("kind"), s.kind, `must be one of ${TARGET_KINDS.join(", ")}`);
  }
}

/** Values per sample: 1 for normal, uniform and mixture; 2 for ring and grid. */
export function targetDim(spec: TargetSpec): 1 | 2 {
  return spec.kind === "ring" || spec.kind === "grid" ? 2 : 1;
}

interface Components extends Modes {
  centres: Float64Array;
  stds: Float64Array;
  weights: Float64Array;
}

// Every target but the uniform as a mixture of isotropic Gaussians.
function components(t: Target): Components | null {
  switch (t.kind) {
    case "uniform":
      return null;
    case "normal":
      return { dim: 1, centres: Float64Array.of(t.mean), stds: Float64Array.of(t.std), weights: Float64Array.of(1) };
    case "mixture": {
      const total = t.weights.reduce((a, w) => a + w, 0);
      return {
        dim: 1,
        centres: Float64Array.from(t.means),
        stds: Float64Array.from(t.stds),
        weights: Float64Array.from(t.weights, (w) => w / total),
      };
    }
    case "ring": {
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
    }
    case "grid": {
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
    }
  }
}

/** The target's modes (centres and stds) for the mode-coverage metric; null for the uniform, which has none. */
export function targetModes(spec: TargetSpec): Modes | null {
  const c = components(validateTarget(spec));
  return c && { dim: c.dim, centres: c.centres, stds: c.stds };
}

/**
 * Draws `count` samples of the target into linear memory at byte offset `out` ([count, targetDim]
 * floats), from `rng` (the data stream, Stream.data, by convention). A normal or uniform target is one
 * kernel call: `normal` with mean 0, std 1 is exactly the seed's `rng.normal(out, count, 0, 1)`. A
 * mixture first draws `count` uniforms that pick each row's mode by its weight (skipped when there is
 * a single mode), then `count * dim` standard normals that are scaled and shifted onto the mode.
 */
export function sampleTarget(spec: TargetSpec, engine: Engine, rng: Rng, out: number, count: number): void {
  if (!Number.isInteger(count) || count < 0) throw new OptionError("count", count, "must be a whole number >= 0");
  const t = validateTarget(spec);
  if (t.kind === "uniform") return rng.uniform(out, count, t.a, t.b);
  if (t.kind === "normal") return rng.normal(out, count, t.mean, t.std);
  const { dim, centres, stds, weights } = components(t)!;
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
export function drawTarget(spec: TargetSpec, engine: Engine, rng: Rng, count: number): Float32Array {
  const size = count * targetDim(spec);
  const out = engine.arena.alloc(size);
  sampleTarget(spec, engine, rng, out, count);
  return engine.arena.read(out, size);
}

function numberParam(option: string, text: string): number {
  const v = parseDecimal(text.trim());
  if (v === undefined) throw new OptionError(option, text.trim(), "must be a number");
  return v;
}

/**
 * Parses a CLI target string into a validated Target:
 *   normal[:MEAN[,STD]]                 normal, normal:0,1 (the seed), normal:3,0.5
 *   uniform[:A[,B]]                     uniform, uniform:-1,1
 *   mixture:C1,C2,...  Ci = MEAN[~STD][@WEIGHT]
 *                                       mixture:-2,2 (std 0.5, equal weights), mixture:-2@0.3,2@0.7,
 *                                       mixture:-3~0.2,0~1,3~0.2; weights are relative, given to all or none
 *   ring[:MODES[,RADIUS[,STD]]]         ring (= ring:8,2,0.02), ring:16
 *   grid[:SIZE[,SPACING[,STD]]]         grid (= grid:5,2,0.05)
 * Parameters left off at the end take their defaults. Errors are OptionErrors naming `option`.
 */
export function parseTarget(text: string, option = "target"): Target {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(":");
  const kind = (colon < 0 ? trimmed : trimmed.slice(0, colon)).trim();
  const params = colon < 0 ? [] : trimmed.slice(colon + 1).split(",");
  const field = (name: string) => `${option}.${name}`;

  if (kind === "mixture") {
    if (params.length === 0)
      throw new OptionError(option, text, "a mixture needs its means, e.g. mixture:-2,2 or mixture:-2@0.3,2@0.7");
    const means: number[] = [],
      stds: number[] = [],
      weights: number[] = [];
    params.forEach((component, i) => {
      const parts = /^([^~@]*)(?:~([^~@]*))?(?:@([^~@]*))?$/.exec(component.trim());
      if (!parts)
        throw new OptionError(
          field(`components[${i}]`),
          component.trim(),
          "must be MEAN[~STD][@WEIGHT], e.g. -2~0.5@0.3",
        );
      means.push(numberParam(field(`means[${i}]`), parts[1]!));
      stds.push(parts[2] === undefined ? TARGET_DEFAULTS.mixture.std : numberParam(field(`stds[${i}]`), parts[2]));
      if (parts[3] !== undefined) weights.push(numberParam(field(`weights[${i}]`), parts[3]));
    });
    if (weights.length !== 0 && weights.length !== means.length) {
      throw new OptionError(field("weights"), text, "give a @WEIGHT to every component or to none");
    }
    return validateTarget({ kind, means, stds, ...(weights.length ? { weights } : {}) }, option);
  }

  const names = {
    normal: ["mean", "std"],
    uniform: ["a", "b"],
    ring: ["modes", "radius", "std"],
    grid: ["size", "spacing", "std"],
  } as const;
  if (!Object.hasOwn(names, kind)) throw new OptionError(option, text, `must be ${SYNTAX}`);
  const fields = names[kind as keyof typeof names];
  if (params.length > fields.length) {
    throw new OptionError(
      option,
      text,
      `${kind} takes at most ${fields.length} parameters: ${kind}:${fields.map((f) => f.toUpperCase()).join(",")}`,
    );
  }
  const spec: Record<string, unknown> = { kind };
  params.forEach((p, i) => {
    spec[fields[i]!] = numberParam(field(fields[i]!), p);
  });
  return validateTarget(spec, option);
}

/** The canonical CLI string of a target; parseTarget(formatTarget(t)) gives t back. */
export function formatTarget(spec: TargetSpec): string {
  const t = validateTarget(spec);
  switch (t.kind) {
    case "normal":
      return `normal:${t.mean},${t.std}`;
    case "uniform":
      return `uniform:${t.a},${t.b}`;
    case "mixture":
      return `mixture:${t.means.map((m, i) => `${m}~${t.stds[i]}@${t.weights[i]}`).join(",")}`;
    case "ring":
      return `ring:${t.modes},${t.radius},${t.std}`;
    case "grid":
      return `grid:${t.size},${t.spacing},${t.std}`;
  }
}
