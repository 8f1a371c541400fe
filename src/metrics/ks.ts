// The two-sample Kolmogorov-Smirnov statistic: the largest gap between the two empirical CDFs, taken
// after every tie at a value is counted (as scipy.stats.ks_2samp does).
import type { Samples } from "./kl.js";
import { sortedOrNull } from "./samples.js";

/** sup |F(x) - G(x)| over x, in [0, 1]; NaN if either sample holds a value that is not finite. */
export function ksStatistic(a: Samples | ArrayLike<number>, b: Samples | ArrayLike<number>): number {
  const x = sortedOrNull(a),
    y = sortedOrNull(b);
  if (!x || !y) return NaN;
  const n = x.length,
    m = y.length;
  let i = 0,
    j = 0,
    d = 0;
  while (i < n || j < m) {
    const v = j >= m || (i < n && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    while (i < n && x[i] === v) i++;
    while (j < m && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  return d;
}
