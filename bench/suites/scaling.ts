// Scaling: the reference model grown to two hidden layers in G and D, over widths and batch sizes, on 2-D
// data; ms per training step for simdgan and tfjs-wasm, interleaved.
import { createGAN, resolveThreads } from "../../src/index.js";
import { parameterCount, stepFlops, type GanShape } from "../flops.js";
import type { ScalingResult, ScalingRow } from "../report/results.js";
import { takeCeiling, threadCeiling } from "../roofline.js";
import { interleave, summarize, type Sampler } from "../stats.js";
import { ringData } from "./data2d.js";
import { tfjsStepper, type TfjsStepper } from "./tfjs.js";
import { torchScaling, type TorchProbe } from "./torch.js";

export interface ScalingOptions {
  widths: readonly number[];
  batches: readonly number[];
  reps: number;
  /** A sample lasts at least this long (several steps when steps are short). */
  sampleMs: number;
  log: (line: string) => void;
  /** PyTorch, when python3 imports it: each point at 1 thread and at every core, in its own process. */
  torch?: TorchProbe;
}

export const NOISE_DIM = 16;

export function scalingShape(width: number): GanShape {
  return { noiseDim: NOISE_DIM, gHidden: [width, width], dim: 2, dHidden: [width, width] };
}

/** Steps per sample so that a sample lasts about `sampleMs`, judged from one timed step. */
function stepsFor(stepMs: number, sampleMs: number): number {
  return Math.max(1, Math.round(sampleMs / Math.max(stepMs, 1e-3)));
}

// Times `steps` calls of `step` and returns ms per call.
function timer(step: () => unknown, steps: number): () => number {
  return () => {
    const t = performance.now();
    for (let i = 0; i < steps; i++) step();
    return (performance.now() - t) / steps;
  };
}

async function simdganSampler(shape: GanShape, real: Float32Array, sampleMs: number, threads = 1): Promise<Sampler> {
  const gan = await createGAN({
    threads,
    seed: 1,
    data: real,
    dim: 2,
    gHidden: shape.gHidden,
    dHidden: shape.dHidden,
    batches: 1,
  });
  const step = () => gan.trainStep({ real });
  for (let i = 0; i < 3; i++) step(); // tier up before the calibrating step
  const t = performance.now();
  step();
  return timer(step, stepsFor(performance.now() - t, sampleMs));
}

async function tfjsSampler(stepper: TfjsStepper, sampleMs: number): Promise<Sampler> {
  for (let i = 0; i < 3; i++) await stepper.step();
  const t = performance.now();
  await stepper.step();
  const steps = stepsFor(performance.now() - t, sampleMs);
  return async () => {
    await stepper.select();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await stepper.step();
    return (performance.now() - t0) / steps;
  };
}

export async function runScaling(o: ScalingOptions): Promise<ScalingResult> {
  const rows: ScalingRow[] = [];
  const threads = resolveThreads("auto");
  let torchBlas: string | undefined;
  const ceiling = threads > 1 ? await threadCeiling(threads, false) : undefined;
  try {
    for (const width of o.widths) {
      for (const batch of o.batches) {
        const shape = scalingShape(width),
          real = ringData(batch, width * 7919 + batch);
        const stepper = await tfjsStepper("wasm", shape, batch, real);
        const samplers = {
          simdgan: await simdganSampler(shape, real, o.sampleMs),
          "simdgan-threads": await simdganSampler(shape, real, o.sampleMs, threads),
          "tfjs-wasm": await tfjsSampler(stepper, o.sampleMs),
          ...ceiling?.samplers,
        };
        const samples = await interleave(samplers, { warmup: 1, reps: o.reps });
        const threadCeil = takeCeiling(samples);
        stepper.dispose();
        if (o.torch && "python" in o.torch) {
          for (const [name, n] of [
            ["pytorch", 1],
            ["pytorch-threads", threads],
          ] as const) {
            const run = torchScaling(o.torch.python, { width, batch, threads: n, reps: o.reps, sampleMs: o.sampleMs });
            samples[name] = run.samples;
            torchBlas = run.blas;
          }
        }
        const summary = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
        rows.push({
          width,
          batch,
          params: parameterCount(shape),
          flopsPerStep: stepFlops(shape, batch),
          samples,
          summary,
          ...(threadCeil ? { ceiling: threadCeil } : {}),
        });
        const simd = summary.simdgan!.median,
          wasm = summary["tfjs-wasm"]!.median;
        o.log(
          `  width ${width} batch ${batch}: simdgan ${simd.toFixed(3)} ms, ` +
            `${threads} threads ${summary["simdgan-threads"]!.median.toFixed(3)} ms, ` +
            `tfjs-wasm ${wasm.toFixed(3)} ms (${(wasm / simd).toFixed(1)}x)`,
        );
      }
    }
  } finally {
    ceiling?.close();
  }
  const torch = torchBlas ? ["pytorch", "pytorch-threads"] : [];
  return {
    rows,
    contenders: ["simdgan", "simdgan-threads", "tfjs-wasm", ...torch],
    threads,
    ...(torchBlas ? { torchBlas } : {}),
  };
}
