// Shared binning for the chart and the terminal histogram: both series go into the same bins, so a
// shift of the generated distribution shows up as mass in different bins, not as a rescaled axis.

export interface Range {
  lo: number;
  hi: number;
}

/** The range covering the finite values of every series; a single value gets a unit-wide range around it. */
export function sharedRange(...series: ArrayLike<number>[]): Range {
  let lo = Infinity,
    hi = -Infinity;
  for (const values of series) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) return { lo: -0.5, hi: 0.5 };
  if (lo === hi) return { lo: lo - 0.5, hi: hi + 0.5 };
  return { lo, hi };
}

/** Counts per equal-width bin over [lo, hi]; the last bin also takes hi, values outside are left out. */
export function binCounts(values: ArrayLike<number>, range: Range, bins: number): Float64Array {
  const counts = new Float64Array(bins),
    { lo, hi } = range,
    scale = bins / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= lo && v <= hi)) continue; // also drops NaN
    counts[Math.min(bins - 1, Math.floor((v - lo) * scale))]! += 1;
  }
  return counts;
}

/** The number of finite values: the denominator that makes counts a density. */
export function finiteCount(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) n++;
  return n;
}
