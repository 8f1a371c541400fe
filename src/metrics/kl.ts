// The seed's KL divergence, KL(real || fake) over a 100-bin histogram, with numpy.histogram's rules:
// equal-width bins spanning [min(real), max(real)] with edges from linspace, every bin half-open [a, b)
// except the last, which also takes its right edge; fake values outside the edges are not counted.

export const KL_BINS = 100;
const TINY = 1e-8;

/** A strided run of values: elements start, start + stride, ... (count of them). */
export interface Samples {
  values: ArrayLike<number>;
  start?: number;
  count?: number;
  stride?: number;
}

function view(s: Samples | ArrayLike<number>): Required<Samples> {
  // A typed array has a values() method too: only a plain object is a strided run.
  if (ArrayBuffer.isView(s) || Array.isArray(s) || !("values" in s)) {
    const values = s as ArrayLike<number>;
    return { values, start: 0, count: values.length, stride: 1 };
  }
  const stride = s.stride ?? 1,
    start = s.start ?? 0;
  return {
    values: s.values,
    start,
    stride,
    count: s.count ?? Math.floor((s.values.length - start + stride - 1) / stride),
  };
}

/** numpy.histogram's bin edges for `bins` equal bins over the range of the samples. */
export function histogramEdges(samples: Samples | ArrayLike<number>, bins = KL_BINS): Float64Array {
  const { values, start, count, stride } = view(samples);
  if (count === 0) throw new RangeError("histogram of no values");
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = values[start + i * stride]!;
    if (!Number.isFinite(v)) throw new RangeError(`histogram range must be finite, got ${v}`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const edges = new Float64Array(bins + 1);
  const step = (hi - lo) / bins;
  for (let i = 0; i < bins; i++) edges[i] = i * step + lo;
  edges[bins] = hi;
  return edges;
}

/** Counts per bin over fixed edges, into `counts` (reused, so repeated reports allocate nothing). */
export function histogramCounts(
  samples: Samples | ArrayLike<number>,
  edges: Float64Array,
  counts: Float64Array = new Float64Array(edges.length - 1),
): Float64Array {
  const { values, start, count, stride } = view(samples);
  const bins = edges.length - 1,
    lo = edges[0]!,
    hi = edges[bins]!,
    scale = bins / (hi - lo);
  counts.fill(0);
  for (let i = 0; i < count; i++) {
    const v = values[start + i * stride]!;
    if (!(v >= lo && v <= hi)) continue; // also drops NaN
    // Guess the bin arithmetically, then settle it against the edges themselves, as numpy does.
    let b = Math.min(bins - 1, Math.floor((v - lo) * scale));
    while (b > 0 && v < edges[b]!) b--;
    while (b < bins - 1 && v >= edges[b + 1]!) b++;
    counts[b]!++;
  }
  return counts;
}

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
    kl += pi * (Math.log(pi + TINY) - Math.log(qi + TINY));
  }
  return kl;
}

/** The seed's KL(real || fake), exactly as its numpy code computes it. */
export function klDivergence(real: Samples | ArrayLike<number>, fake: Samples | ArrayLike<number>): number {
  const edges = histogramEdges(real);
  return klFromCounts(histogramCounts(real, edges), histogramCounts(fake, edges));
}

// KL against fixed real data, for reports during training: the real histogram is built once and the
// fake one reuses its buffer.
export class KLMeter {
  private readonly edges: Float64Array;
  private readonly realCounts: Float64Array;
  private readonly fakeCounts: Float64Array;

  constructor(real: Samples | ArrayLike<number>) {
    this.edges = histogramEdges(real);
    this.realCounts = histogramCounts(real, this.edges);
    this.fakeCounts = new Float64Array(KL_BINS);
  }

  divergence(fake: Samples | ArrayLike<number>): number {
    return klFromCounts(this.realCounts, histogramCounts(fake, this.edges, this.fakeCounts));
  }
}
