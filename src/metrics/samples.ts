// Shared by the metrics: a sample given as an array or a strided run (one marginal of [rows, dim]
// data) copied into a plain Float64Array.
import { type Samples, strided } from "./histogram.js";

/** The values of a strided run or array as a new Float64Array. */
export function toFloat64(s: Samples | ArrayLike<number>): Float64Array {
  const { values, start, count, stride } = strided(s);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = values[start + i * stride]!;
  return out;
}

/** Column `d` of row-major [rows, dim] values, as a strided run. */
export function marginal(values: ArrayLike<number>, dim: number, d: number): Samples {
  return { values, start: d, stride: dim, count: Math.floor(values.length / dim) };
}

/** A sorted copy, or null when a value is not finite (NaN cannot be placed; an infinity has no distance). */
export function sortedOrNull(s: Samples | ArrayLike<number>): Float64Array | null {
  const x = toFloat64(s);
  if (x.length === 0) throw new RangeError("a metric of no values");
  for (const v of x) if (!Number.isFinite(v)) return null;
  return x.sort();
}
