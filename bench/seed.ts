// `npm run bench:seed`: the full seed workload on simdgan alone, ms per epoch (median of 5 runs after a
// warm-up) and the GEMM throughput it achieves. The side-by-side comparison with tfjs is `npm run bench`.
import { createGAN, DEFAULTS, type GANOptions } from "../src/index.js";

/** Multiply-adds x2 in the GEMMs of one epoch of the seed's step, as simdgan executes it. */
export function seedGemmFlops(o: Required<Pick<GANOptions, "samples" | "batches" | "noiseDim" | "dim">> & {
  gHidden: readonly number[]; dHidden: readonly number[];
}): number {
  const g = [o.noiseDim, ...o.gHidden, o.dim], d = [o.dim, ...o.dHidden, 1];
  const sum = (w: number[], from = 0) => w.slice(1).reduce((s, out, i) => s + (i >= from ? w[i]! * out : 0), 0);
  const gAll = sum(g), gNoFirst = sum(g, 1), dAll = sum(d), dNoFirst = sum(d, 1);
  // Per real row: G forward; D forward+dW+dx(hidden) on 2 rows; D forward + dx(all) on 1; G dW + dx(hidden).
  const perRow = gAll + 2 * (dAll + dAll + dNoFirst) + (dAll + dAll) + (gAll + gNoFirst);
  return 2 * perRow * o.samples;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b), h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const warm = await createGAN({ seed: 99 });
  warm.train({ epochs: 300 });
  const ms: number[] = [], kls: number[] = [];
  for (let r = 0; r < runs; r++) {
    const gan = await createGAN({ seed: r + 1 });
    const { seconds, reports } = gan.train();
    ms.push((seconds * 1000) / DEFAULTS.epochs);
    const last = reports.slice(-10);
    kls.push(last.reduce((s, x) => s + x.kl, 0) / last.length);
  }
  const perEpoch = median(ms);
  const flops = seedGemmFlops({ ...DEFAULTS });
  console.log(`seed workload, ${runs} runs of ${DEFAULTS.epochs} epochs`);
  console.log(`  ms/epoch    median ${perEpoch.toFixed(4)}  min ${Math.min(...ms).toFixed(4)}  max ${Math.max(...ms).toFixed(4)}`);
  console.log(`  GEMM work   ${(flops / 1e6).toFixed(2)} MFLOP/epoch -> ${(flops / (perEpoch * 1e-3) / 1e9).toFixed(1)} GFLOP/s overall`);
  console.log(`  KL (mean of last 10 reports) per run: ${kls.map((k) => k.toFixed(3)).join(" ")}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
