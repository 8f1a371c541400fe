// Everything the thread pool needs to know about where it runs: Node (worker_threads) or a browser
// (module Workers over a cross-origin-isolated page). The rest of the library never asks.
import { workerSource } from "./worker.js";

/** A started pool thread: the pool's view of a Node Worker or a browser Worker. */
export interface Thread {
  postMessage(message: unknown): void;
  /** Calls back with the thread's messages, and with an Error when it throws outside a task or exits. */
  listen(onMessage: (data: unknown) => void, onFailure: (error: Error) => void): void;
  /** Lets a Node process exit while the thread sleeps (browsers have nothing to release). */
  unref(): void;
  terminate(): void;
  /** Settles once the thread has ended. */
  readonly exited: Promise<void>;
}

interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: string, listener: (value: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}
interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: NodeProcess }).process;
  return typeof p?.versions?.node === "string" ? p : undefined;
}

export function isNode(): boolean {
  return nodeProcess() !== undefined;
}

/** The cores "auto" uses: os.availableParallelism in Node, navigator.hardwareConcurrency in browsers. */
export function availableCores(): number {
  const node = nodeProcess();
  if (node) {
    const os = node.getBuiltinModule?.("node:os") as { availableParallelism?: () => number } | undefined;
    return Math.max(1, os?.availableParallelism?.() ?? 1);
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/** Why threads cannot run here, or null when they can. */
export function threadsUnavailable(): string | null {
  const node = nodeProcess();
  if (node) {
    return node.getBuiltinModule ? null : "this Node has no process.getBuiltinModule (threads need Node >= 20.16)";
  }
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (g.crossOriginIsolated !== true) {
    return (
      "the page is not cross-origin isolated, so it has no SharedArrayBuffer " +
      "(serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)"
    );
  }
  if (typeof g.Worker !== "function") return "this context cannot start Workers";
  if (typeof SharedArrayBuffer !== "function") return "this context has no SharedArrayBuffer";
  return null;
}

/** Whether this thread may block in Atomics.wait (a browser page's main thread may not). */
export function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

let blobUrl: string | undefined;

/** Starts one pool thread running worker.ts's body. */
export function startThread(): Thread {
  const node = nodeProcess();
  if (node) {
    const { Worker } = node.getBuiltinModule!("node:worker_threads") as {
      Worker: new (source: string, options: { eval: boolean; name?: string }) => NodeWorker;
    };
    const worker = new Worker(workerSource(true), { eval: true, name: "simdgan" });
    const exited = new Promise<void>((resolve) => worker.on("exit", () => resolve()));
    return {
      exited,
      postMessage: (m) => worker.postMessage(m),
      listen(onMessage, onFailure) {
        worker.on("message", onMessage);
        worker.on("error", (e) => onFailure(e instanceof Error ? e : new Error(String(e))));
        worker.on("exit", (code) => onFailure(new Error(`the thread exited (code ${String(code)})`)));
      },
      unref: () => worker.unref(),
      terminate: () => void worker.terminate(),
    };
  }
  blobUrl ??= URL.createObjectURL(new Blob([workerSource(false)], { type: "text/javascript" }));
  const worker = new Worker(blobUrl, { type: "module", name: "simdgan" });
  let ended = () => undefined as void;
  const exited = new Promise<void>((resolve) => (ended = resolve));
  return {
    exited,
    postMessage: (m) => worker.postMessage(m),
    listen(onMessage, onFailure) {
      worker.onmessage = (e) => onMessage(e.data);
      worker.onerror = (e) => onFailure(new Error(e.message || "the thread failed"));
    },
    unref: () => undefined,
    terminate() {
      worker.terminate(); // immediate in browsers
      ended();
    },
  };
}
