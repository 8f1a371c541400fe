// The exact Wasserstein-1 (earth mover's) distance between two 1-D empirical distributions of any sizes:
// the area between their CDFs, W1 = integral |F(x) - G(x)| dx, both CDFs being step functions that only
// change at sample values, so the integral is a sum over the merged sorted values.
import type { Samples } from "./kl.js";
import { sortedOrNull } from "./samples.js";

/** W1 between the empirical distributions of `a` and `b`; NaN if either holds a value that is not finite. */
export function wasserstein1(a: Samples | ArrayLike<number>, b: Samples | ArrayLike<number>): number {
  const x = sortedOrNull(a),
    y = sortedOrNull(b);
  if (!x || !y) return NaN;
  const n = x.length,
    m = y.length;
  let i = 0,
    j = 0,
    area = 0;
  let prev = Math.min(x[0]!, y[0]!);
  while (i < n || j < m) {
    const v = j >= m || (i < n && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    // Between prev and v both CDFs are flat at i / n and j / m.
    area += Math.abs(i / n - j / m) * (v - prev);
    while (i < n && x[i] === v) i++;
    while (j < m && y[j] === v) j++;
    prev = v;
  }
  return area;
}
