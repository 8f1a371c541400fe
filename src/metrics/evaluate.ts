// Every metric of a generated sample against the real one, for reports and the final summary: per
// dimension (marginal) the reference workload's KL, JS, W1, KS and the moments of both samples, and mode coverage
// when the target's modes are known (targetModes in src/data/targets.ts).
import { klDivergence } from "./kl.js";
import { jsDivergence } from "./js.js";
import { ksStatistic } from "./ks.js";
import { type CoverageOptions, type ModeCoverage, type Modes, modeCoverage } from "./modes.js";
import { type Moments, moments } from "./moments.js";
import { marginal } from "./samples.js";
import { wasserstein1 } from "./wasserstein.js";

export interface MarginalMetrics {
  /** The reference workload's KL(real || fake) over 100 bins spanning the real values. */
  kl: number;
  /** Jensen-Shannon divergence over 100 bins spanning both samples, in [0, ln 2]. */
  js: number;
  /** Wasserstein-1 distance. */
  w1: number;
  /** Two-sample Kolmogorov-Smirnov statistic. */
  ks: number;
  real: Moments;
  fake: Moments;
}

export interface Evaluation {
  dim: number;
  /** One entry per dimension; for 1-D data the only entry holds every metric. */
  marginals: MarginalMetrics[];
  /** Mode coverage of the fake samples, when modes were given. */
  modes: ModeCoverage | null;
}

/**
 * Compares row-major samples [rows, dim] (the two may have different row counts). A sample holding a value
 * that is not finite (a diverged generator) gives NaN for every metric of its dimension, and for the mode
 * coverage.
 */
export function evaluate(
  real: ArrayLike<number>,
  fake: ArrayLike<number>,
  dim: number,
  modes?: Modes | null,
  coverage?: CoverageOptions,
): Evaluation {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a whole number >= 1, got ${dim}`);
  for (const [name, s] of [
    ["real", real],
    ["fake", fake],
  ] as const) {
    if (s.length === 0 || s.length % dim !== 0)
      throw new RangeError(`${name} must hold whole rows of ${dim} values, got ${s.length}`);
  }
  const marginals: MarginalMetrics[] = [];
  for (let d = 0; d < dim; d++) {
    const r = marginal(real, dim, d),
      f = marginal(fake, dim, d);
    marginals.push({
      kl: klDivergence(r, f),
      js: jsDivergence(r, f),
      w1: wasserstein1(r, f),
      ks: ksStatistic(r, f),
      real: moments(r),
      fake: moments(f),
    });
  }
  return { dim, marginals, modes: modes ? modeCoverage(fake, dim, modes, coverage) : null };
}
