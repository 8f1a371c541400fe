// `npm run bench:reference`: the full reference workload on simdgan alone, ms per epoch (median of 5 runs after a
// warm-up) and the GEMM throughput it achieves. The side-by-side comparison with tfjs is `npm run bench`.
import { createGAN, DEFAULTS } from "../src/index.js";
import { epochFlops, referenceBatchSizes } from "./flops.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b),
    h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const warm = await createGAN({ seed: 99 });
  warm.train({ epochs: 300 });
  const ms: number[] = [],
    kls: number[] = [];
  for (let r = 0; r < runs; r++) {
    const gan = await createGAN({ seed: r + 1 });
    const { seconds, reports } = gan.train();
    ms.push((seconds * 1000) / DEFAULTS.epochs);
    const last = reports.slice(-10);
    kls.push(last.reduce((s, x) => s + x.kl!, 0) / last.length);
  }
  const perEpoch = median(ms);
  const flops = epochFlops(DEFAULTS, referenceBatchSizes(DEFAULTS.samples, DEFAULTS.batches));
  console.log(`reference workload, ${runs} runs of ${DEFAULTS.epochs} epochs`);
  console.log(
    `  ms/epoch    median ${perEpoch.toFixed(4)}  min ${Math.min(...ms).toFixed(4)}  max ${Math.max(...ms).toFixed(4)}`,
  );
  console.log(
    `  GEMM work   ${(flops / 1e6).toFixed(2)} MFLOP/epoch -> ` +
      `${(flops / (perEpoch * 1e-3) / 1e9).toFixed(1)} GFLOP/s overall`,
  );
  console.log(`  KL (mean of last 10 reports) per run: ${kls.map((k) => k.toFixed(3)).join(" ")}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
