// Where simdgan's reference epoch goes: one run with every kernel call timed, grouped by kernel and shape,
// and the time spent outside the kernels (the TypeScript step, JS-to-wasm calls). The timers add a
// little to every call, so the run is slower than a plain one; the shares are what it is for.
import { createEngine, GAN, resolveOptions } from "../../src/index.js";

export interface KernelTime {
  /** Kernel name, with the product's shape for GEMMs (C[M,N], inner K, as in the GEMM table). */
  kernel: string;
  msPerEpoch: number;
  callsPerEpoch: number;
}

export interface ReferenceProfile {
  epochs: number;
  msPerEpoch: number;
  kernels: KernelTime[];
  /** Time outside every kernel call, ms per epoch. */
  outsideMs: number;
}

// A GEMM's shape as C[M,N] = op(A)·op(B) with inner dimension K, from its arguments.
function label(name: string, a: readonly number[]): string {
  if (name === "gemm_nn" || name === "gemm_nn_packed") return `${name} ${a[4]}x${a[5]}x${a[6]}`;
  if (name === "gemm_tn" || name === "gemm_tn_packed") return `${name} ${a[4]}x${a[3]}x${a[5]} (AᵀB)`;
  if (name === "gemm_nt") return `gemm_nt ${a[3]}x${a[5]}x${a[4]} (ABᵀ)`;
  return name;
}

export async function profileReference(epochs: number): Promise<ReferenceProfile> {
  const engine = await createEngine();
  const kernels = engine.kernels as unknown as Record<string, unknown>;
  const spent = new Map<string, { ms: number; calls: number }>();
  for (const [name, f] of Object.entries(kernels)) {
    if (typeof f !== "function" || name === "heap_base") continue;
    const kernel = f as (...a: number[]) => unknown;
    kernels[name] = (...a: number[]) => {
      const t = performance.now();
      const r = kernel(...a);
      const ms = performance.now() - t,
        key = label(name, a),
        s = spent.get(key);
      if (s) {
        s.ms += ms;
        s.calls++;
      } else spent.set(key, { ms, calls: 1 });
      return r;
    };
  }
  // Built on the instrumented engine, so the calls the trainer captures at construction are timed too.
  const gan = new GAN(engine, resolveOptions({ seed: 1 }));
  gan.train({ epochs: Math.min(epochs, 100) }); // warm-up
  spent.clear();
  const { seconds } = gan.train({ epochs });
  const msPerEpoch = (seconds * 1000) / epochs;
  const list = [...spent]
    .map(([kernel, s]) => ({ kernel, msPerEpoch: s.ms / epochs, callsPerEpoch: s.calls / epochs }))
    .sort((a, b) => b.msPerEpoch - a.msPerEpoch);
  return { epochs, msPerEpoch, kernels: list, outsideMs: msPerEpoch - list.reduce((s, k) => s + k.msPerEpoch, 0) };
}
