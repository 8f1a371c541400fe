// The reference workload's KL divergence, KL(real || fake) over a 100-bin histogram, with numpy.histogram's rules
// (histogram.ts): bins spanning [min(real), max(real)]; fake values outside the edges are not counted.
// A sample holding a value that is not finite (a diverged generator) has no KL: NaN.
import { histogramCounts, histogramEdges, type Samples, valueRange } from "./histogram.js";
import { ln } from "./math.js";

export { histogramCounts, histogramEdges, type Samples } from "./histogram.js";

export const KL_BINS = 100;
const TINY = 1e-8;

/** KL(P || Q) of two histograms on the same edges, each normalised by (sum + 1e-8). */
export function klFromCounts(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let sp = 0,
    sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i]!;
    sq += q[i]!;
  }
  sp += TINY;
  sq += TINY;
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp,
      qi = q[i]! / sq;
    kl += pi * (ln(pi + TINY) - ln(qi + TINY));
  }
  return kl;
}

/** The reference workload's KL(real || fake), exactly as its numpy code computes it; NaN if a value is not finite. */
export function klDivergence(real: Samples | ArrayLike<number>, fake: Samples | ArrayLike<number>): number {
  if (!valueRange(real).allFinite || !valueRange(fake).allFinite) return NaN;
  const edges = histogramEdges(real, KL_BINS);
  return klFromCounts(histogramCounts(real, edges), histogramCounts(fake, edges));
}

// KL against fixed real data, for reports during training: the real histogram is built once and the
// fake one reuses its buffer.
export class KLMeter {
  private readonly edges: Float64Array;
  private readonly realCounts: Float64Array;
  private readonly fakeCounts: Float64Array;

  constructor(real: Samples | ArrayLike<number>) {
    this.edges = histogramEdges(real, KL_BINS);
    this.realCounts = histogramCounts(real, this.edges);
    this.fakeCounts = new Float64Array(KL_BINS);
  }

  divergence(fake: Samples | ArrayLike<number>): number {
    if (!valueRange(fake).allFinite) return NaN;
    return klFromCounts(this.realCounts, histogramCounts(fake, this.edges, this.fakeCounts));
  }
}
