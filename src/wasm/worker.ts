// The body of every pool thread (a Node worker_thread or a browser module Worker). It is shipped as source
// text (workerSource), so it must not close over anything: everything arrives in its first message.
// After that message the thread talks to the pool only through the control block in shared memory:
// it sleeps on its sequence word, runs the task the pool wrote for it, and counts the barrier down.

/** What the pool sends once: the shared module and memory, and where this thread's words sit in control. */
export interface WorkerSetup {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  /** Kernel names, in the order of the ids the pool writes. */
  names: string[];
  /** Int32 index of this thread's sequence word, Float64 index of its task, Uint16 index of its error text. */
  seq: number;
  task: number;
  error: number;
  errorLength: number;
  /** Int32 indices of the barrier's countdown and of the first failed thread (its number + 1). */
  pending: number;
  failed: number;
  /** This thread's number (1-based; the calling thread is 0). */
  index: number;
  /** Polls of the sequence word before sleeping on it. */
  spin: number;
}

interface Port {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: WorkerSetup }) => void) | null;
}

function workerMain(port: Port): void {
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
      text = new Uint16Array(s.control);
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
        id = f64[t]!;
      if (id < 0) return; // the pool is shutting down
      try {
        kernels[id]!(
          f64[t + 1]!,
          f64[t + 2]!,
          f64[t + 3]!,
          f64[t + 4]!,
          f64[t + 5]!,
          f64[t + 6]!,
          f64[t + 7]!,
          f64[t + 8]!,
          f64[t + 9]!,
          f64[t + 10]!,
          f64[t + 11]!,
          f64[t + 12]!,
          f64[t + 13]!,
          f64[t + 14]!,
        );
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
  return `"use strict";\n(${workerMain.toString()})(${port});\n`;
}
