// What `simdgan train` prints: the seed's report line (or JSON), a progress bar for terminals, and the
// closing summary.
import { METRICS, moments, type ImageMetrics, type Report } from "../index.js";

/**
 * Python's "%.{digits}f". toFixed rounds the exact binary value too, but breaks exact ties upwards where
 * Python rounds them to even (0.0625 -> "0.062"), and spells NaN and infinities differently. An exact tie
 * at `digits` decimals is x = odd / 2^(digits + 1), since 10^digits = 2^digits * 5^digits.
 */
export function pyFixed(x: number, digits = 3): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Object.is(x, -0)) return `-${(0).toFixed(digits)}`; // Python keeps the sign of zero, toFixed drops it
  const halves = Math.abs(x) * 2 ** (digits + 1);
  if (!(Number.isInteger(halves) && halves % 2 === 1 && halves * 5 ** digits < 2 ** 53)) return x.toFixed(digits);
  const below = (halves * 5 ** digits - 1) / 2,
    n = below % 2 === 0 ? below : below + 1;
  const text = String(n).padStart(digits + 1, "0"),
    point = text.length - digits;
  return `${x < 0 ? "-" : ""}${text.slice(0, point)}${digits ? "." : ""}${text.slice(point)}`;
}

/** The seed's line, exactly: "epoch = %d, D-Loss = %.3f, G-Loss = %.3f, KL divergence = %.3f", plus extra metrics. */
export function seedLine(r: Report): string {
  let line = `epoch = ${r.epoch}, D-Loss = ${pyFixed(r.dLoss)}, G-Loss = ${pyFixed(r.gLoss)}`;
  if (r.kl !== undefined) line += `, KL divergence = ${pyFixed(r.kl)}`;
  const extra: [string, number | undefined][] = [
    ["JS", r.js],
    ["W1", r.w1],
    ["KS", r.ks],
    ["mean", r.mean],
    ["std", r.std],
    ["skew", r.skewness],
    ["kurtosis", r.kurtosis],
    ["modes", r.modesCaptured],
    ["high quality", r.highQualityShare],
    ["score", r.classifierScore],
    ["FD", r.frechet],
    ["classes", r.classesCovered],
    ["as asked", r.labelAccuracy],
  ];
  for (const [name, v] of extra) if (v !== undefined) line += `, ${name} = ${Number.isInteger(v) ? v : pyFixed(v)}`;
  return line;
}

export const ALL_METRICS = [...METRICS];

export interface Summary {
  epochs: number;
  seconds: number;
  epochsPerSecond: number;
  /** Absent when the run's metrics leave out kl. */
  finalKL?: number;
  real: { mean: number; std: number }[];
  generated: { mean: number; std: number }[];
}

/** Mean and std of each dimension of row-major samples. */
export function columnMoments(values: Float32Array, dim: number): { mean: number; std: number }[] {
  return Array.from({ length: dim }, (_, d) => {
    const { mean, std } = moments({ values, start: d, stride: dim });
    return { mean, std };
  });
}

export function summaryText(s: Summary, images?: ImageMetrics): string {
  const fmt = (m: { mean: number; std: number }[]) =>
    m.map((x) => `mean = ${x.mean.toFixed(3)}, std = ${x.std.toFixed(3)}`).join("; ");
  const lines = [`trained ${s.epochs} epochs in ${s.seconds.toFixed(3)} s (${Math.round(s.epochsPerSecond)} epochs/s)`];
  if (s.finalKL !== undefined) lines.push(`final KL divergence = ${s.finalKL.toFixed(3)}`);
  if (images) lines.push(imageText(images));
  lines.push(`real data:  ${fmt(s.real)}`, `generated:  ${fmt(s.generated)}`);
  return lines.join("\n");
}

/** The image metrics of a report in words. */
export function imageText(m: ImageMetrics): string {
  let text =
    `classifier score = ${m.classifierScore.toFixed(2)} (real data ${m.realScore.toFixed(2)}), ` +
    `Frechet distance = ${m.frechet.toFixed(2)}, classes covered = ${m.classesCovered} ` +
    `(entropy ${m.classEntropy.toFixed(3)})`;
  if (m.labelAccuracy !== undefined) text += `, classified as asked = ${(100 * m.labelAccuracy).toFixed(1)}%`;
  return text;
}

/** Where the bar is drawn: stderr when it is a terminal (the tests pass a recorder). */
export interface BarStream {
  write(text: string): unknown;
  columns?: number;
}

// A one-line bar on stderr, redrawn at most ten times a second and erased at the end.
export class Progress {
  private last = -Infinity;
  private shown = false;
  private readonly started: number;
  /**
   * `samplesPerEpoch` adds the throughput in real samples per second and the time left; `label` names
   * the metric shown (the seed's KL, or an image run's classifier score).
   */
  constructor(
    private readonly stream: BarStream,
    private readonly total: number,
    private readonly now: () => number = () => performance.now(),
    private readonly samplesPerEpoch = 0,
    private readonly label = "KL",
  ) {
    this.started = now();
  }

  update(done: number, kl: number): void {
    const now = this.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - (this.samplesPerEpoch ? 70 : 40)));
    const filled = Math.round((done / this.total) * width);
    const bar = "#".repeat(filled) + "-".repeat(width - filled);
    let line = `[${bar}] ${done}/${this.total} epochs  ${this.label} ${Number.isFinite(kl) ? kl.toFixed(3) : "-"}`;
    const seconds = (now - this.started) / 1000;
    if (this.samplesPerEpoch && done > 0 && seconds > 0) {
      const rate = (done * this.samplesPerEpoch) / seconds,
        left = Math.round(((this.total - done) * this.samplesPerEpoch) / rate);
      line += `  ${Math.round(rate)} samples/s  ETA ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    }
    // Erase first: a shorter line (a KL with fewer digits) must not leave the old one's tail behind.
    this.stream.write(`\r\x1b[2K${line}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write("\r\x1b[2K");
    this.shown = false;
  }
}
