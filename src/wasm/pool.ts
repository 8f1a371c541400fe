// The thread pool: one instance of the shared-memory module per thread over one WebAssembly.Memory, and
// kernels that split a heavy call into contiguous shares of its output, one per thread (the calling
// thread takes the first). A share is a run of whole tiles (four rows of a product, four lanes of an
// elementwise kernel), the tail going to the last share, and no reduction is ever cut: every output is
// summed in exactly the single-threaded order, so any thread count gives the same bits.
// The barrier is a countdown word in shared memory: Atomics.wait / notify, after a short spin.
import type { Kernels } from "../kernels/boundary.js";
import { canBlock, startThread, type Thread } from "./platform.js";
import type { WorkerSetup } from "./worker.js";

/** The kernels the pool splits, by id (the order the threads look them up in). */
const SPLIT = [
  "gemm_nn",
  "gemm_tn_rows",
  "gemm_tn_cols",
  "gemm_nt",
  "gemm_nn_packed",
  "gemm_tn_packed",
  "gemm_nt_packed",
  "unit_backward",
  "unit_backward_cols",
  "sum_rows_cols",
  "finite_check",
  "critic1d_forward",
  "unit_input_grad",
  "relu_forward",
  "relu_backward",
  "leaky_relu_forward",
  "leaky_relu_backward",
  "sigmoid_forward",
  "sigmoid_backward",
  "tanh_forward",
  "tanh_backward",
  "rmsprop_update",
  "sgd_update",
  "adam_step",
] as const;
type SplitName = (typeof SPLIT)[number];
const ID = Object.fromEntries(SPLIT.map((name, i) => [name, i])) as Record<SplitName, number>;

// Control block layout: one 64-byte line each for the barrier words and every thread's sequence word,
// then each thread's task (15 f64: kernel id and up to 14 arguments), then its error text.
const PENDING = 0,
  FAILED = 1,
  LINE = 16, // int32 words per 64-byte line
  TASK_BYTES = 128,
  ERROR_CHARS = 256;

export interface PoolOptions {
  /** Threads in all, the calling one included (>= 2). */
  threads: number;
  /** Splits only calls of at least this much work (multiply-adds or element updates); 0 splits all. */
  minWork: number;
  /** How long the barrier waits for a share before it gives up on the pool. */
  timeoutMs: number;
  /** Polls of a word before sleeping on it, in the threads and at the barrier. */
  spin: number;
}

/** Raised by a pool whose thread failed or timed out: the memory it shares is no longer trustworthy. */
export class ThreadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ThreadError";
  }
}

export class Pool {
  readonly threads: number;
  /** The first failure; once set, every call refuses. */
  failure: ThreadError | null = null;
  /** Calls split, and calls kept on one thread (for the bench and the tests). */
  splitCalls = 0;
  wholeCalls = 0;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private readonly text: Uint16Array;
  private readonly seqs: Int32Array;
  private readonly block = canBlock();
  private running = "";
  private closed = false;

  private constructor(
    private readonly workers: Thread[],
    private readonly control: SharedArrayBuffer,
    readonly options: PoolOptions,
  ) {
    this.threads = options.threads;
    this.i32 = new Int32Array(control);
    this.f64 = new Float64Array(control);
    this.text = new Uint16Array(control);
    this.seqs = new Int32Array(options.threads - 1);
  }

  /** Starts threads - 1 workers on the shared module and memory; resolves when every one is ready. */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, options: PoolOptions): Promise<Pool> {
    const n = options.threads - 1;
    const control = new SharedArrayBuffer(64 * (n + 1) + TASK_BYTES * n + 2 * ERROR_CHARS * n);
    const workers: Thread[] = [];
    const pool = new Pool(workers, control, options);
    const ready: Promise<void>[] = [];
    for (let w = 0; w < n; w++) {
      const thread = startThread();
      workers.push(thread);
      ready.push(
        new Promise<void>((resolve, reject) => {
          thread.listen(
            (data) => {
              const m = data as { ready?: boolean; error?: string };
              if (m.ready) resolve();
              else reject(new ThreadError(`simdgan: pool thread ${w + 1} could not start: ${m.error}`));
            },
            (error) => {
              const failure = new ThreadError(`simdgan: pool thread ${w + 1} failed: ${error.message}`);
              if (!pool.closed) pool.failure ??= failure;
              reject(failure);
            },
          );
        }),
      );
      const setup: WorkerSetup = {
        module,
        memory,
        control,
        names: [...SPLIT],
        seq: pool.seqAt(w),
        task: pool.taskAt(w),
        error: pool.errorAt(w),
        errorLength: ERROR_CHARS,
        pending: PENDING,
        failed: FAILED,
        index: w + 1,
        spin: options.spin,
      };
      thread.postMessage(setup);
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      pool.dispose();
      throw error;
    }
    for (const t of workers) t.unref();
    return pool;
  }

  private seqAt(w: number): number {
    return LINE * (w + 1);
  }
  private taskAt(w: number): number {
    return (64 * this.threads + TASK_BYTES * w) / 8;
  }
  private errorAt(w: number): number {
    return (64 * this.threads + TASK_BYTES * (this.threads - 1)) / 2 + ERROR_CHARS * w;
  }

  /** How many shares a call of `tiles` whole tiles and `work` units gets: 1 keeps it on this thread. */
  shares(tiles: number, work: number): number {
    if (this.failure) throw this.failure;
    const n = work < this.options.minWork ? 1 : Math.min(this.threads, tiles);
    if (n < 2) this.wholeCalls++;
    else this.splitCalls++;
    return n;
  }

  /** Where share p of n starts in a range of `total` split in tiles of `tile` (share n ends at total). */
  cut(p: number, n: number, total: number, tile: number): number {
    return p >= n ? total : Math.floor((p * Math.floor(total / tile)) / n) * tile;
  }

  /** Opens a barrier for n shares: the calling thread's and n - 1 posted ones. */
  begin(n: number, name: string): void {
    this.running = name;
    Atomics.store(this.i32, PENDING, n - 1);
  }

  /** Hands share `w + 1` to worker w: a kernel and its arguments (unused ones are ignored by the kernel). */
  post(
    w: number,
    id: number,
    a0 = 0,
    a1 = 0,
    a2 = 0,
    a3 = 0,
    a4 = 0,
    a5 = 0,
    a6 = 0,
    a7 = 0,
    a8 = 0,
    a9 = 0,
    a10 = 0,
    a11 = 0,
    a12 = 0,
    a13 = 0,
  ): void {
    const f = this.f64,
      t = this.taskAt(w);
    f[t] = id;
    f[t + 1] = a0;
    f[t + 2] = a1;
    f[t + 3] = a2;
    f[t + 4] = a3;
    f[t + 5] = a4;
    f[t + 6] = a5;
    f[t + 7] = a6;
    f[t + 8] = a7;
    f[t + 9] = a8;
    f[t + 10] = a9;
    f[t + 11] = a10;
    f[t + 12] = a11;
    f[t + 13] = a12;
    f[t + 14] = a13;
    const at = this.seqAt(w),
      seq = ++this.seqs[w]!;
    Atomics.store(this.i32, at, seq);
    Atomics.notify(this.i32, at, 1);
  }

  /** Waits for every posted share (bounded by timeoutMs); a failed or silent thread fails the pool. */
  end(): void {
    const i32 = this.i32;
    let left = Atomics.load(i32, PENDING);
    for (let n = 0; left !== 0 && n < this.options.spin; n++) left = Atomics.load(i32, PENDING);
    if (left !== 0) {
      const timeout = this.options.timeoutMs;
      if (this.block) {
        // Sleeps until the barrier moves (the last share notifies), for at most timeoutMs each time: the
        // stored timeout passes as it is, so a wait boxes no number (a computed deadline would, each call).
        while (left !== 0) {
          if (Atomics.wait(i32, PENDING, left, timeout) === "timed-out" && Atomics.load(i32, PENDING) === left)
            this.timedOut();
          left = Atomics.load(i32, PENDING);
        }
      } else {
        const deadline = performance.now() + timeout;
        while (left !== 0) {
          if (performance.now() > deadline) this.timedOut();
          left = Atomics.load(i32, PENDING);
        }
      }
    }
    const failed = Atomics.load(i32, FAILED);
    if (failed) {
      let message = "";
      for (let i = this.errorAt(failed - 1), c = this.text[i]!; c !== 0; c = this.text[++i]!)
        message += String.fromCharCode(c);
      this.fail(`pool thread ${failed} failed in ${message}`);
    }
  }

  private timedOut(): never {
    this.fail(`a pool thread did not finish its share of ${this.running} within ${this.options.timeoutMs} ms`);
  }

  private fail(reason: string): never {
    this.failure ??= new ThreadError(`simdgan: ${reason}; the GAN is unusable (its weights may be half-updated)`);
    this.dispose();
    throw this.failure;
  }

  /** Settles once every pool thread has ended. */
  get exited(): Promise<void> {
    return Promise.all(this.workers.map((t) => t.exited)).then(() => undefined);
  }

  /** Ends the threads. Idempotent; a pool used after it refuses every split call. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (let w = 0; w < this.workers.length; w++) {
      this.f64[this.taskAt(w)] = -1;
      Atomics.store(this.i32, this.seqAt(w), ++this.seqs[w]!);
      Atomics.notify(this.i32, this.seqAt(w));
      this.workers[w]!.terminate();
    }
    this.failure ??= new ThreadError("simdgan: the GAN was disposed; its thread pool has ended");
  }
}

/**
 * The kernels with the heavy ones split across the pool. Same signatures, same bits; the rest (the loss,
 * the PRNG, the critic's reductions, a sum down one column) stay on the calling thread, as their single
 * order of summation is the result. finite_check's `out` holds a float per thread.
 */
export function pooledKernels(raw: Kernels, pool: Pool): Kernels {
  const F = 4;
  // Work per value of a one-unit layer's backward and of a bias gradient, in multiply-adds of the packed
  // products' time (measured at 1 thread: about 1 ns and 0.2 ns a value against 0.1 ns a multiply-add).
  const UNIT_COST = 10,
    SUM_COST = 2;
  type Body = (...args: number[]) => void;
  // y, x / dx, dy, x / w, g, m, v: the pointers come first, then the element count, then scalars.
  // `whole` runs a call kept on one thread (the kernel itself unless given); `first`, given the call's
  // arguments, runs on this thread before the shares of a split one.
  const elementwise = (name: SplitName, pointers: number, cost: number, whole?: Body, first?: Body) => {
    const kernel = raw[name as keyof Kernels] as unknown as Body,
      one = whole ?? kernel,
      id = ID[name];
    const shift = (i: number, v: number, from: number, count: number) =>
      i < pointers ? v + from * F : i === pointers ? count : v;
    return (a0: number, a1: number, a2: number, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0, a10 = 0) => {
      const n = pointers === 2 ? a2 : pointers === 3 ? a3 : a4;
      const shares = pool.shares(n >> 2, n * cost);
      if (shares < 2) return one(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
      first?.(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
      pool.begin(shares, name);
      for (let p = 1; p < shares; p++) {
        const lo = pool.cut(p, shares, n, 4),
          c = pool.cut(p + 1, shares, n, 4) - lo;
        pool.post(
          p - 1,
          id,
          shift(0, a0, lo, c),
          shift(1, a1, lo, c),
          shift(2, a2, lo, c),
          shift(3, a3, lo, c),
          shift(4, a4, lo, c),
          shift(5, a5, lo, c),
          shift(6, a6, lo, c),
          shift(7, a7, lo, c),
          shift(8, a8, lo, c),
          a9,
          a10,
        );
      }
      const c = pool.cut(1, shares, n, 4);
      try {
        kernel(
          shift(0, a0, 0, c),
          shift(1, a1, 0, c),
          shift(2, a2, 0, c),
          shift(3, a3, 0, c),
          shift(4, a4, 0, c),
          a5,
          a6,
          a7,
          a8,
          a9,
          a10,
        );
      } finally {
        pool.end();
      }
    };
  };

  const k: Kernels = {
    ...raw,
    // C[M,N] = A[M,K]·B[K,N]: shares of rows of C (and A).
    gemm_nn(c, a, b, bias, M, K, N, acc, act, alpha) {
      const shares = pool.shares(M >> 2, M * K * N);
      if (shares < 2) return raw.gemm_nn(c, a, b, bias, M, K, N, acc, act, alpha);
      pool.begin(shares, "gemm_nn");
      for (let p = 1; p < shares; p++) {
        const lo = pool.cut(p, shares, M, 4),
          hi = pool.cut(p + 1, shares, M, 4);
        pool.post(p - 1, ID.gemm_nn, c + lo * N * F, a + lo * K * F, b, bias, hi - lo, K, N, acc, act, alpha);
      }
      try {
        raw.gemm_nn(c, a, b, bias, pool.cut(1, shares, M, 4), K, N, acc, act, alpha);
      } finally {
        pool.end();
      }
    },
    // C[K,N] = A[M,K]ᵀ·B[M,N]: shares of rows of C, each reducing over all M rows in order; with fewer than
    // 4 rows (a layer of 1-3 inputs), shares of its columns, 16 at a time as the one-row path sweeps them.
    gemm_tn(c, a, b, M, K, N, acc) {
      if (K < 4) {
        const shares = pool.shares(N >> 4, M * K * N);
        if (shares < 2) return raw.gemm_tn(c, a, b, M, K, N, acc);
        pool.begin(shares, "gemm_tn");
        for (let p = 1; p < shares; p++) {
          const lo = pool.cut(p, shares, N, 16);
          pool.post(p - 1, ID.gemm_tn_cols, c, a, b, M, K, N, acc, lo, pool.cut(p + 1, shares, N, 16));
        }
        try {
          raw.gemm_tn_cols(c, a, b, M, K, N, acc, 0, pool.cut(1, shares, N, 16));
        } finally {
          pool.end();
        }
        return;
      }
      const shares = pool.shares(K >> 2, M * K * N);
      if (shares < 2) return raw.gemm_tn(c, a, b, M, K, N, acc);
      pool.begin(shares, "gemm_tn");
      for (let p = 1; p < shares; p++) {
        pool.post(
          p - 1,
          ID.gemm_tn_rows,
          c,
          a,
          b,
          M,
          K,
          N,
          acc,
          pool.cut(p, shares, K, 4),
          pool.cut(p + 1, shares, K, 4),
        );
      }
      try {
        raw.gemm_tn_rows(c, a, b, M, K, N, acc, 0, pool.cut(1, shares, K, 4));
      } finally {
        pool.end();
      }
    },
    // C[M,K] = A[M,N]·B[K,N]ᵀ (gated on the mask): shares of rows of C, A and the mask.
    gemm_nt(c, a, b, M, K, N, acc, mask, act, alpha) {
      const shares = pool.shares(M >> 2, M * K * N);
      if (shares < 2) return raw.gemm_nt(c, a, b, M, K, N, acc, mask, act, alpha);
      pool.begin(shares, "gemm_nt");
      for (let p = 1; p < shares; p++) {
        const lo = pool.cut(p, shares, M, 4),
          hi = pool.cut(p + 1, shares, M, 4);
        const m = mask ? mask + lo * K * F : 0;
        pool.post(p - 1, ID.gemm_nt, c + lo * K * F, a + lo * N * F, b, hi - lo, K, N, acc, m, act, alpha);
      }
      try {
        raw.gemm_nt(c, a, b, pool.cut(1, shares, M, 4), K, N, acc, mask, act, alpha);
      } finally {
        pool.end();
      }
    },
    // The packed products: shares of C's columns in whole panels (8 columns), each packing its own panels of
    // B (or Bᵀ, at their offset in the scratch) and its own blocks of A (4 x a slice's rows, one per share).
    gemm_nn_packed(c, a, b, bias, M, K, N, acc, act, alpha, panels, ablocks, n0, n1) {
      const cols = n1 - n0,
        shares = pool.shares(cols >> 3, M * K * cols);
      if (shares < 2) return raw.gemm_nn_packed(c, a, b, bias, M, K, N, acc, act, alpha, panels, ablocks, n0, n1);
      pool.begin(shares, "gemm_nn_packed");
      for (let p = 1; p < shares; p++) {
        const lo = n0 + pool.cut(p, shares, cols, 8),
          hi = n0 + pool.cut(p + 1, shares, cols, 8);
        const pp = panels + raw.packed_panel_floats(K, lo - n0) * F,
          ap = ablocks + p * (raw.packed_panel_floats(K, 8) / 2) * F;
        pool.post(p - 1, ID.gemm_nn_packed, c, a, b, bias, M, K, N, acc, act, alpha, pp, ap, lo, hi);
      }
      const first = n0 + pool.cut(1, shares, cols, 8);
      try {
        raw.gemm_nn_packed(c, a, b, bias, M, K, N, acc, act, alpha, panels, ablocks, n0, first);
      } finally {
        pool.end();
      }
    },
    gemm_tn_packed(c, a, b, M, K, N, acc, panels, ablocks, n0, n1) {
      const cols = n1 - n0,
        shares = pool.shares(cols >> 3, M * K * cols);
      if (shares < 2) return raw.gemm_tn_packed(c, a, b, M, K, N, acc, panels, ablocks, n0, n1);
      pool.begin(shares, "gemm_tn_packed");
      for (let p = 1; p < shares; p++) {
        const lo = n0 + pool.cut(p, shares, cols, 8),
          hi = n0 + pool.cut(p + 1, shares, cols, 8);
        const pp = panels + raw.packed_panel_floats(M, lo - n0) * F,
          ap = ablocks + p * (raw.packed_panel_floats(M, 8) / 2) * F;
        pool.post(p - 1, ID.gemm_tn_packed, c, a, b, M, K, N, acc, pp, ap, lo, hi);
      }
      try {
        raw.gemm_tn_packed(c, a, b, M, K, N, acc, panels, ablocks, n0, n0 + pool.cut(1, shares, cols, 8));
      } finally {
        pool.end();
      }
    },
    gemm_nt_packed(c, a, b, M, K, N, acc, mask, act, alpha, panels, ablocks, k0, k1) {
      const cols = k1 - k0,
        shares = pool.shares(cols >> 3, M * N * cols);
      if (shares < 2) return raw.gemm_nt_packed(c, a, b, M, K, N, acc, mask, act, alpha, panels, ablocks, k0, k1);
      pool.begin(shares, "gemm_nt_packed");
      for (let p = 1; p < shares; p++) {
        const lo = k0 + pool.cut(p, shares, cols, 8),
          hi = k0 + pool.cut(p + 1, shares, cols, 8);
        const pp = panels + raw.packed_panel_floats(N, lo - k0) * F,
          ap = ablocks + p * (raw.packed_panel_floats(N, 8) / 2) * F;
        pool.post(p - 1, ID.gemm_nt_packed, c, a, b, M, K, N, acc, mask, act, alpha, pp, ap, lo, hi);
      }
      const first = k0 + pool.cut(1, shares, cols, 8);
      try {
        raw.gemm_nt_packed(c, a, b, M, K, N, acc, mask, act, alpha, panels, ablocks, k0, first);
      } finally {
        pool.end();
      }
    },
    // dx alone: shares of rows. With dw = xᵀ·dz, a sum over the rows: shares of columns (of dw and dx),
    // 8 at a time as unit_backward sweeps them.
    unit_backward(dw, dx, x, dz, w, M, K, acc, act, alpha) {
      if (dw) {
        const shares = pool.shares(K >> 3, UNIT_COST * M * K);
        if (shares < 2) return raw.unit_backward(dw, dx, x, dz, w, M, K, acc, act, alpha);
        pool.begin(shares, "unit_backward");
        for (let p = 1; p < shares; p++) {
          const lo = pool.cut(p, shares, K, 8),
            hi = pool.cut(p + 1, shares, K, 8);
          pool.post(p - 1, ID.unit_backward_cols, dw, dx, x, dz, w, M, K, acc, act, alpha, lo, hi);
        }
        try {
          raw.unit_backward_cols(dw, dx, x, dz, w, M, K, acc, act, alpha, 0, pool.cut(1, shares, K, 8));
        } finally {
          pool.end();
        }
        return;
      }
      const shares = pool.shares(M >> 2, UNIT_COST * M * K);
      if (shares < 2) return raw.unit_backward(dw, dx, x, dz, w, M, K, acc, act, alpha);
      pool.begin(shares, "unit_backward");
      for (let p = 1; p < shares; p++) {
        const lo = pool.cut(p, shares, M, 4),
          hi = pool.cut(p + 1, shares, M, 4);
        pool.post(
          p - 1,
          ID.unit_backward,
          0,
          dx + lo * K * F,
          x + lo * K * F,
          dz + lo * F,
          w,
          hi - lo,
          K,
          acc,
          act,
          alpha,
        );
      }
      try {
        raw.unit_backward(0, dx, x, dz, w, pool.cut(1, shares, M, 4), K, acc, act, alpha);
      } finally {
        pool.end();
      }
    },
    // The bias gradient 1ᵀ·dy, a sum over the rows: shares of columns, 16 at a time as sum_rows sweeps
    // them. One column (N = 1) is a single sum and stays on this thread.
    sum_rows(out, a, M, N, acc) {
      const shares = pool.shares(N >> 4, SUM_COST * M * N);
      if (shares < 2) return raw.sum_rows(out, a, M, N, acc);
      pool.begin(shares, "sum_rows");
      for (let p = 1; p < shares; p++)
        pool.post(
          p - 1,
          ID.sum_rows_cols,
          out,
          a,
          M,
          N,
          acc,
          pool.cut(p, shares, N, 16),
          pool.cut(p + 1, shares, N, 16),
        );
      try {
        raw.sum_rows_cols(out, a, M, N, acc, 0, pool.cut(1, shares, N, 16));
      } finally {
        pool.end();
      }
    },
    // The finite-weight check: shares of runs of four values, share p's flag at out[p] (out holds a float per
    // thread), then one more check over the flags, each 0 or NaN: the same answer in any order.
    finite_check(out, x, n) {
      const shares = pool.shares(n >> 2, SUM_COST * n);
      if (shares < 2) return raw.finite_check(out, x, n);
      pool.begin(shares, "finite_check");
      for (let p = 1; p < shares; p++) {
        const lo = pool.cut(p, shares, n, 4);
        pool.post(p - 1, ID.finite_check, out + p * F, x + lo * F, pool.cut(p + 1, shares, n, 4) - lo);
      }
      try {
        raw.finite_check(out, x, pool.cut(1, shares, n, 4));
      } finally {
        pool.end();
      }
      raw.finite_check(out, out, shares);
    },
    critic1d_forward(z, h, x, w1, b1, w2, b2, M, H) {
      const shares = pool.shares(M >> 2, M * H);
      if (shares < 2) return raw.critic1d_forward(z, h, x, w1, b1, w2, b2, M, H);
      pool.begin(shares, "critic1d_forward");
      for (let p = 1; p < shares; p++) {
        const lo = pool.cut(p, shares, M, 4),
          hi = pool.cut(p + 1, shares, M, 4);
        pool.post(p - 1, ID.critic1d_forward, z + lo * F, h + lo * H * F, x + lo * F, w1, b1, w2, b2, hi - lo, H);
      }
      try {
        raw.critic1d_forward(z, h, x, w1, b1, w2, b2, pool.cut(1, shares, M, 4), H);
      } finally {
        pool.end();
      }
    },
    unit_input_grad(dx, h, dz, w1, w2, M, H, act, alpha) {
      const shares = pool.shares(M >> 2, M * H);
      if (shares < 2) return raw.unit_input_grad(dx, h, dz, w1, w2, M, H, act, alpha);
      pool.begin(shares, "unit_input_grad");
      for (let p = 1; p < shares; p++) {
        const lo = pool.cut(p, shares, M, 4),
          hi = pool.cut(p + 1, shares, M, 4);
        pool.post(p - 1, ID.unit_input_grad, dx + lo * F, h + lo * H * F, dz + lo * F, w1, w2, hi - lo, H, act, alpha);
      }
      try {
        raw.unit_input_grad(dx, h, dz, w1, w2, pool.cut(1, shares, M, 4), H, act, alpha);
      } finally {
        pool.end();
      }
    },
    // Costs per value, in multiply-adds of the packed products' time (tanh and sigmoid are scalar libm calls).
    relu_forward: elementwise("relu_forward", 2, 3),
    relu_backward: elementwise("relu_backward", 3, 3),
    leaky_relu_forward: elementwise("leaky_relu_forward", 2, 3),
    leaky_relu_backward: elementwise("leaky_relu_backward", 3, 3),
    sigmoid_forward: elementwise("sigmoid_forward", 2, 128),
    sigmoid_backward: elementwise("sigmoid_backward", 3, 3),
    tanh_forward: elementwise("tanh_forward", 2, 300),
    tanh_backward: elementwise("tanh_backward", 3, 3),
    // adam_update advances the running powers beta^t kept beside the state once a call, on this thread, then
    // splits its element loop (adam_step), every share reading the same advanced powers.
    // (Named parameters, not a rest array: V8 allocated that array on every split call.)
    adam_update: elementwise(
      "adam_step",
      4,
      13,
      raw.adam_update as Body,
      (_w, _g, _m, _v, _n, _lr, beta1, beta2, _eps, pows) => raw.adam_advance(pows!, beta1!, beta2!),
    ),
    rmsprop_update: elementwise("rmsprop_update", 4, 8),
    sgd_update: elementwise("sgd_update", 3, 3),
  };
  return k;
}
