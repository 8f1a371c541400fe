// The body of every pool thread (a Node worker_thread or a browser module Worker). It is shipped as source
// text (workerSource), so it must not close over anything: everything arrives in its first message.
// After that message the thread talks to the pool only through the control block in shared memory:
// it sleeps on its sequence word, claims chunks of the task the pool wrote until none is left, and counts
// the barrier down.

/** What the pool sends once: the shared module and memory, and where this thread's words sit in control. */
export interface WorkerSetup {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  /** Kernel names, in the order of the ids the pool writes. */
  names: string[];
  /** Int32 index of this thread's sequence word, Float64 index of the task, Uint16 index of its error text. */
  seq: number;
  task: number;
  error: number;
  errorLength: number;
  /** Int32 indices of the barrier's countdown, of the first failed thread (its number + 1) and of the claims. */
  pending: number;
  failed: number;
  next: number;
  /** This thread's number (1-based; the calling thread is 0). */
  index: number;
  /** Polls of the sequence word before sleeping on it. */
  spin: number;
}

/** Arguments a task passes to its kernel. */
export const TASK_ARGS = 14;

/**
 * The arguments of chunk c of the task at f64[t] (laid out by Pool.run) for thread `thread`, into args.
 * The task splits `units` (f64[t + 2]) into f64[t + 1] chunks of whole tiles (f64[t + 3]), the last one
 * taking the tail; argument i is base + lo·dlo + hi·dhi + thread·dthread + c·dchunk, five floats from
 * f64[t + 4 + 5i], where [lo, hi) is the chunk's range. Every number is a whole one below 2^53: exact.
 * The pool's threads and the calling thread all read their chunks through this one function.
 */
export function chunkArgs(f64: Float64Array, t: number, c: number, thread: number, args: Float64Array): void {
  const chunks = f64[t + 1]!,
    units = f64[t + 2]!,
    tile = f64[t + 3]!,
    tiles = Math.floor(units / tile);
  const lo = Math.floor((c * tiles) / chunks) * tile,
    hi = c + 1 >= chunks ? units : Math.floor(((c + 1) * tiles) / chunks) * tile;
  for (let i = 0, o = t + 4; i < 14; i++, o += 5)
    args[i] = f64[o]! + lo * f64[o + 1]! + hi * f64[o + 2]! + thread * f64[o + 3]! + c * f64[o + 4]!;
}

interface Port {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: WorkerSetup }) => void) | null;
}

function workerMain(port: Port, chunkArgs_: typeof chunkArgs): void {
  port.onmessage = (event) => {
    port.onmessage = null;
    const s = event.data;
    let kernels: ((...args: number[]) => unknown)[];
    try {
      const abort = () => {
        throw new Error("abort");
      };
      const { exports } = new WebAssembly.Instance(s.module, { env: { memory: s.memory, abort } });
      kernels = s.names.map((name) => exports[name] as (...args: number[]) => unknown);
    } catch (error) {
      port.postMessage({ error: String(error) });
      return;
    }
    const i32 = new Int32Array(s.control),
      f64 = new Float64Array(s.control),
      text = new Uint16Array(s.control),
      a = new Float64Array(14); // TASK_ARGS: shipped as source, this body cannot refer to it
    port.postMessage({ ready: true });
    let seen = 0;
    for (;;) {
      let now = Atomics.load(i32, s.seq);
      for (let n = 0; now === seen && n < s.spin; n++) now = Atomics.load(i32, s.seq);
      if (now === seen) {
        Atomics.wait(i32, s.seq, seen);
        continue;
      }
      seen = now;
      const t = s.task,
        id = f64[t]!,
        chunks = f64[t + 1]!;
      if (id < 0) return; // the pool is shutting down
      const kernel = kernels[id]!;
      try {
        for (let c = Atomics.add(i32, s.next, 1); c < chunks; c = Atomics.add(i32, s.next, 1)) {
          chunkArgs_(f64, t, c, s.index, a);
          kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!, a[13]!);
        }
      } catch (error) {
        // The message goes through shared memory: the pool's thread may be blocked in the barrier.
        const message = `${s.names[id]}: ${String(error)}`.slice(0, s.errorLength - 1);
        for (let i = 0; i < message.length; i++) text[s.error + i] = message.charCodeAt(i);
        text[s.error + message.length] = 0;
        Atomics.compareExchange(i32, s.failed, 0, s.index);
      }
      if (Atomics.sub(i32, s.pending, 1) === 1) Atomics.notify(i32, s.pending);
    }
  };
}

/** The thread's source: for Node's worker_threads (eval) or a browser module Worker (from a Blob URL). */
export function workerSource(node: boolean): string {
  // getBuiltinModule, not require: an eval worker is an ES module when its process runs one.
  const port = node ? 'process.getBuiltinModule("node:worker_threads").parentPort' : "self";
  return `"use strict";\n(${workerMain.toString()})(${port}, ${chunkArgs.toString()});\n`;
}
