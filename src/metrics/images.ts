// Image metrics through a classifier trained by simdgan (no pretrained network is available), on its
// softmax outputs p(y|x) [n, C] and its penultimate features [n, d]. Every figure uses float64 and our
// own ln / exp, so it prints the same on every engine.
import { exp, ln } from "./math.js";
import { matmul, meanCovariance, sqrtSymmetric, symmetricEigen } from "./linalg.js";

/**
 * The Inception Score's formula on a classifier's outputs: exp(E_x[KL(p(y|x) || p(y))]), p(y) the mean
 * of p(y|x) over the n samples. 1 when every sample gets the same distribution; C at best (confident
 * and evenly spread over C classes). Terms with p(y|x) = 0 add nothing (0 ln 0 = 0).
 */
export function classifierScore(probs: ArrayLike<number>, n: number, C: number): number {
  const marginal = new Float64Array(C);
  for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) marginal[c] = marginal[c]! + probs[i * C + c]!;
  const lnMarginal = marginal.map((m) => ln(m / n));
  let kl = 0;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < C; c++) {
      const p = probs[i * C + c]!;
      if (p > 0) kl += p * (ln(p) - lnMarginal[c]!);
    }
  return exp(kl / n);
}

/** The class the classifier gives each of n samples (the first of equal maxima). */
export function predictions(probs: ArrayLike<number>, n: number, C: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (probs[i * C + c]! > probs[i * C + best]!) best = c;
    out[i] = best;
  }
  return out;
}

export interface Coverage {
  /** Samples predicted as each class. */
  histogram: number[];
  /** Classes predicted for at least a tenth of their even share (n / C / 10) of the samples. */
  covered: number;
  /** Entropy of the histogram in nats: ln C when the classes are evenly covered, 0 for one class. */
  entropy: number;
}

// A class counts as covered only beyond a tenth of its even share, so a few strays on the boundary of
// a class the generator never draws do not count as drawing it.
export function classCoverage(predicted: ArrayLike<number>, C: number): Coverage {
  const n = predicted.length,
    histogram = new Array<number>(C).fill(0);
  for (let i = 0; i < n; i++) histogram[predicted[i]!]!++;
  const floor = Math.max(1, n / C / 10);
  let entropy = 0;
  for (const h of histogram) if (h > 0) entropy -= (h / n) * ln(h / n);
  return { histogram, covered: histogram.filter((h) => h >= floor).length, entropy };
}

/** The share of samples the classifier assigns to the class they were generated for. */
export function labelAccuracy(predicted: ArrayLike<number>, requested: ArrayLike<number>): number {
  let hit = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === requested[i]) hit++;
  return predicted.length ? hit / predicted.length : NaN;
}

/** Mean and covariance of a feature set: fit once for the real data, reused for every report. */
export type FeatureStats = ReturnType<typeof meanCovariance> & { dim: number; rows: number };

export function featureStats(x: ArrayLike<number>, rows: number, dim: number): FeatureStats {
  return { ...meanCovariance(x, rows, dim), dim, rows };
}

/**
 * Frechet distance between Gaussians fitted to two feature sets (as FID, on our classifier's features):
 * |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^(1/2)), where tr((S1 S2)^(1/2)) is computed as
 * tr((S1^(1/2) S2 S1^(1/2))^(1/2)), the square root of a symmetric matrix with the same eigenvalues.
 */
export function frechetDistance(a: FeatureStats, b: FeatureStats): number {
  const d = a.dim;
  if (b.dim !== d) throw new RangeError(`feature sizes differ: ${d} and ${b.dim}`);
  let mean = 0,
    trace = 0;
  for (let j = 0; j < d; j++) {
    const dm = a.mean[j]! - b.mean[j]!;
    mean += dm * dm;
    trace += a.cov[j * d + j]! + b.cov[j * d + j]!;
  }
  const root = sqrtSymmetric(a.cov, d);
  const middle = matmul(matmul(root, b.cov, d), root, d);
  // Symmetrise the rounding of the two products before the eigen-decomposition.
  for (let i = 0; i < d; i++)
    for (let j = i + 1; j < d; j++)
      middle[i * d + j] = middle[j * d + i] = (middle[i * d + j]! + middle[j * d + i]!) / 2;
  const cross = symmetricEigen(middle, d).values.reduce((s, v) => s + Math.sqrt(Math.max(v, 0)), 0);
  return Math.max(0, mean + trace - 2 * cross);
}

/** What a report carries about generated images (labelAccuracy for conditional models only). */
export interface ImageMetrics {
  classifierScore: number;
  /** The classifier score of the real data, the best a generator can hope to reach. */
  realScore: number;
  frechet: number;
  classesCovered: number;
  classEntropy: number;
  labelAccuracy?: number;
}

/** The part of a classifier the metrics need. */
export interface Judge {
  /** The label value of each class. */
  readonly classes: readonly number[];
  readonly classCount: number;
  readonly featureDim: number;
  probabilities(x: ArrayLike<number>): Float32Array;
  features(x: ArrayLike<number>): Float32Array;
}

/** Scores generated images against the real data through a classifier; the real side is measured once. */
export class ImageJudge {
  readonly realScore: number;
  private readonly real: FeatureStats;

  constructor(
    readonly classifier: Judge,
    real: ArrayLike<number>,
    rows: number,
  ) {
    const C = classifier.classCount;
    this.realScore = classifierScore(classifier.probabilities(real), rows, C);
    this.real = featureStats(classifier.features(real), rows, classifier.featureDim);
  }

  /** Metrics of n fakes; `requested` gives the class each was generated for (conditional models). */
  measure(fake: ArrayLike<number>, n: number, requested?: ArrayLike<number>): ImageMetrics {
    const C = this.classifier.classCount,
      p = this.classifier.probabilities(fake),
      predicted = predictions(p, n, C),
      coverage = classCoverage(predicted, C);
    const metrics: ImageMetrics = {
      classifierScore: classifierScore(p, n, C),
      realScore: this.realScore,
      frechet: frechetDistance(featureStats(this.classifier.features(fake), n, this.classifier.featureDim), this.real),
      classesCovered: coverage.covered,
      classEntropy: coverage.entropy,
    };
    if (requested) metrics.labelAccuracy = labelAccuracy(predicted, requested);
    return metrics;
  }
}
