// The seed workload, full length, simdgan against tfjs (layers API, cpu and wasm backends) and PyTorch
// when available: one run of each per round, rounds interleaved, ms per epoch and the KL each reaches.
import { createGAN, DEFAULTS } from "../../src/index.js";
import { epochFlops, seedBatchSizes } from "../flops.js";
import type { SeedContender, SeedResult } from "../report/results.js";
import { interleave, lastMean, summarize, type Sampler } from "../stats.js";
import { tfjsSeedRun } from "./tfjs.js";
import { profileSeed } from "./profile.js";
import { runTorch, type TorchProbe } from "./torch.js";

export interface SeedOptions {
  epochs: number;
  reps: number;
  torch: TorchProbe;
  log: (line: string) => void;
}

export interface SeedRun {
  msPerEpoch: number;
  kl: number;
}

export async function simdganSeedRun(seed: number, epochs: number): Promise<SeedRun> {
  const gan = await createGAN({ seed });
  const { seconds, reports } = gan.train({ epochs });
  return {
    msPerEpoch: (seconds * 1000) / epochs,
    kl: lastMean(
      reports.map((r) => r.kl!),
      10,
    ),
  };
}

export async function runSeed(o: SeedOptions): Promise<SeedResult> {
  const runs: Record<string, (seed: number, epochs: number) => Promise<SeedRun>> = {
    simdgan: simdganSeedRun,
    "tfjs-cpu": (seed, epochs) => tfjsSeedRun("cpu", seed, epochs),
    "tfjs-wasm": (seed, epochs) => tfjsSeedRun("wasm", seed, epochs),
  };
  const skipped: Record<string, string> = {};
  if ("python" in o.torch) {
    const python = o.torch.python;
    runs.pytorch = async (seed, epochs) => runTorch(python, seed, epochs);
  } else skipped.pytorch = o.torch.skipped;

  // Warm-up outside the schedule: short runs, so V8 has optimised each contender's code before any
  // recorded run (PyTorch starts a fresh process per run and has nothing to warm).
  for (const [name, run] of Object.entries(runs)) if (name !== "pytorch") await run(1000, Math.min(o.epochs, 100));

  const kls: Record<string, number[]> = {};
  const samplers: Record<string, Sampler> = {};
  for (const [name, run] of Object.entries(runs)) {
    kls[name] = [];
    samplers[name] = async (round) => {
      const r = await run(round + 1, o.epochs); // the same seed for every contender in a round
      kls[name]!.push(r.kl);
      return r.msPerEpoch;
    };
  }
  const samples = await interleave(samplers, {
    warmup: 0,
    reps: o.reps,
    onSample: (name, rep, ms) =>
      o.log(`  run ${rep + 1}/${o.reps} ${name}: ${ms.toFixed(3)} ms/epoch, KL ${kls[name]!.at(-1)!.toFixed(3)}`),
  });
  const contenders: SeedContender[] = Object.keys(runs).map((name) => ({
    name,
    msPerEpoch: samples[name]!,
    kl: kls[name]!,
    summary: summarize(samples[name]!),
    klSummary: summarize(kls[name]!),
  }));
  const profile = await profileSeed(o.epochs);
  const shape = {
    noiseDim: DEFAULTS.noiseDim,
    gHidden: DEFAULTS.gHidden,
    dim: DEFAULTS.dim,
    dHidden: DEFAULTS.dHidden,
  };
  return {
    epochs: o.epochs,
    reps: o.reps,
    flopsPerEpoch: epochFlops(shape, seedBatchSizes(DEFAULTS.samples, DEFAULTS.batches)),
    contenders,
    skipped,
    profile,
  };
}
