// The thread pool: every split kernel gives the single thread's bits at 2, 3 and 4 threads; training is
// bit-identical at every thread count; faults fail the call and poison the GAN instead of hanging; the
// pool's threads end on dispose and never keep Node alive; the memory plan bounds what a GAN lays out.
import { execFile } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createGAN, GAN, memoryPlan, OptionError, resolveOptions, ThreadError } from "../src/index.js";
import type { GANOptions } from "../src/index.js";
import { createEngine, type Engine } from "../src/wasm/load.js";
import { activationCodes } from "../src/kernels/boundary.js";
import { gemmNTNaive, gemmTNNaive, sumRowsNaive } from "./reference.js";
import { get, put, randomArray } from "./helpers.js";

const engines: Engine[] = [];
async function threaded(threads: number, timeoutMs?: number, chunks?: number): Promise<Engine> {
  // minWork 0: split every call, however small, so small shapes exercise every chunk boundary.
  const e = await createEngine(undefined, {
    threads,
    memoryBytes: 1 << 24,
    minWork: 0,
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(chunks ? { chunks } : {}),
  });
  engines.push(e);
  return e;
}
afterAll(() => engines.forEach((e) => e.dispose()));

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

// One kernel call on fresh inputs (the same in every engine); returns every buffer it may write.
type Call = (e: Engine, seed: number) => Float32Array[];

function product(
  kind: "nn" | "tn" | "nt" | "nn_packed" | "tn_packed" | "nt_packed",
  M: number,
  K: number,
  N: number,
  flags: number,
): Call {
  return (e, seed) => {
    const tn = kind === "tn" || kind === "tn_packed",
      nt = kind === "nt" || kind === "nt_packed";
    const a = put(e, randomArray(nt ? M * N : M * K, seed)),
      b = put(e, randomArray(tn ? M * N : K * N, seed + 1));
    // The packed products' scratch: panels of B (Bᵀ: K columns of an inner length N), and a block of A
    // (4 x the slice's rows) for each of up to 4 shares.
    const inner = tn ? M : nt ? N : K,
      panels = put(e, new Float32Array(e.kernels.packed_panel_floats(inner, nt ? K : N))),
      ablocks = put(e, new Float32Array(2 * e.kernels.packed_panel_floats(inner, 8)));
    const rows = tn ? K : M,
      cols = nt ? K : N;
    const c = put(e, randomArray(rows * cols, seed + 2)),
      bias = put(e, randomArray(N, seed + 3)),
      mask = put(e, randomArray(M * K, seed + 4));
    const codes = activationCodes(e.kernels);
    const acc = (flags & 1) as 0 | 1,
      act = [codes.none, codes.relu, codes.leaky][(flags >> 1) % 3]!;
    if (kind === "nn") e.kernels.gemm_nn(c, a, b, flags & 8 ? bias : 0, M, K, N, acc, act, 0.2);
    else if (kind === "tn") e.kernels.gemm_tn(c, a, b, M, K, N, acc);
    else if (kind === "nn_packed")
      e.kernels.gemm_nn_packed(c, a, b, flags & 8 ? bias : 0, M, K, N, acc, act, 0.2, panels, ablocks, 0, N);
    else if (kind === "tn_packed") e.kernels.gemm_tn_packed(c, a, b, M, K, N, acc, panels, ablocks, 0, N);
    else if (kind === "nt_packed")
      e.kernels.gemm_nt_packed(c, a, b, M, K, N, acc, mask, act, 0.2, panels, ablocks, 0, K);
    else e.kernels.gemm_nt(c, a, b, M, K, N, acc, mask, act, 0.2);
    return [get(e, c, rows * cols)];
  };
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 2],
  [13, 7, 9],
  [37, 1, 33],
  [37, 17, 1],
  [130, 20, 67],
  [333, 16, 32],
  [64, 300, 70],
  [70, 260, 75],
  // dW of a layer of 2 and 3 inputs, split by columns (K < 4), one of them over slices of the rows.
  [300, 2, 131],
  [600, 3, 70],
];

const CALLS: [string, Call][] = [];
for (const [M, K, N] of SHAPES) {
  for (const flags of [0, 3, 5, 13]) {
    for (const kind of ["nn", "tn", "nt", "nn_packed", "tn_packed", "nt_packed"] as const)
      CALLS.push([`gemm_${kind} ${M}x${K}x${N} flags ${flags}`, product(kind, M, K, N, flags)]);
  }
  CALLS.push([
    `unit_backward dx only ${M}x${K}`,
    (e, s) => {
      const dx = put(e, new Float32Array(M * K)),
        x = put(e, randomArray(M * K, s)),
        dz = put(e, randomArray(M, s + 1)),
        w = put(e, randomArray(K, s + 2));
      e.kernels.unit_backward(0, dx, x, dz, w, M, K, 0, activationCodes(e.kernels).leaky, 0.2);
      return [get(e, dx, M * K)];
    },
  ]);
  for (const acc of [0, 1] as const) {
    CALLS.push([
      `unit_backward dw and dx ${M}x${K + N}, accumulate ${acc}`,
      (e, s) => {
        // K + N columns (2 to 370): shares of 8 columns meet the tail of the last (K + N) mod 8 one by one.
        const W = K + N,
          dw = put(e, randomArray(W, s + 3)),
          dx = put(e, new Float32Array(M * W)),
          x = put(e, randomArray(M * W, s)),
          dz = put(e, randomArray(M, s + 1)),
          w = put(e, randomArray(W, s + 2)),
          codes = activationCodes(e.kernels);
        const out: Float32Array[] = [];
        for (const act of [codes.none, codes.relu, codes.leaky]) {
          e.kernels.unit_backward(dw, dx, x, dz, w, M, W, acc, act, 0.2);
          out.push(get(e, dw, W), get(e, dx, M * W));
        }
        e.kernels.unit_backward(dw, 0, x, dz, w, M, W, acc, codes.none, 0);
        return [...out, get(e, dw, W)];
      },
    ]);
    CALLS.push([
      `sum_rows ${M}x${K + N}, accumulate ${acc}`,
      (e, s) => {
        const W = K + N,
          out = put(e, randomArray(W, s + 1));
        e.kernels.sum_rows(out, put(e, randomArray(M * W, s)), M, W, acc);
        return [get(e, out, W)];
      },
    ]);
  }
  CALLS.push([
    `critic1d_forward and unit_input_grad ${M} rows, ${N} units`,
    (e, s) => {
      const z = put(e, new Float32Array(M)),
        h = put(e, new Float32Array(M * N)),
        x = put(e, randomArray(M, s)),
        w1 = put(e, randomArray(N, s + 1)),
        b1 = put(e, randomArray(N, s + 2)),
        w2 = put(e, randomArray(N, s + 3)),
        b2 = put(e, randomArray(1, s + 4)),
        dx = put(e, new Float32Array(M));
      e.kernels.critic1d_forward(z, h, x, w1, b1, w2, b2, M, N);
      e.kernels.unit_input_grad(dx, h, z, w1, w2, M, N, activationCodes(e.kernels).leaky, 0.1);
      return [get(e, z, M), get(e, h, M * N), get(e, dx, M)];
    },
  ]);
}
for (const n of [1, 3, 4, 7, 130, 1001]) {
  CALLS.push([
    `activations and optimizers over ${n} values`,
    (e, s) => {
      const k = e.kernels,
        x = put(e, randomArray(n, s, -4, 4)),
        g = put(e, randomArray(n, s + 1)),
        out: Float32Array[] = [];
      const y = put(e, new Float32Array(n)),
        d = put(e, new Float32Array(n));
      const forward = [k.relu_forward, k.sigmoid_forward, k.tanh_forward];
      for (const f of forward) {
        f(y, x, n);
        out.push(get(e, y, n));
      }
      k.leaky_relu_forward(y, x, n, 0.2);
      k.relu_backward(d, g, x, n);
      out.push(get(e, y, n), get(e, d, n));
      k.leaky_relu_backward(d, g, x, n, 0.2);
      out.push(get(e, d, n));
      k.sigmoid_backward(d, g, y, n);
      out.push(get(e, d, n));
      k.tanh_backward(d, g, y, n);
      out.push(get(e, d, n));
      const w = put(e, randomArray(n, s + 2)),
        m = put(e, randomArray(n, s + 3, 0, 0.1)),
        v = put(e, randomArray(n, s + 4, 0, 0.1));
      const pows = put(e, Float32Array.of(1, 1));
      k.adam_update(w, g, m, v, n, 0.001, 0.9, 0.999, 1e-7, pows);
      k.rmsprop_update(w, g, m, v, n, 0.001, 0.9, 0.5, 1e-7);
      k.sgd_update(w, g, m, n, 0.01, 0.9);
      out.push(get(e, w, n), get(e, m, n), get(e, v, n), get(e, pows, 2));
      return out;
    },
  ]);
}

for (const n of [1, 5, 64, 1001]) {
  CALLS.push([
    `finite_check over ${n} values, finite or one NaN / infinity in each share's range`,
    (e, s) => {
      // out: a float per thread, as a GAN lays it out.
      const out = put(e, new Float32Array(4)),
        values = randomArray(n, s),
        flags: Float32Array[] = [];
      for (const [at, bad] of [
        [-1, 0],
        [0, NaN],
        [n >> 1, Infinity],
        [n - 1, -Infinity],
      ] as const) {
        const v = values.slice();
        if (at >= 0) v[at] = bad;
        e.kernels.finite_check(out, put(e, v), n);
        flags.push(get(e, out, 1));
      }
      return flags;
    },
  ]);
}

describe("split kernels", () => {
  it("give the single thread's bits at 2-4 threads and 1-3 chunks a thread, odd shapes, every flag", async () => {
    const one = await createEngine();
    const pools = [
      await threaded(2),
      await threaded(3),
      await threaded(4),
      await threaded(2, 0, 3),
      await threaded(3, 0, 2),
    ];
    CALLS.forEach(([name, call], i) => {
      const want = call(one, 100 * i).map(bits);
      pools.forEach((e, p) =>
        expect(call(e, 100 * i).map(bits), `${name} at ${e.threads} threads (pool ${p})`).toEqual(want),
      );
    });
    for (const e of pools) expect(e.pool!.splitCalls).toBeGreaterThan(50);
  });

  // gemm_tn's C[K,N] computed range by range through `part`: the reference's within rounding, the whole call's bits.
  const tnByRanges = (
    e: Engine,
    M: number,
    K: number,
    N: number,
    acc: 0 | 1,
    part: (c: number, pa: number, pb: number) => void,
  ) => {
    const a = randomArray(M * K, 1),
      b = randomArray(M * N, 2),
      c0 = randomArray(K * N, 3);
    const want = gemmTNNaive(a, b, acc ? c0 : null, M, K, N);
    const pa = put(e, a),
      pb = put(e, b),
      c = put(e, c0),
      whole = put(e, c0);
    part(c, pa, pb);
    const got = get(e, c, K * N);
    got.forEach((v, i) => expect(Math.abs(v - want.c[i]!)).toBeLessThanOrEqual(1e-6 * want.mag[i]! + 1e-30));
    e.kernels.gemm_tn(whole, pa, pb, M, K, N, acc);
    expect(bits(got), `${M}x${K}x${N}, accumulate ${acc}`).toEqual(bits(get(e, whole, K * N)));
  };

  it("gemm_tn_rows: any range of C's rows, each the reference's within rounding", async () => {
    const e = await createEngine(),
      [M, K, N] = [70, 23, 19];
    tnByRanges(e, M, K, N, 0, (c, pa, pb) => {
      for (const [k0, k1] of [
        [0, 8],
        [8, 20],
        [20, 23],
      ] as const)
        e.kernels.gemm_tn_rows(c, pa, pb, M, K, N, 0, k0, k1);
    });
  });
  it("gemm_tn_cols: any sweep of 16-column ranges gives the whole call's bits, near the reference", async () => {
    const e = await createEngine();
    for (const [M, K, N] of [
      [70, 2, 37],
      [600, 3, 70],
      [9, 5, 16],
    ] as const) {
      for (const acc of [0, 1] as const) {
        tnByRanges(e, M, K, N, acc, (c, pa, pb) => {
          for (const [n0, n1] of [
            [0, 16],
            [16, 48],
            [48, N],
          ] as const)
            if (n0 < N) e.kernels.gemm_tn_cols(c, pa, pb, M, K, N, acc, n0, Math.min(n1, N));
        });
      }
    }
  });
  it("sum_rows_cols, unit_backward_cols: whole sweeps give the whole call's bits, near the reference", async () => {
    const e = await createEngine(),
      [M, K] = [45, 77],
      codes = activationCodes(e.kernels);
    const a = randomArray(M * K, 1),
      dz = randomArray(M, 2),
      w = randomArray(K, 3);
    const pa = put(e, a),
      pdz = put(e, dz),
      pw = put(e, w);
    const db = put(e, new Float32Array(K)),
      dw = put(e, new Float32Array(K)),
      dx = put(e, new Float32Array(M * K));
    // sum_rows sweeps 16 columns at a time, unit_backward 8: shares cut there, the last one reaching K.
    for (const [n0, n1] of [
      [0, 16],
      [16, 64],
      [64, 77],
    ] as const)
      e.kernels.sum_rows_cols(db, pa, M, K, 0, n0, n1);
    for (const [k0, k1] of [
      [0, 8],
      [8, 40],
      [40, 77],
    ] as const)
      e.kernels.unit_backward_cols(dw, dx, pa, pdz, pw, M, K, 0, codes.leaky, 0.2, k0, k1);
    const sums = sumRowsNaive(a, null, M, K),
      grad = gemmTNNaive(a, dz, null, M, K, 1),
      input = gemmNTNaive(dz, w, null, M, K, 1, a, 0.2);
    const near = (got: Float32Array, want: { c: Float64Array; mag: Float64Array }) =>
      got.forEach((v, i) => expect(Math.abs(v - want.c[i]!)).toBeLessThanOrEqual(1e-6 * want.mag[i]! + 1e-30));
    near(get(e, db, K), sums);
    near(get(e, dw, K), grad);
    near(get(e, dx, M * K), input);
    const got = [get(e, db, K), get(e, dw, K), get(e, dx, M * K)].map(bits);
    e.kernels.sum_rows(db, pa, M, K, 0);
    e.kernels.unit_backward(dw, dx, pa, pdz, pw, M, K, 0, codes.leaky, 0.2);
    expect(got).toEqual([get(e, db, K), get(e, dw, K), get(e, dx, M * K)].map(bits));
  });
});

// Trains and returns every weight of both models and the last losses, as bits.
async function trained(options: GANOptions, epochs: number, threads = 1, chunks = 1) {
  const resolved = resolveOptions(options);
  const engine = await createEngine(undefined, {
    threads,
    chunks,
    minWork: 0,
    memoryBytes: memoryPlan(resolved).bytes,
  });
  const gan = new GAN(engine, resolved);
  try {
    gan.train({ epochs });
    const weights = [...gan.generator.getWeights(), ...gan.discriminator.getWeights(), Float32Array.of(gan.dLoss)];
    return { bits: weights.map(bits), split: gan.engine.pool?.splitCalls ?? 0 };
  } finally {
    gan.dispose();
  }
}

describe("training", () => {
  const odd: GANOptions = {
    seed: 5,
    samples: 203,
    batches: 2,
    target: { kind: "ring", modes: 5, radius: 2, std: 0.05 },
    noiseDim: 7,
    gHidden: [37, 18],
    dHidden: [29, 13],
    gActivation: "tanh",
    dActivation: { name: "leaky_relu", alpha: 0.2 },
    dOptimizer: { type: "rmsprop", learningRate: 0.001, momentum: 0.5 },
    gOptimizer: { type: "sgd", learningRate: 0.01, momentum: 0.9 },
    shuffle: true,
  };
  it.each([
    ["odd shapes (2-D ring, tanh and leaky relu, RMSprop and SGD)", odd, 6],
    ["the reference workload", {}, 12],
    ["wide layers and a large batch", { gHidden: [96, 64], dHidden: [80], batchSize: 250, seed: 2 }, 3],
    ["packed products, Adam split", { gHidden: [260, 72], dHidden: [70], batchSize: 130, seed: 3 }, 2],
  ])("weights are bit-identical at 1, 2, 3 and 4 threads, and in 3 chunks a thread: %s", async (_, options, epochs) => {
    const want = await trained(options, epochs);
    for (const [threads, chunks] of [
      [2, 1],
      [3, 1],
      [4, 1],
      [2, 3],
    ] as const) {
      const got = await trained(options, epochs, threads, chunks);
      expect(got.bits, `${threads} threads, ${chunks} chunks a thread`).toEqual(want.bits);
      expect(got.split).toBeGreaterThan(0);
    }
  });

  it("auto runs the reference workload, whose calls all fall below the size that starts a pool, alone", async () => {
    const want = await trained({}, 20);
    const gan = await createGAN({ threads: "auto" });
    gan.train({ epochs: 20 });
    expect(
      [...gan.generator.getWeights(), ...gan.discriminator.getWeights(), Float32Array.of(gan.dLoss)].map(bits),
    ).toEqual(want.bits);
    expect([gan.threads, gan.engine.pool]).toEqual([1, null]);
    gan.dispose();
  });

  it("auto gives every core to a model with a call big enough to split, and splits only the big calls", async () => {
    const gan = await createGAN({ threads: "auto", gHidden: [160], dHidden: [160], batchSize: 500, samples: 1000 });
    expect(gan.threads).toBe(availableParallelism());
    const pool = gan.engine.pool;
    if (availableParallelism() > 1) {
      expect(pool).not.toBeNull();
      gan.train({ epochs: 1 });
      expect(pool!.splitCalls).toBeGreaterThan(0);
      const before = pool!.splitCalls,
        a = gan.engine.arena.alloc(3 * 16 * 16);
      const none = activationCodes(gan.engine.kernels).none;
      gan.engine.kernels.gemm_nn(a, a + 4 * 256, a + 8 * 256, 0, 16, 16, 16, 0, none, 0); // 4k multiply-adds
      expect(pool!.splitCalls).toBe(before);
    }
    gan.dispose();
  });
});

describe("faults", () => {
  // Chunks go to whichever thread claims them first: a trap names the thread it happened on.
  const trap = /(pool thread \d|the calling thread) failed in gemm_nn: RuntimeError: memory access out of bounds/;
  it("a thread that throws fails the call with its error and leaves the GAN unusable", async () => {
    const e = await threaded(2);
    const gan = new GAN(e, resolveOptions({ seed: 3 }));
    gan.train({ epochs: 2 });
    // A product whose last rows lie past the end of memory: the first rows are in bounds, the last trap.
    const end = e.kernels.memory.buffer.byteLength,
      M = 64,
      N = 32;
    const c = end - (M / 2) * N * 4;
    expect(() => e.kernels.gemm_nn(c, 0, 0, 0, M, 4, N, 0, activationCodes(e.kernels).none, 0)).toThrow(trap);
    expect(() => gan.train({ epochs: 1 })).toThrow(ThreadError);
    expect(() => gan.generate(10)).toThrow(/unusable/);
    expect(() => gan.generator.getWeights()).toThrow(/unusable/);
  });

  it("so does a trap in the first rows, where the calling thread trapped alone and left the GAN usable", async () => {
    const e = await threaded(2);
    const gan = new GAN(e, resolveOptions({ seed: 3 }));
    gan.train({ epochs: 1 });
    // C's first rows lie at the top of the 4 GiB address space, past the memory; its last rows wrap round
    // to address 0 and are in bounds (a static split gave the trap to the calling thread, which did not
    // fail the pool).
    const M = 64,
      N = 32;
    const c = 2 ** 32 - (M / 2) * N * 4;
    expect(() => e.kernels.gemm_nn(c, 0, 0, 0, M, 4, N, 0, activationCodes(e.kernels).none, 0)).toThrow(trap);
    expect(() => gan.generate(10)).toThrow(/unusable/);
  });

  it("a thread that dies fails the next call within the timeout instead of hanging", async () => {
    const e = await threaded(3, 400);
    const gan = new GAN(e, resolveOptions({ seed: 4, gHidden: [64], dHidden: [64] }));
    gan.train({ epochs: 1 });
    (e.pool as unknown as { workers: { terminate(): void }[] }).workers[1]!.terminate();
    const started = performance.now();
    expect(() => gan.train({ epochs: 5 })).toThrow(ThreadError);
    expect(performance.now() - started).toBeLessThan(10_000); // the barrier's timeout, not a hang
    expect(() => gan.discriminate([0.5])).toThrow(ThreadError);
  });

  it("dispose ends the threads, and a later call refuses", async () => {
    const gan = await createGAN({ threads: 2 });
    gan.train({ epochs: 2 });
    const pool = gan.engine.pool!;
    gan.dispose();
    await pool.exited;
    expect(() => gan.train({ epochs: 1 })).toThrow(/disposed/);
  });

  it("a Node process that never calls dispose still exits when its work is done", async () => {
    const index = fileURLToPath(new URL("../dist/src/index.js", import.meta.url));
    const script = `const { createGAN } = await import(${JSON.stringify(index)});
      const gan = await createGAN({ threads: 2, gHidden: [64] }); gan.train({ epochs: 3 }); console.log("trained");`;
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ["--input-type=module", "-e", script], { timeout: 20_000 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
    });
    expect(out.trim()).toBe("trained");
  });
});

describe("memory", () => {
  it("a model that cannot fit a wasm32 memory is refused before anything is laid out, naming the limit", async () => {
    const refused = createGAN({ dHidden: [40_000, 40_000], threads: 2 });
    await expect(refused).rejects.toThrow(OptionError);
    await expect(refused).rejects.toThrow(
      /invalid dHidden: .*would need \d+\.\d\d GiB of wasm memory; at most 4\.00 GiB fit/,
    );
  });

  it("a shared memory declares its maximum from the plan, and a call past it is refused naming it", async () => {
    const gan = await createGAN({ threads: 2 });
    const { arena } = gan.engine;
    expect(arena.limit).toBeGreaterThanOrEqual(memoryPlan(gan.options).bytes);
    expect(arena.limit).toBeLessThan(16 * 2 ** 20);
    // A batch larger than the plan's makes trainStep lay out more buffers: past the maximum, it is refused.
    const real = new Float32Array(Math.ceil(arena.limit / 8));
    expect(() => gan.trainStep({ real })).toThrow(/shared memory declared 0\.\d\d GiB at most, from the model's plan/);
    gan.dispose();
  });
});

describe("options", () => {
  it("threads must be a whole number in [1, 256] or auto", async () => {
    for (const bad of [0, -1, 1.5, 257, "all", null])
      await expect(createGAN({ threads: bad as never })).rejects.toThrow(/invalid threads: .* \(must be "auto" or/);
    const gan = await createGAN({ threads: "auto" });
    expect(gan.threads).toBeGreaterThanOrEqual(1);
    gan.dispose();
  });
});

describe("simdgan --threads", () => {
  const bin = fileURLToPath(new URL("../dist/src/cli/main.js", import.meta.url));
  const simdgan = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [bin, ...args], { timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const untimed = (text: string) => text.replace(/^trained .*$/m, "");

  it("prints the same report lines and summary at 1, 2 and auto threads, on layers wide enough to split", async () => {
    const args = ["train", "--epochs", "12", "--g-hidden", "160", "--d-hidden", "160", "--batch-size", "500"];
    const one = await simdgan(...args);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/epoch = 10, D-Loss/);
    for (const threads of ["2", "auto"]) {
      const many = await simdgan(...args, "--threads", threads);
      expect(many.code).toBe(0);
      expect(untimed(many.stdout)).toBe(untimed(one.stdout));
    }
  });

  it.each([["0"], ["1.5"], ["all"], ["257"]])("rejects --threads %s with status 2 naming the flag", async (v) => {
    const { code, stderr } = await simdgan("train", "--threads", v);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`simdgan: invalid --threads '${v}': must be "auto" or a whole number in [1, 256]`);
  });
});
