// The first four moments of a sample, with numpy's and scipy's defaults: the population standard
// deviation (ddof = 0) and the biased skewness and excess kurtosis (scipy.stats.skew / kurtosis).
import type { Samples } from "./kl.js";
import { toFloat64 } from "./samples.js";

export interface Moments {
  mean: number;
  /** Population standard deviation, sqrt(m2). */
  std: number;
  /** m3 / m2^1.5; NaN for a constant sample. */
  skewness: number;
  /** m4 / m2^2 - 3 (0 for a normal); NaN for a constant sample. */
  kurtosis: number;
}

export function moments(s: Samples | ArrayLike<number>): Moments {
  const x = toFloat64(s);
  const n = x.length;
  if (n === 0) throw new RangeError("moments of no values");
  let sum = 0;
  for (const v of x) {
    // A value that is not finite (a diverged generator) leaves no moment defined.
    if (!Number.isFinite(v)) return { mean: NaN, std: NaN, skewness: NaN, kurtosis: NaN };
    sum += v;
  }
  const mean = sum / n;
  // Central moments about the mean found first: two passes keep them accurate far from the origin.
  let m2 = 0,
    m3 = 0,
    m4 = 0;
  for (const v of x) {
    const d = v - mean,
      d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const flat = m2 === 0;
  return {
    mean,
    std: Math.sqrt(m2),
    skewness: flat ? NaN : m3 / (m2 * Math.sqrt(m2)), // m2^1.5 with exact operations only
    kurtosis: flat ? NaN : m4 / (m2 * m2) - 3,
  };
}
