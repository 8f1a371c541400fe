// Where a training step goes: every kernel call timed, grouped by kernel and shape, and the time spent
// outside the kernels (the TypeScript step, JS-to-wasm calls). The timers add a little to every call, so
// the run is slower than a plain one; the shares are what it is for. With a thread pool the calls timed
// are the pool's (a split call's time includes its barrier), and each row says how many of its calls the
// pool split.
import { createEngine, GAN, memoryPlan, resolveOptions, type Engine, type GANOptions } from "../../src/index.js";

export interface KernelTime {
  /** Kernel name, with the product's shape for GEMMs (C[M,N], inner K, as in the GEMM table). */
  kernel: string;
  msPerEpoch: number;
  callsPerEpoch: number;
  /** Of those calls, how many the pool split across its threads. */
  splitPerEpoch?: number;
}

export interface ReferenceProfile {
  epochs: number;
  msPerEpoch: number;
  kernels: KernelTime[];
  /** Time outside every kernel call, ms per epoch. */
  outsideMs: number;
}

// A kernel's label: GEMMs by shape C[M,N] = op(A)·op(B) with inner dimension K, the others by their size.
function label(name: string, a: readonly number[]): string {
  if (name === "gemm_nn" || name === "gemm_nn_packed") return `${name} ${a[4]}x${a[5]}x${a[6]}`;
  if (name === "gemm_tn" || name === "gemm_tn_packed") return `${name} ${a[4]}x${a[3]}x${a[5]} (AᵀB)`;
  if (name === "gemm_nt") return `gemm_nt ${a[3]}x${a[5]}x${a[4]} (ABᵀ)`;
  if (name === "sum_rows") return `sum_rows ${a[2]}x${a[3]}`;
  if (name === "unit_backward") return `unit_backward ${a[5]}x${a[6]}${a[0] ? " (dW)" : ""}`;
  return name;
}

type Spent = Map<string, { ms: number; calls: number; split: number }>;

// Wraps every kernel of the engine in a timer; call before a model is built on it, so that the calls
// the trainer captures at construction are timed too.
function instrument(engine: Engine): Spent {
  const kernels = engine.kernels as unknown as Record<string, unknown>,
    pool = engine.pool;
  const spent: Spent = new Map();
  for (const [name, f] of Object.entries(kernels)) {
    if (typeof f !== "function" || name === "heap_base") continue;
    const kernel = f as (...a: number[]) => unknown;
    kernels[name] = (...a: number[]) => {
      const before = pool?.splitCalls ?? 0,
        t = performance.now();
      const r = kernel(...a);
      const ms = performance.now() - t,
        split = (pool?.splitCalls ?? 0) > before ? 1 : 0,
        key = label(name, a),
        s = spent.get(key);
      if (s) {
        s.ms += ms;
        s.calls++;
        s.split += split;
      } else spent.set(key, { ms, calls: 1, split });
      return r;
    };
  }
  return spent;
}

function table(spent: Spent, per: number): KernelTime[] {
  return [...spent]
    .map(([kernel, s]) => ({
      kernel,
      msPerEpoch: s.ms / per,
      callsPerEpoch: s.calls / per,
      splitPerEpoch: s.split / per,
    }))
    .sort((a, b) => b.msPerEpoch - a.msPerEpoch);
}

export async function profileReference(epochs: number): Promise<ReferenceProfile> {
  const engine = await createEngine();
  const spent = instrument(engine);
  const gan = new GAN(engine, resolveOptions({ seed: 1 }));
  gan.train({ epochs: Math.min(epochs, 100) }); // warm-up
  spent.clear();
  const { seconds } = gan.train({ epochs });
  const msPerEpoch = (seconds * 1000) / epochs,
    kernels = table(spent, epochs);
  return { epochs, msPerEpoch, kernels, outsideMs: msPerEpoch - kernels.reduce((s, k) => s + k.msPerEpoch, 0) };
}

export interface StepProfile {
  threads: number;
  steps: number;
  msPerStep: number;
  /** Per training step (the fields say "epoch" for the reference profile's sake). */
  kernels: KernelTime[];
  outsideMs: number;
}

/** `steps` calls of gan.trainStep(batch) on a GAN of `options` at `threads`, every kernel call timed. */
export async function profileSteps(
  options: GANOptions,
  batch: { real: ArrayLike<number>; labels?: ArrayLike<number> },
  threads: number,
  steps: number,
): Promise<StepProfile> {
  const resolved = resolveOptions({ ...options, threads });
  const engine = await createEngine(undefined, { threads, memoryBytes: memoryPlan(resolved).bytes });
  const spent = instrument(engine);
  const gan = new GAN(engine, resolved);
  try {
    for (let i = 0; i < 3; i++) gan.trainStep(batch); // warm-up
    spent.clear();
    const t = performance.now();
    for (let i = 0; i < steps; i++) gan.trainStep(batch);
    const msPerStep = (performance.now() - t) / steps,
      kernels = table(spent, steps);
    return { threads, steps, msPerStep, kernels, outsideMs: msPerStep - kernels.reduce((s, k) => s + k.msPerEpoch, 0) };
  } finally {
    gan.dispose();
  }
}
