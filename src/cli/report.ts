// What `simdgan train` prints: the report line (src/plot/report-line.ts, shared with the page) or JSON,
// a progress bar for terminals, and the closing summary.
import { METRICS, moments, type ImageMetrics } from "../index.js";

export { pyFixed, reportLine } from "../plot/report-line.js";

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
   * the metric shown (the reference workload's KL, or an image run's classifier score).
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
