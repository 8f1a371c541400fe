// Shared by the metrics: a sample given as an array or a strided run (one marginal of [rows, dim]
// data) copied into a plain Float64Array.
import type { Samples } from "./kl.js";

/** The values of a strided run or array as a new Float64Array. */
export function toFloat64(s: Samples | ArrayLike<number>): Float64Array {
  // A typed array has a values() method too: only a plain object is a strided run.
  if (ArrayBuffer.isView(s) || Array.isArray(s) || !("values" in s)) return Float64Array.from(s as ArrayLike<number>);
  const stride = s.stride ?? 1,
    start = s.start ?? 0;
  const count = s.count ?? Math.floor((s.values.length - start + stride - 1) / stride);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = s.values[start + i * stride]!;
  return out;
}

/** Column `d` of row-major [rows, dim] values, as a strided run. */
export function marginal(values: ArrayLike<number>, dim: number, d: number): Samples {
  return { values, start: d, stride: dim, count: Math.floor(values.length / dim) };
}

/** A sorted copy, or null when a value is NaN (sorting cannot place it). */
export function sortedOrNull(s: Samples | ArrayLike<number>): Float64Array | null {
  const x = toFloat64(s);
  if (x.length === 0) throw new RangeError("a metric of no values");
  for (const v of x) if (Number.isNaN(v)) return null;
  return x.sort();
}
