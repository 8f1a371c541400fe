// The Jensen-Shannon divergence of two samples over histograms with numpy.histogram's rules, as the
// seed's KL (kl.ts). One difference: the bins span the range of both samples, not just the real one,
// so nothing is dropped and JS stays symmetric and bounded: 0 for identical samples, ln 2 for
// samples with no bin in common (natural log).
import { histogramCounts, histogramEdges, KL_BINS, type Samples } from "./kl.js";
import { toFloat64 } from "./samples.js";

/** JS(P, Q) = (KL(P || M) + KL(Q || M)) / 2, M = (P + Q) / 2, of two histograms each normalised to sum 1. */
export function jsFromCounts(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let sp = 0,
    sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i]!;
    sq += q[i]!;
  }
  if (!(sp > 0 && sq > 0)) return NaN;
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp,
      qi = q[i]! / sq,
      mi = (pi + qi) / 2;
    if (pi > 0) js += pi * Math.log(pi / mi);
    if (qi > 0) js += qi * Math.log(qi / mi);
  }
  return js / 2;
}

/** JS divergence of two samples over `bins` equal bins spanning both; NaN if a value is not finite. */
export function jsDivergence(
  real: Samples | ArrayLike<number>,
  fake: Samples | ArrayLike<number>,
  bins = KL_BINS,
): number {
  const x = toFloat64(real),
    y = toFloat64(fake);
  if (x.length === 0 || y.length === 0) throw new RangeError("JS divergence of no values");
  let lo = Infinity,
    hi = -Infinity;
  for (const s of [x, y]) {
    for (const v of s) {
      if (!Number.isFinite(v)) return NaN;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  // The edges of the pair (lo, hi) are linspace(lo, hi, bins + 1): the seed's rule over both ranges.
  const edges = histogramEdges([lo, hi], bins);
  return jsFromCounts(histogramCounts(x, edges), histogramCounts(y, edges));
}
