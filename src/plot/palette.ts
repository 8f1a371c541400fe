// The one palette of every chart simdgan draws: the CLI's plots (spec.ts) and the training page (web/).
// Real data is blue; the generator's things (its samples, G-Loss) orange; the discriminator's (D(x),
// D-Loss) green, so the panels read together. The strong colours keep at least 3:1 contrast on white and
// on the pale tints of the D(x) scale, where points are drawn over it.
export const PALETTE = {
  real: "#1f5fa8",
  fake: "#c4500a",
  d: "#2f8f3a",
  dLoss: "#2f8f3a",
  gLoss: "#c4500a",
  /** The generator's gradient arrows: dark, apart from every series. */
  gradient: "#3b3b3b",
} as const;

/** Each metric's colour, in the order reports list them; any other metric takes the next spare one. */
export const METRIC_COLORS: Readonly<Record<string, string>> = {
  kl: "#8e3b91",
  js: "#c92a2a",
  w1: "#0b7285",
  ks: "#7c5e10",
  mean: "#5c7cfa",
  std: "#868e96",
  skewness: "#e67700",
  kurtosis: "#364fc7",
  modesCaptured: "#087f5b",
  highQualityShare: "#a61e4d",
  classifierScore: "#6741d9",
  realScore: "#868e96",
  classesCovered: "#364fc7",
  frechet: "#0b7285",
  labelAccuracy: "#a61e4d",
};
const SPARE = ["#495057", "#862e9c", "#5f3dc4"];

export function metricColor(key: string, index = 0): string {
  return METRIC_COLORS[key] ?? SPARE[index % SPARE.length]!;
}

/**
 * D(x) on the diverging scale of the 2-D views: pale orange where D calls x fake (0), white at 0.5, pale
 * blue where D calls x real (1), as [r, g, b]. LSGAN's raw score is clamped to [0, 1]. Pale, so the
 * points drawn over it stay legible.
 */
export function dShade(d: number): [number, number, number] {
  const t = Math.min(Math.max(Number.isFinite(d) ? d : 0.5, 0), 1);
  const [a, b] = t < 0.5 ? [FAKE_TINT, 1 - 2 * t] : [REAL_TINT, 2 * t - 1];
  return [0, 1, 2].map((i) => Math.round(255 + (a[i]! - 255) * b)) as [number, number, number];
}
const FAKE_TINT = [246, 196, 160],
  REAL_TINT = [170, 203, 238];
