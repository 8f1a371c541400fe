// The Jensen-Shannon divergence of two samples over histograms with numpy.histogram's rules, as the
// reference workload's KL (kl.ts). One difference: the bins span the range of both samples, not just the real one,
// so nothing is dropped and JS stays symmetric and bounded: 0 for identical samples, ln 2 for
// samples with no bin in common (natural log).
import { histogramCounts, linspaceEdges, type Samples, strided, valueRange } from "./histogram.js";
import { KL_BINS } from "./kl.js";
import { ln } from "./math.js";

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
    if (pi > 0) js += pi * ln(pi / mi);
    if (qi > 0) js += qi * ln(qi / mi);
  }
  return js / 2;
}

/** JS divergence of two samples over `bins` equal bins spanning both; NaN if a value is not finite. */
export function jsDivergence(
  real: Samples | ArrayLike<number>,
  fake: Samples | ArrayLike<number>,
  bins = KL_BINS,
): number {
  if (strided(real).count === 0 || strided(fake).count === 0) throw new RangeError("JS divergence of no values");
  const { lo, hi, allFinite } = valueRange(real, fake);
  if (!allFinite) return NaN;
  const edges = linspaceEdges(lo, hi, bins);
  return jsFromCounts(histogramCounts(real, edges), histogramCounts(fake, edges));
}
