// One contender's reference run in a process of its own, for the footprint suite: peak RSS of the whole
// process, and when the first training step finished. Prints one JSON line.
//   node dist/bench/reference-run.js <simdgan|tfjs-cpu|tfjs-wasm> [epochs] [seed]
import { createGAN } from "../src/index.js";
import { peakRssKB } from "./rss.js";

export interface ChildReport {
  /** Wall-clock time (ms since 1970) when the first training step finished. */
  firstStepAt: number;
  maxRssKB: number;
  msPerEpoch: number;
  kl: number;
  wasmMemory?: { used?: number; size: number };
}

async function simdgan(epochs: number, seed: number): Promise<ChildReport> {
  const gan = await createGAN({ seed });
  // The first step by itself (the reference workload's first batch, as train() would take it), then the full run.
  const m = Math.floor(gan.options.samples / gan.options.batches);
  gan.trainStep({ real: gan.realData().subarray(0, m * gan.options.dim) });
  const firstStepAt = Date.now();
  const { seconds, reports } = gan.train({ epochs });
  const last = reports.slice(-10);
  return {
    firstStepAt,
    maxRssKB: peakRssKB(),
    msPerEpoch: (seconds * 1000) / epochs,
    kl: last.reduce((s, r) => s + r.kl!, 0) / last.length,
    wasmMemory: { used: gan.engine.arena.used, size: gan.engine.kernels.memory.buffer.byteLength },
  };
}

async function tfjs(backend: "cpu" | "wasm", epochs: number, seed: number): Promise<ChildReport> {
  const { tfjsChildRun } = await import("./suites/tfjs.js");
  const r = await tfjsChildRun(backend, seed, epochs);
  return { ...r, maxRssKB: peakRssKB() };
}

const [contender = "simdgan", epochs = "1000", seed = "1"] = process.argv.slice(2);
const run =
  contender === "simdgan"
    ? simdgan(+epochs, +seed)
    : contender === "tfjs-cpu" || contender === "tfjs-wasm"
      ? tfjs(contender === "tfjs-cpu" ? "cpu" : "wasm", +epochs, +seed)
      : Promise.reject(new Error(`unknown contender ${contender}`));
console.log(JSON.stringify(await run));
