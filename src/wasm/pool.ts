// The thread pool: one instance of the shared-memory module per thread over one WebAssembly.Memory, and
// kernels that cut a heavy call into chunks of its output, which the threads (the calling one among them)
// claim one at a time until none is left: a thread that starts late claims fewer. A chunk
// is a run of whole tiles (four rows of a product, four lanes of an elementwise kernel), the tail going
// to the last chunk, and no reduction is ever cut: every output is summed in exactly the single-threaded
// order, so any thread count and any claiming order give the same bits.
// The barrier is a countdown word in shared memory: Atomics.wait / notify, after a short spin.
import type { Kernels } from "../kernels/boundary.js";
import { canBlock, startThread, type Thread } from "./platform.js";
import { chunkArgs, TASK_ARGS, type WorkerSetup } from "./worker.js";

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

// Control block layout: one 64-byte line for the barrier words, one for the claim counter and one for every
// pool thread's sequence word; then the task (kernel id, chunks, units, tile, and five floats for each
// argument: see chunkArgs), then each pool thread's error text.
const PENDING = 0,
  FAILED = 1,
  LINE = 16, // int32 words per 64-byte line
  NEXT = LINE,
  TASK_FLOATS = 4 + 5 * TASK_ARGS,
  ERROR_CHARS = 256;

export interface PoolOptions {
  /** Threads in all, the calling one included (>= 2). */
  threads: number;
  /** Splits only calls of at least this much work (multiply-adds or element updates); 0 splits all. */
  minWork: number;
  /** Chunks per thread a split call is cut into, at most (1: one share each, as a static split). */
  chunks: number;
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

type Body = (...args: number[]) => void;

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
  private readonly task: number;
  /** The calling thread's chunk arguments. */
  private readonly args = new Float64Array(TASK_ARGS);
  /** Arguments that follow the chunk (bit i: argument i), and those whose base is 0 (counts). */
  private moved = 0;
  private counted = 0;
  private readonly most: number;
  private kernels: Body[] = [];
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
    this.task = (64 * (options.threads + 1)) / 8;
    this.most = options.threads * options.chunks;
  }

  /** Starts threads - 1 workers on the shared module and memory; resolves when every one is ready. */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, options: PoolOptions): Promise<Pool> {
    const n = options.threads - 1;
    const control = new SharedArrayBuffer(64 * (n + 2) + 8 * TASK_FLOATS + 2 * ERROR_CHARS * n);
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
        task: pool.task,
        error: pool.errorAt(w),
        errorLength: ERROR_CHARS,
        pending: PENDING,
        failed: FAILED,
        next: NEXT,
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
    return LINE * (w + 2);
  }
  private errorAt(w: number): number {
    return (64 * (this.threads + 1) + 8 * TASK_FLOATS) / 2 + ERROR_CHARS * w;
  }

  /**
   * How many chunks a call of `tiles` whole tiles and `work` units is cut into (at most `most`, and the
   * pool's chunks a thread): 1 keeps it on this thread.
   */
  chunks(tiles: number, work: number, most = Infinity): number {
    if (this.failure) throw this.failure;
    const n = work < this.options.minWork ? 1 : Math.min(most, this.most, tiles);
    if (n < 2) this.wholeCalls++;
    else this.splitCalls++;
    return n;
  }

  // How argument i of the next task follows its chunk [lo, hi): from its value by `step` a unit of lo, or of
  // hi; as hi - lo; by `step` a thread (scratch of each thread's own) or a chunk (a slot of each chunk's own).
  from(i: number, step: number): this {
    return this.move(i, 1, step);
  }
  to(i: number, step: number): this {
    return this.move(i, 2, step);
  }
  count(i: number): this {
    this.counted |= 1 << i;
    return this.move(i, 1, -1).move(i, 2, 1);
  }
  perThread(i: number, step: number): this {
    return this.move(i, 3, step);
  }
  perChunk(i: number, step: number): this {
    return this.move(i, 4, step);
  }
  private move(i: number, slot: number, step: number): this {
    this.f64[this.task + 4 + 5 * i + slot] = step;
    this.moved |= 1 << i;
    return this;
  }

  /** The calling thread's instance of the split kernels, by id. */
  bind(raw: Kernels): void {
    this.kernels = SPLIT.map((name) => raw[name as keyof Kernels] as unknown as Body);
  }

  /**
   * Runs split kernel `id` over `units` cut into n chunks of whole tiles of `tile`, with the moves
   * set since the last task: wakes the pool threads, claims chunks beside them, and waits at the barrier
   * (bounded by timeoutMs). A chunk that fails on any thread, or a silent thread, fails the pool.
   */
  run(
    id: number,
    n: number,
    units: number,
    tile: number,
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
    const kernel = this.kernels[id]!,
      f = this.f64,
      t = this.task,
      i32 = this.i32,
      m = this.moved,
      v = this.args;
    f[t] = id;
    f[t + 1] = n;
    f[t + 2] = units;
    f[t + 3] = tile;
    f[t + 4] = a0;
    f[t + 9] = a1;
    f[t + 14] = a2;
    f[t + 19] = a3;
    f[t + 24] = a4;
    f[t + 29] = a5;
    f[t + 34] = a6;
    f[t + 39] = a7;
    f[t + 44] = a8;
    f[t + 49] = a9;
    f[t + 54] = a10;
    f[t + 59] = a11;
    f[t + 64] = a12;
    f[t + 69] = a13;
    for (let i = 0, z = this.counted; z !== 0; i++, z >>= 1) if (z & 1) f[t + 4 + 5 * i] = 0; // a count: hi - lo
    this.running = SPLIT[id]!;
    const posted = Math.min(this.threads, n) - 1;
    Atomics.store(i32, NEXT, 0);
    Atomics.store(i32, PENDING, posted);
    for (let w = 0; w < posted; w++) {
      const at = this.seqAt(w);
      Atomics.store(i32, at, ++this.seqs[w]!);
      Atomics.notify(i32, at, 1);
    }
    // This thread passes the arguments that stay as they came: read back from the task, a float would be
    // boxed again on every call.
    let failed: unknown = null;
    try {
      for (let c = Atomics.add(i32, NEXT, 1); c < n; c = Atomics.add(i32, NEXT, 1)) {
        chunkArgs(f, t, c, 0, v);
        kernel(
          m & 1 ? v[0]! : a0,
          m & 2 ? v[1]! : a1,
          m & 4 ? v[2]! : a2,
          m & 8 ? v[3]! : a3,
          m & 16 ? v[4]! : a4,
          m & 32 ? v[5]! : a5,
          m & 64 ? v[6]! : a6,
          m & 128 ? v[7]! : a7,
          m & 256 ? v[8]! : a8,
          m & 512 ? v[9]! : a9,
          m & 1024 ? v[10]! : a10,
          m & 2048 ? v[11]! : a11,
          m & 4096 ? v[12]! : a12,
          m & 8192 ? v[13]! : a13,
        );
      }
    } catch (error) {
      failed = error;
    }
    this.end();
    // The next task starts with every argument as it comes (once no thread reads this one).
    for (let i = 0; i < TASK_ARGS; i++) if (m & (1 << i)) f.fill(0, t + 5 + 5 * i, t + 9 + 5 * i);
    this.moved = this.counted = 0;
    if (failed !== null) this.fail(`the calling thread failed in ${this.running}: ${String(failed)}`);
  }

  /** Waits for every posted thread (bounded by timeoutMs); a failed or silent thread fails the pool. */
  private end(): void {
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
    this.f64[this.task] = -1;
    for (let w = 0; w < this.workers.length; w++) {
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
  pool.bind(raw);
  // y, x / dx, dy, x / w, g, m, v: the pointers come first, then the element count, then scalars.
  // `whole` runs a call kept on one thread (the kernel itself unless given); `first`, given the call's
  // arguments, runs on this thread before the chunks of a split one.
  const elementwise = (name: SplitName, pointers: number, cost: number, whole?: Body, first?: Body) => {
    const id = ID[name],
      one = whole ?? (raw[name as keyof Kernels] as unknown as Body);
    return (a0: number, a1: number, a2: number, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0, a10 = 0) => {
      const n = pointers === 2 ? a2 : pointers === 3 ? a3 : a4;
      const chunks = pool.chunks(n >> 2, n * cost);
      if (chunks < 2) return one(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
      first?.(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
      for (let i = 0; i < pointers; i++) pool.from(i, F);
      pool.count(pointers).run(id, chunks, n, 4, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
    };
  };
  // The packed products' scratch: chunk [lo, hi) of the columns packs its panels at lo's (8 columns take
  // packed_panel_floats(L, 8) floats), each thread its blocks of A in a block of its own.
  // Each chunk packs A's blocks anew, about a cycle a value against four a multiply-add of 8 columns: a
  // chunk of 64 columns or more keeps that below 5%.
  const packedMost = (cols: number) => Math.max(pool.threads, cols >> 6);
  const panelStep = (L: number) => (raw.packed_panel_floats(L, 8) / 8) * F,
    blockStep = (L: number) => (raw.packed_panel_floats(L, 8) / 2) * F;

  const k: Kernels = {
    ...raw,
    // C[M,N] = A[M,K]·B[K,N]: chunks of rows of C (and A).
    gemm_nn(c, a, b, bias, M, K, N, acc, act, alpha) {
      const n = pool.chunks(M >> 2, M * K * N);
      if (n < 2) return raw.gemm_nn(c, a, b, bias, M, K, N, acc, act, alpha);
      pool.from(0, N * F).from(1, K * F);
      pool.count(4).run(ID.gemm_nn, n, M, 4, c, a, b, bias, M, K, N, acc, act, alpha);
    },
    // C[K,N] = A[M,K]ᵀ·B[M,N]: chunks of rows of C, each reducing over all M rows in order; with fewer than
    // 4 rows (a layer of 1-3 inputs), chunks of its columns, 16 at a time as the one-row path sweeps them.
    gemm_tn(c, a, b, M, K, N, acc) {
      const cols = K < 4,
        n = cols ? pool.chunks(N >> 4, M * K * N) : pool.chunks(K >> 2, M * K * N);
      if (n < 2) return raw.gemm_tn(c, a, b, M, K, N, acc);
      const name = cols ? "gemm_tn_cols" : "gemm_tn_rows";
      pool.from(7, 1).to(8, 1);
      pool.run(ID[name], n, cols ? N : K, cols ? 16 : 4, c, a, b, M, K, N, acc, 0, 0);
    },
    // C[M,K] = A[M,N]·B[K,N]ᵀ (gated on the mask): chunks of rows of C, A and the mask.
    gemm_nt(c, a, b, M, K, N, acc, mask, act, alpha) {
      const n = pool.chunks(M >> 2, M * K * N);
      if (n < 2) return raw.gemm_nt(c, a, b, M, K, N, acc, mask, act, alpha);
      pool.from(0, K * F).from(1, N * F);
      if (mask) pool.from(7, K * F);
      pool.count(3).run(ID.gemm_nt, n, M, 4, c, a, b, M, K, N, acc, mask, act, alpha);
    },
    // The packed products: chunks of C's columns in whole panels (8 columns), each packing its own panels of
    // B (or Bᵀ) and its blocks of A.
    gemm_nn_packed(c, a, b, bias, M, K, N, acc, act, alpha, panels, ablocks, n0, n1) {
      const cols = n1 - n0,
        n = pool.chunks(cols >> 3, M * K * cols, packedMost(cols));
      if (n < 2) return raw.gemm_nn_packed(c, a, b, bias, M, K, N, acc, act, alpha, panels, ablocks, n0, n1);
      pool.from(10, panelStep(K)).perThread(11, blockStep(K)).from(12, 1).to(13, 1);
      pool.run(ID.gemm_nn_packed, n, cols, 8, c, a, b, bias, M, K, N, acc, act, alpha, panels, ablocks, n0, n0);
    },
    gemm_tn_packed(c, a, b, M, K, N, acc, panels, ablocks, n0, n1) {
      const cols = n1 - n0,
        n = pool.chunks(cols >> 3, M * K * cols, packedMost(cols));
      if (n < 2) return raw.gemm_tn_packed(c, a, b, M, K, N, acc, panels, ablocks, n0, n1);
      pool.from(7, panelStep(M)).perThread(8, blockStep(M)).from(9, 1).to(10, 1);
      pool.run(ID.gemm_tn_packed, n, cols, 8, c, a, b, M, K, N, acc, panels, ablocks, n0, n0);
    },
    gemm_nt_packed(c, a, b, M, K, N, acc, mask, act, alpha, panels, ablocks, k0, k1) {
      const cols = k1 - k0,
        n = pool.chunks(cols >> 3, M * N * cols, packedMost(cols));
      if (n < 2) return raw.gemm_nt_packed(c, a, b, M, K, N, acc, mask, act, alpha, panels, ablocks, k0, k1);
      pool.from(10, panelStep(N)).perThread(11, blockStep(N)).from(12, 1).to(13, 1);
      pool.run(ID.gemm_nt_packed, n, cols, 8, c, a, b, M, K, N, acc, mask, act, alpha, panels, ablocks, k0, k0);
    },
    // dx alone: chunks of rows. With dw = xᵀ·dz, a sum over the rows: chunks of columns (of dw and dx),
    // 8 at a time as unit_backward sweeps them.
    unit_backward(dw, dx, x, dz, w, M, K, acc, act, alpha) {
      const n = dw ? pool.chunks(K >> 3, UNIT_COST * M * K) : pool.chunks(M >> 2, UNIT_COST * M * K);
      if (n < 2) return raw.unit_backward(dw, dx, x, dz, w, M, K, acc, act, alpha);
      if (dw) {
        pool.from(10, 1).to(11, 1);
        pool.run(ID.unit_backward_cols, n, K, 8, dw, dx, x, dz, w, M, K, acc, act, alpha);
      } else {
        pool.from(1, K * F).from(2, K * F);
        pool.from(3, F).count(5).run(ID.unit_backward, n, M, 4, 0, dx, x, dz, w, M, K, acc, act, alpha);
      }
    },
    // The bias gradient 1ᵀ·dy, a sum over the rows: chunks of columns, 16 at a time as sum_rows sweeps
    // them. One column (N = 1) is a single sum and stays on this thread.
    sum_rows(out, a, M, N, acc) {
      const n = pool.chunks(N >> 4, SUM_COST * M * N);
      if (n < 2) return raw.sum_rows(out, a, M, N, acc);
      pool.from(5, 1).to(6, 1).run(ID.sum_rows_cols, n, N, 16, out, a, M, N, acc);
    },
    // The finite-weight check: one chunk a thread, chunk p's flag at out[p] (out holds a float per thread),
    // then one more check over the flags, each 0 or NaN: the same answer in any order.
    finite_check(out, x, count) {
      const n = pool.chunks(count >> 2, SUM_COST * count, pool.threads);
      if (n < 2) return raw.finite_check(out, x, count);
      pool.perChunk(0, F).from(1, F).count(2).run(ID.finite_check, n, count, 4, out, x, count);
      raw.finite_check(out, out, n);
    },
    critic1d_forward(z, h, x, w1, b1, w2, b2, M, H) {
      const n = pool.chunks(M >> 2, M * H);
      if (n < 2) return raw.critic1d_forward(z, h, x, w1, b1, w2, b2, M, H);
      pool.from(0, F).from(1, H * F);
      pool.from(2, F).count(7).run(ID.critic1d_forward, n, M, 4, z, h, x, w1, b1, w2, b2, M, H);
    },
    unit_input_grad(dx, h, dz, w1, w2, M, H, act, alpha) {
      const n = pool.chunks(M >> 2, M * H);
      if (n < 2) return raw.unit_input_grad(dx, h, dz, w1, w2, M, H, act, alpha);
      pool.from(0, F).from(1, H * F);
      pool.from(2, F).count(5).run(ID.unit_input_grad, n, M, 4, dx, h, dz, w1, w2, M, H, act, alpha);
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
    // splits its element loop (adam_step), every chunk reading the same advanced powers.
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
