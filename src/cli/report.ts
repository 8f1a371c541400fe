// What `simdgan train` prints: the seed's report line (or JSON), a progress bar for terminals, and the
// closing summary.
import { METRICS, moments, type Report } from "../index.js";

/** The seed's line, exactly: "epoch = %d, D-Loss = %.3f, G-Loss = %.3f, KL divergence = %.3f", plus any extra metrics. */
export function seedLine(r: Report): string {
  let line = `epoch = ${r.epoch}, D-Loss = ${r.dLoss.toFixed(3)}, G-Loss = ${r.gLoss.toFixed(3)}`;
  if (r.kl !== undefined) line += `, KL divergence = ${r.kl.toFixed(3)}`;
  const extra: [string, number | undefined][] = [
    ["JS", r.js], ["W1", r.w1], ["KS", r.ks], ["mean", r.mean], ["std", r.std], ["skew", r.skewness],
    ["kurtosis", r.kurtosis], ["modes", r.modesCaptured], ["high quality", r.highQualityShare],
  ];
  for (const [name, v] of extra) if (v !== undefined) line += `, ${name} = ${Number.isInteger(v) ? v : v.toFixed(3)}`;
  return line;
}

export const ALL_METRICS = [...METRICS];

export interface Summary {
  epochs: number;
  seconds: number;
  epochsPerSecond: number;
  finalKL: number;
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
  const fmt = (m: { mean: number; std: number }[]) => m.map((x) => `mean = ${x.mean.toFixed(3)}, std = ${x.std.toFixed(3)}`).join("; ");
  return [
    `trained ${s.epochs} epochs in ${s.seconds.toFixed(3)} s (${Math.round(s.epochsPerSecond)} epochs/s)`,
    `final KL divergence = ${s.finalKL.toFixed(3)}`,
    `real data:  ${fmt(s.real)}`,
    `generated:  ${fmt(s.generated)}`,
  ].join("\n");
}

// A one-line bar on stderr, redrawn at most ten times a second and erased at the end.
export class Progress {
  private last = 0;
  constructor(private readonly stream: NodeJS.WriteStream, private readonly total: number) {}

  update(done: number, kl: number): void {
    const now = performance.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 40));
    const filled = Math.round((done / this.total) * width);
    const bar = "#".repeat(filled) + "-".repeat(width - filled);
    this.stream.write(`\r[${bar}] ${done}/${this.total} epochs  KL ${Number.isFinite(kl) ? kl.toFixed(3) : "-"}`);
  }

  clear(): void {
    this.stream.write("\r\x1b[2K");
  }
}
