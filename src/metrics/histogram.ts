// The one histogram of the project, with numpy.histogram's rules: equal-width bins whose edges come from
// linspace(lo, hi, bins + 1), every bin half-open [a, b) except the last, which also takes its right edge;
// values outside the edges (and NaN) are not counted. The KL and JS metrics, the plots and the page's
// views all bin through here, so a value lands in the same bin everywhere.

/** A strided run of values: elements start, start + stride, ... (count of them). */
export interface Samples {
  values: ArrayLike<number>;
  start?: number;
  count?: number;
  stride?: number;
}

export interface Range {
  lo: number;
  hi: number;
}

/** A strided run or array as its values, start, count and stride. */
export function strided(s: Samples | ArrayLike<number>): Required<Samples> {
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

/**
 * The smallest and largest finite values over every series, and whether every value was finite;
 * `lo > hi` when there is no finite value.
 */
export function valueRange(...series: (Samples | ArrayLike<number>)[]): Range & { allFinite: boolean } {
  let lo = Infinity,
    hi = -Infinity,
    allFinite = true;
  for (const s of series) {
    const { values, start, count, stride } = strided(s);
    for (let i = 0; i < count; i++) {
      const v = values[start + i * stride]!;
      if (!Number.isFinite(v)) {
        allFinite = false;
        continue;
      }
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return { lo, hi, allFinite };
}

/**
 * numpy's edges for `bins` equal bins over [lo, hi]. A zero range becomes [v - 0.5, v + 0.5], as in numpy;
 * where 0.5 is below the resolution of v (|v| beyond about 2^46), it widens by powers of two until the
 * edges are distinct, so constant data of any magnitude still fills one bin.
 */
export function linspaceEdges(lo: number, hi: number, bins: number): Float64Array {
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi))
    throw new RangeError(`histogram range must be finite, got [${lo}, ${hi}]`);
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`bins must be a whole number >= 1, got ${bins}`);
  if (lo < hi) return linspace(lo, hi, bins);
  for (let half = 0.5; ; half *= 2) {
    const edges = linspace(lo - half, hi + half, bins);
    if (increasing(edges) || !Number.isFinite(edges[0]! + edges[bins]!)) return edges;
  }
}

function linspace(lo: number, hi: number, bins: number): Float64Array {
  const edges = new Float64Array(bins + 1),
    step = (hi - lo) / bins;
  for (let i = 0; i < bins; i++) edges[i] = i * step + lo;
  edges[bins] = hi;
  return edges;
}

function increasing(edges: Float64Array): boolean {
  for (let i = 1; i < edges.length; i++) if (!(edges[i]! > edges[i - 1]!)) return false;
  return true;
}

/** numpy.histogram's bin edges for `bins` equal bins over the range of the samples, which must be finite. */
export function histogramEdges(samples: Samples | ArrayLike<number>, bins = 100): Float64Array {
  const { lo, hi, allFinite } = valueRange(samples);
  if (!allFinite) throw new RangeError("histogram range must be finite, got a value that is not");
  if (lo > hi) throw new RangeError("histogram of no values");
  return linspaceEdges(lo, hi, bins);
}

/** Counts per bin over fixed edges, into `counts` (reused, so repeated reports allocate nothing). */
export function histogramCounts(
  samples: Samples | ArrayLike<number>,
  edges: Float64Array,
  counts: Float64Array = new Float64Array(edges.length - 1),
): Float64Array {
  const { values, start, count, stride } = strided(samples);
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
    if (!(b >= 0)) b = 0; // an infinite span (edges near the largest double) guesses NaN
    while (b > 0 && v < edges[b]!) b--;
    while (b < bins - 1 && v >= edges[b + 1]!) b++;
    counts[b]!++;
  }
  return counts;
}

const VIEW_BINS = 100; // a view draws at most this many bins

/**
 * The range a view (plot, terminal, page) bins over: that of the finite values of every series, a zero
 * range widened as linspaceEdges does, and [-0.5, 0.5] when no value is finite.
 */
export function viewRange(...series: (Samples | ArrayLike<number>)[]): Range {
  const { lo, hi } = valueRange(...series);
  if (lo > hi) return { lo: -0.5, hi: 0.5 };
  const edges = linspaceEdges(lo, hi, VIEW_BINS);
  return { lo: edges[0]!, hi: edges[VIEW_BINS]! };
}

/** The number of finite values: the denominator that makes counts a density. */
export function finiteCount(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) n++;
  return n;
}
