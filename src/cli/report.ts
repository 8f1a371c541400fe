// What `simdgan train` prints: the report line (src/plot/report-line.ts, shared with the page) or JSON,
// a progress bar for terminals, and the closing summary.
import { METRICS, moments } from "../index.js";

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

export function summaryText(s: Summary): string {
  const fmt = (m: { mean: number; std: number }[]) =>
    m.map((x) => `mean = ${x.mean.toFixed(3)}, std = ${x.std.toFixed(3)}`).join("; ");
  return [
    `trained ${s.epochs} epochs in ${s.seconds.toFixed(3)} s (${Math.round(s.epochsPerSecond)} epochs/s)`,
    ...(s.finalKL === undefined ? [] : [`final KL divergence = ${s.finalKL.toFixed(3)}`]),
    `real data:  ${fmt(s.real)}`,
    `generated:  ${fmt(s.generated)}`,
  ].join("\n");
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
  constructor(
    private readonly stream: BarStream,
    private readonly total: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  update(done: number, kl: number): void {
    const now = this.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 40));
    const filled = Math.round((done / this.total) * width);
    const bar = "#".repeat(filled) + "-".repeat(width - filled);
    // Erase first: a shorter line (a KL with fewer digits) must not leave the old one's tail behind.
    this.stream.write(
      `\r\x1b[2K[${bar}] ${done}/${this.total} epochs  KL ${Number.isFinite(kl) ? kl.toFixed(3) : "-"}`,
    );
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write("\r\x1b[2K");
    this.shown = false;
  }
}
