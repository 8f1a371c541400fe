// The reference workload, full length, simdgan against tfjs (layers API, cpu and wasm backends) and PyTorch
// when available: one run of each per round, rounds interleaved, ms per epoch and the KL each reaches.
import { createGAN, DEFAULTS } from "../../src/index.js";
import { epochFlops, referenceBatchSizes } from "../flops.js";
import type { ReferenceContender, ReferenceResult } from "../report/results.js";
import { interleave, lastMean, summarize, type Sampler } from "../stats.js";
import { tfjsReferenceRun } from "./tfjs.js";
import { profileReference } from "./profile.js";
import { runTorch, type TorchProbe } from "./torch.js";

export interface ReferenceOptions {
  epochs: number;
  reps: number;
  torch: TorchProbe;
  log: (line: string) => void;
}

export interface ReferenceRun {
  msPerEpoch: number;
  kl: number;
}

export async function simdganReferenceRun(
  seed: number,
  epochs: number,
  threads: 1 | "auto" = 1,
): Promise<ReferenceRun> {
  const gan = await createGAN({ seed, threads });
  const { seconds, reports } = gan.train({ epochs });
  gan.dispose();
  return {
    msPerEpoch: (seconds * 1000) / epochs,
    kl: lastMean(
      reports.map((r) => r.kl!),
      10,
    ),
  };
}

export async function runReference(o: ReferenceOptions): Promise<ReferenceResult> {
  const runs: Record<string, (seed: number, epochs: number) => Promise<ReferenceRun>> = {
    simdgan: simdganReferenceRun,
    // Every core, small calls kept whole: the reference workload's calls all are, so it must not be slower.
    "simdgan-auto": (seed, epochs) => simdganReferenceRun(seed, epochs, "auto"),
    "tfjs-cpu": (seed, epochs) => tfjsReferenceRun("cpu", seed, epochs),
    "tfjs-wasm": (seed, epochs) => tfjsReferenceRun("wasm", seed, epochs),
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
  const contenders: ReferenceContender[] = Object.keys(runs).map((name) => ({
    name,
    msPerEpoch: samples[name]!,
    kl: kls[name]!,
    summary: summarize(samples[name]!),
    klSummary: summarize(kls[name]!),
  }));
  const profile = await profileReference(o.epochs);
  const shape = {
    noiseDim: DEFAULTS.noiseDim,
    gHidden: DEFAULTS.gHidden,
    dim: DEFAULTS.dim,
    dHidden: DEFAULTS.dHidden,
  };
  return {
    epochs: o.epochs,
    reps: o.reps,
    flopsPerEpoch: epochFlops(shape, referenceBatchSizes(DEFAULTS.samples, DEFAULTS.batches)),
    contenders,
    skipped,
    profile,
  };
}
