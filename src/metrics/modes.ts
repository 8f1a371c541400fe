// Mode coverage, the protocol of VEEGAN (Srivastava et al. 2017) for the ring and grid mixtures of the
// Unrolled GAN paper: a generated sample is "high quality" if it lies within 3 standard deviations of
// the centre of its nearest mode, and a mode is captured if it is the nearest mode of at least one
// high-quality sample. `minSamples` raises that one to a stricter count when a single stray sample
// should not count as capturing a mode.

/** Mode centres, row-major [count, dim], and the standard deviation of each mode. */
export interface Modes {
  dim: number;
  centres: ArrayLike<number>;
  stds: ArrayLike<number>;
}

export interface CoverageOptions {
  /** A sample is high quality within this many standard deviations of its nearest centre; 3 by default. */
  radius?: number;
  /** High-quality samples a mode needs to count as captured; 1 by default (VEEGAN). */
  minSamples?: number;
}

export interface ModeCoverage {
  /** Modes that are the nearest mode of at least `minSamples` high-quality samples. */
  modesCaptured: number;
  /** Modes in the target. */
  modes: number;
  /** Share of all samples that are high quality, in [0, 1]. */
  highQualityShare: number;
  /** High-quality samples per mode. */
  counts: number[];
}

export function modeCoverage(
  samples: ArrayLike<number>,
  dim: number,
  modes: Modes,
  options: CoverageOptions = {},
): ModeCoverage {
  const radius = options.radius ?? 3,
    minSamples = options.minSamples ?? 1;
  const k = modes.stds.length;
  if (modes.dim !== dim) throw new RangeError(`modes are ${modes.dim}-D but the samples are ${dim}-D`);
  if (k === 0 || modes.centres.length !== k * dim) {
    throw new RangeError(
      `modes need ${dim} centre coordinates per standard deviation, got ${modes.centres.length} for ${k}`,
    );
  }
  const rows = samples.length / dim;
  if (!Number.isInteger(rows) || rows < 1)
    throw new RangeError(`mode coverage needs whole rows of ${dim} values, got ${samples.length}`);

  const counts = new Array<number>(k).fill(0);
  let good = 0;
  for (let r = 0; r < rows; r++) {
    let best = -1,
      bestD2 = Infinity;
    for (let m = 0; m < k; m++) {
      let d2 = 0;
      for (let d = 0; d < dim; d++) {
        const diff = samples[r * dim + d]! - modes.centres[m * dim + d]!;
        d2 += diff * diff;
      }
      if (d2 < bestD2) {
        bestD2 = d2;
        best = m;
      }
    }
    // A NaN sample has no nearest mode (best stays -1).
    if (best >= 0) {
      const limit = radius * modes.stds[best]!;
      if (bestD2 <= limit * limit) {
        counts[best]!++;
        good++;
      }
    }
  }
  // A sample that is not finite (a diverged generator) leaves the coverage undefined, not merely lower.
  let finite = true;
  for (let i = 0; i < rows * dim; i++) if (!Number.isFinite(samples[i]!)) finite = false;
  if (!finite) return { modesCaptured: NaN, modes: k, highQualityShare: NaN, counts };
  return {
    modesCaptured: counts.filter((c) => c >= minSamples).length,
    modes: k,
    highQualityShare: good / rows,
    counts,
  };
}
