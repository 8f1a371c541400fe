// Kernel level: GFLOP/s of C = A·B for the reference workload's shapes and square ones, simdgan's gemm_nn against
// tf.matMul on the cpu and wasm backends, beside the roofline this CPU reaches in wasm SIMD. Two more
// rows time the products backpropagation needs, Aᵀ·B (weight gradients) and A·Bᵀ (input gradients).
import * as tf from "@tensorflow/tfjs";
import { createEngine, resolveThreads } from "../../src/index.js";
import { activationCodes } from "../../src/kernels/boundary.js";
import { packScratch, packsForward, packsInputGrad, packsWeightGrad } from "../../src/kernels/planner.js";
import { gemmFlops } from "../flops.js";
import { roofline, rooflineSamplers, takeCeiling, threadCeiling, type ThreadCeiling } from "../roofline.js";
import type { BarrierResult, GemmResult, GemmRow, Shape } from "../report/results.js";
import { shapeLabel } from "../report/sections.js";
import { calibrate, interleave, summarize, type Sampler } from "../stats.js";
import { useBackend } from "../../test/oracle/tfjs-gan.js";
import { torchGemmWorker, type TorchGemm, type TorchProbe } from "./torch.js";

// The MNIST workload's layers (G 100 -> 256 -> 512 -> 784, D 784 -> 512 -> 256 -> 1) at batch 64, as
// [inputs, units]; its products are the forward x·W, the weight gradient xᵀ·dz and the input gradient dz·Wᵀ.
const MNIST_BATCH = 64;
const MNIST_LAYERS: [number, number][] = [
  [100, 256],
  [256, 512],
  [512, 784],
  [784, 512],
  [512, 256],
];

/**
 * The reference workload's forward products (a hidden layer and the output layer), square ones in all three forms, then
 * the MNIST workload's. A row M x K x N is C[M,N] from an inner dimension K in every form: AᵀB is a weight
 * gradient (M inputs, K rows, N units), ABᵀ an input gradient (M rows, K units, N inputs).
 */
export const SHAPES: readonly Shape[] = [
  { M: 333, K: 16, N: 32 },
  { M: 666, K: 32, N: 1 },
  ...[128, 256, 512].map((n) => ({ M: n, K: n, N: n })),
  { M: 333, K: 16, N: 32, op: "tn" },
  ...[128, 256, 512].map((n): Shape => ({ M: n, K: n, N: n, op: "tn" })),
  { M: 333, K: 16, N: 32, op: "nt" },
  ...[128, 256, 512].map((n): Shape => ({ M: n, K: n, N: n, op: "nt" })),
  ...MNIST_LAYERS.map(([i, u]): Shape => ({ M: MNIST_BATCH, K: i, N: u })),
  ...MNIST_LAYERS.map(([i, u]): Shape => ({ M: i, K: MNIST_BATCH, N: u, op: "tn" })),
  // G's first layer needs no input gradient.
  ...MNIST_LAYERS.slice(1).map(([i, u]): Shape => ({ M: MNIST_BATCH, K: u, N: i, op: "nt" })),
];

export const GEMM_CONTENDERS = ["simdgan", "simdgan-threads", "tfjs-cpu", "tfjs-wasm"] as const;

/** Whether the planner runs this product packed (src/kernels/planner.ts), as a layer of its shape. */
export function packedByPlanner(s: Shape): boolean {
  if (s.op === "nt") return packsInputGrad({ inputs: s.N, units: s.K });
  return s.op === "tn" ? packsWeightGrad({ inputs: s.M, units: s.N }) : packsForward({ inputs: s.K, units: s.N });
}

export interface GemmOptions {
  quick: boolean;
  reps: number;
  torch: TorchProbe;
  log: (line: string) => void;
}

// Deterministic operands: the values do not matter to the speed, only that they are ordinary floats.
function fill(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (((i * 2654435761 + seed) >>> 0) % 1000) / 500 - 1;
  return out;
}

// threads > 1: the pool over every core, splitting as in training (calls below its threshold stay whole).
// packed: the packed product (the planner's choice for this shape, or not), with the scratch a model lays out.
async function simdganSampler(s: Shape, targetMs: number, threads = 1, packed = packedByPlanner(s)): Promise<Sampler> {
  const scratch = packScratch([{ inputs: Math.max(s.K, 256), units: Math.max(s.N, 64) }], threads);
  const bytes = 4 * (s.M * s.K + s.K * s.N + s.M * s.N + scratch.panels + scratch.ablocks) + 65536;
  const { kernels, arena } = await createEngine(undefined, { threads, memoryBytes: bytes });
  const { none } = activationCodes(kernels);
  const a = arena.alloc(s.M * s.K),
    b = arena.alloc(s.K * s.N),
    c = arena.alloc(s.M * s.N),
    panels = arena.alloc(scratch.panels),
    blocks = arena.alloc(scratch.ablocks);
  arena.write(a, fill(s.M * s.K, 1));
  arena.write(b, fill(s.K * s.N, 2));
  // gemm_tn and gemm_nt name their dimensions by their own operands: C[K,N] = A[M,K]ᵀ·B[M,N] and
  // C[M,K] = A[M,N]·B[K,N]ᵀ.
  const body =
    s.op === "tn"
      ? packed
        ? () => kernels.gemm_tn_packed(c, a, b, s.K, s.M, s.N, 0, panels, blocks, 0, s.N)
        : () => kernels.gemm_tn(c, a, b, s.K, s.M, s.N, 0)
      : s.op === "nt"
        ? packed
          ? () => kernels.gemm_nt_packed(c, a, b, s.M, s.N, s.K, 0, 0, none, 0, panels, blocks, 0, s.N)
          : () => kernels.gemm_nt(c, a, b, s.M, s.N, s.K, 0, 0, none, 0)
        : packed
          ? () => kernels.gemm_nn_packed(c, a, b, 0, s.M, s.K, s.N, 0, none, 0, panels, blocks, 0, s.N)
          : () => kernels.gemm_nn(c, a, b, 0, s.M, s.K, s.N, 0, none, 0);
  const calls = calibrate(body, targetMs);
  return () => {
    const t = performance.now();
    for (let i = 0; i < calls; i++) body();
    return (gemmFlops(s.M, s.K, s.N) * calls) / ((performance.now() - t) * 1e6);
  };
}

// Operands live on the backend that multiplies them, and each sample selects that backend first, so
// no sample pays for moving tensors between backends. The product is allocated and freed per call, as
// tfjs code does.
async function tfjsSampler(backend: "cpu" | "wasm", s: Shape, targetMs: number): Promise<Sampler> {
  await useBackend(backend);
  const ta = s.op === "tn",
    tb = s.op === "nt";
  const a = tf.tensor2d(fill(s.M * s.K, 1), ta ? [s.K, s.M] : [s.M, s.K]),
    b = tf.tensor2d(fill(s.K * s.N, 2), tb ? [s.N, s.K] : [s.K, s.N]);
  const body = () => tf.matMul(a, b, ta, tb).dispose();
  const calls = calibrate(body, targetMs);
  return async () => {
    await useBackend(backend);
    const t = performance.now();
    for (let i = 0; i < calls; i++) body();
    return (gemmFlops(s.M, s.K, s.N) * calls) / ((performance.now() - t) * 1e6);
  };
}

/** µs per split call that does no work (4 elements per thread): the barrier, posting and waking included. */
export async function barrierCost(threads: number, reps: number): Promise<BarrierResult> {
  const { kernels, arena, dispose } = await createEngine(undefined, { threads, memoryBytes: 1 << 20, minWork: 0 });
  const n = 4 * threads,
    x = arena.alloc(n),
    calls = 20_000;
  const body = () => {
    const t = performance.now();
    for (let i = 0; i < calls; i++) kernels.relu_forward(x, x, n);
    return ((performance.now() - t) * 1000) / calls;
  };
  body();
  const samples = Array.from({ length: reps }, body);
  dispose();
  return { threads, samples, summary: summarize(samples) };
}

// The roofline loops take turns with the GEMMs in every round of every shape, so the ceiling and the
// products are measured under the same conditions on a shared machine.
export async function runGemm(o: GemmOptions): Promise<GemmResult> {
  const threads = resolveThreads("auto");
  const targetMs = o.quick ? 15 : 60;
  const loops = rooflineSamplers(o.quick);
  const roof: Record<string, number[]> = Object.fromEntries(Object.keys(loops).map((k) => [k, []]));
  const rows: GemmRow[] = [];
  // PyTorch's torch.mm on its BLAS, at 1 thread and at every core, in processes that live through the suite.
  const pytorch: Record<string, TorchGemm> = {};
  if ("python" in o.torch) {
    pytorch.pytorch = await torchGemmWorker(o.torch.python, 1);
    if (threads > 1) pytorch["pytorch-threads"] = await torchGemmWorker(o.torch.python, threads);
  }
  const ceiling = threads > 1 ? await threadCeiling(threads, o.quick) : undefined;
  try {
    for (const s of SHAPES) rows.push(await gemmRow(s, o, targetMs, threads, loops, roof, pytorch, ceiling));
  } finally {
    for (const w of Object.values(pytorch)) w.close();
    ceiling?.close();
  }
  const result = roofline(roof);
  o.log(`  roofline (${result.best}): ${result.gflops.toFixed(1)} GFLOP/s`);
  const barrier = threads > 1 ? await barrierCost(threads, o.reps) : undefined;
  if (barrier) o.log(`  barrier at ${threads} threads: ${barrier.summary.median.toFixed(1)} µs per call`);
  const torch = pytorch.pytorch ? { torch: pytorch.pytorch.torch, blas: pytorch.pytorch.blas } : o.torch;
  return { roofline: result, rows, threads, ...(barrier ? { barrier } : {}), torch: torch as GemmResult["torch"] };
}

// One shape's row: every contender and the roofline loops, taking turns round by round.
async function gemmRow(
  s: Shape,
  o: GemmOptions,
  targetMs: number,
  threads: number,
  loops: Record<string, Sampler>,
  roof: Record<string, number[]>,
  pytorch: Record<string, TorchGemm>,
  ceiling: ThreadCeiling | undefined,
): Promise<GemmRow> {
  const all = await interleave(
    {
      simdgan: await simdganSampler(s, targetMs),
      // Where the planner packs: the plain product beside it, to show what packing gains.
      ...(packedByPlanner(s) ? { "simdgan-plain": await simdganSampler(s, targetMs, 1, false) } : {}),
      "simdgan-threads": await simdganSampler(s, targetMs, threads),
      "tfjs-cpu": await tfjsSampler("cpu", s, targetMs),
      "tfjs-wasm": await tfjsSampler("wasm", s, targetMs),
      // Before PyTorch's turn: OpenBLAS's idle threads spin for a while after a call, on a core the ceiling's
      // every-core sample needs (right after them it measured one core's worth).
      ...ceiling?.samplers,
      ...Object.fromEntries(
        Object.entries(pytorch).map(([k, w]) => [k, () => w.sample(s.op ?? "nn", s.M, s.K, s.N, targetMs)]),
      ),
      ...Object.fromEntries(Object.entries(loops).map(([k, f]) => [`roofline:${k}`, f])),
    },
    { warmup: 1, reps: o.reps },
  );
  const threadCeil = takeCeiling(all);
  const samples: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(all)) {
    if (k.startsWith("roofline:")) roof[k.slice("roofline:".length)]!.push(...v);
    else samples[k] = v;
  }
  const summary = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
  const shown = Object.keys(summary);
  o.log(`  ${shapeLabel(s)}: ${shown.map((c) => `${c} ${summary[c]!.median.toFixed(1)}`).join(", ")} GFLOP/s`);
  return { ...s, samples, summary, ...(threadCeil ? { ceiling: threadCeil } : {}) };
}
