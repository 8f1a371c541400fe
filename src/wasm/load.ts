import { instantiate, instantiateSync } from "@assemblyscript/loader";
import { sharedWasmBase64, wasmBase64 } from "./binary.js";
import type { Kernels } from "../kernels/boundary.js";
import { Arena, MEMORY_LIMIT, PAGE } from "./arena.js";
import { availableCores, isNode, threadsUnavailable } from "./platform.js";
import { Pool, pooledKernels } from "./pool.js";

/** Where the module comes from: the inlined default, or bytes / a compiled module the embedder supplies. */
export type WasmSource = BufferSource | WebAssembly.Module;

/** How many threads run the kernels: a count, or "auto" for every available core. */
export type Threads = number | "auto";

export interface EngineOptions {
  /** 1 (the default) runs on the calling thread alone; N > 1 splits every heavy call N ways. */
  threads?: Threads;
  /** Bytes the model's plan lays out; a threaded engine's shared memory declares its maximum from it. */
  memoryBytes?: number;
  /** How long a kernel call waits for a pool thread before the engine gives up (default 30 s). */
  timeoutMs?: number;
  /** Work (multiply-adds) from which a call is split (default SPLIT_MIN_WORK; 0 splits every call). */
  minWork?: number;
  /** Chunks per thread a split call is cut into, at most (default CHUNKS). */
  chunks?: number;
}

/** One instance of the kernels with its own linear memory: models planned in it share the arena. */
export interface Engine {
  readonly kernels: Kernels;
  readonly arena: Arena;
  /** Threads running the kernels, the calling one included. */
  readonly threads: number;
  /** The thread pool, when threads > 1. */
  readonly pool: Pool | null;
  /** Ends the pool's threads; the engine refuses to run afterwards. A no-op on one thread. */
  dispose(): void;
}

/**
 * A call is split only from this much work (multiply-adds, or element updates weighted by their cost):
 * below it the barrier (`npm run bench` measures it) costs more than the other cores save. Measured back to
 * back at 2 threads, products of 128k multiply-adds (512x2x128, 512x128x2, 1024x128x1: 23-49 µs on one
 * thread) ran 1.8-1.9x faster split, where the barrier costs about a microsecond.
 */
export const SPLIT_MIN_WORK = 1 << 17;

/**
 * threads "auto" starts a pool only for a model whose largest call could reach this much work (an upper bound
 * from the plan, largestCall). The reference workload stays on one thread: its bound is 512k (1000 evaluation
 * rows through a 16x32 layer), its largest training call 170k (333x16x32), among dozens of far smaller calls
 * per step, where a pool's wake-ups and cross-core traffic cost more than it saves.
 */
export const AUTO_MIN_WORK = 1 << 19;
/**
 * Chunks per thread a split call is cut into, at most. One: a thread that starts late still leaves its
 * chunk to one that is free. More balance a thread the machine slows down, but each chunk of a packed
 * product reads all of A again: run interleaved at 2 threads (128/512, 512/512, MNIST), 2 and 3 chunks a
 * thread were 0-5% slower than 1.
 */
export const CHUNKS = 1;
// Polls of a word before sleeping on it: about 20-50 µs, longer than the gap between a step's kernel calls.
const SPIN = 20_000;

let inlined: Promise<WebAssembly.Module> | undefined;
let inlinedShared: Promise<WebAssembly.Module> | undefined;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** The module compiled from the bytes inlined at build time; compiled once per process or page. */
export function compiledModule(): Promise<WebAssembly.Module> {
  inlined ??= WebAssembly.compile(decodeBase64(wasmBase64));
  return inlined;
}

/** The inlined module's bytes, for embedders that want to cache or transfer them. */
export function wasmBytes(): Uint8Array<ArrayBuffer> {
  return decodeBase64(wasmBase64);
}

// The loader wraps every export in a rest-argument closure (an array per call, for AssemblyScript's
// optional arguments, which no kernel has); the training step calls the raw exports it keeps as .original.
function rawExports(exports: Record<string, unknown>): Kernels {
  const raw: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(exports))
    raw[name] = (value as { original?: unknown } | undefined)?.original ?? value;
  return raw as unknown as Kernels;
}

/** Resolves "auto" and checks a thread count; the one place that reads the machine's core count. */
export function resolveThreads(threads: Threads = 1): number {
  if (threads === "auto") return availableCores();
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new RangeError(`threads must be "auto" or a whole number in [1, 256], got ${String(threads)}`);
  }
  return threads;
}

/** A fresh instance with its own memory. Works unchanged in Node, browsers and workers. */
export async function createEngine(source?: WasmSource, options: EngineOptions = {}): Promise<Engine> {
  let threads = resolveThreads(options.threads);
  if (threads > 1) {
    const why = threadsUnavailable();
    if (why) {
      console.warn(`simdgan: running on 1 thread instead of ${threads}: ${why}`);
      threads = 1;
    }
  }
  if (threads > 1) return threadedEngine(source, threads, options);
  const module = source ?? (await compiledModule());
  // The loader's async path asks `typeof Response`, which makes Node 20 load its whole fetch stack (~40 ms
  // of a CLI run). Node may instantiate synchronously; Chrome forbids that on a page's main thread.
  const { exports } =
    isNode() && module instanceof WebAssembly.Module
      ? instantiateSync<Kernels & Record<string, unknown>>(module)
      : await instantiate<Kernels & Record<string, unknown>>(module);
  const kernels = rawExports(exports);
  return { kernels, arena: new Arena(kernels), threads: 1, pool: null, dispose: () => undefined };
}

// The shared-memory build over one WebAssembly.Memory, instantiated here and in every pool thread. Each
// instance has its own globals (the stub runtime keeps nothing else, and no kernel allocates); this thread
// lays out the arena and the others only run kernels on its offsets.
async function threadedEngine(source: WasmSource | undefined, threads: number, options: EngineOptions) {
  let module = source instanceof WebAssembly.Module ? source : source ? await WebAssembly.compile(source) : null;
  // A plain build owns its memory; the pool needs the build that imports a shared one (same kernels).
  if (!module || !WebAssembly.Module.imports(module).some((i) => i.kind === "memory")) {
    inlinedShared ??= WebAssembly.compile(decodeBase64(sharedWasmBase64));
    module = await inlinedShared;
  }
  // The plan (checked against the 4 GiB of wasm32 before this) plus the static area below the heap, then
  // headroom for later, larger calls (trainStep / discriminate on more rows).
  const pages = MEMORY_LIMIT / PAGE,
    planned = Math.min(pages, Math.ceil((options.memoryBytes ?? 0) / PAGE) + 1);
  const maximum = Math.min(pages, Math.ceil(planned * 1.5) + 128);
  const memory = new WebAssembly.Memory({ initial: planned, maximum, shared: true });
  const { exports } = await instantiate<Kernels & Record<string, unknown>>(module, { env: { memory } });
  const raw = rawExports(exports);
  const minWork = options.minWork ?? SPLIT_MIN_WORK;
  const pool = await Pool.start(module, memory, {
    threads,
    minWork,
    timeoutMs: options.timeoutMs ?? 30_000,
    chunks: options.chunks ?? CHUNKS,
    spin: SPIN,
  });
  const kernels = pooledKernels(raw, pool);
  return { kernels, arena: new Arena(kernels, maximum * PAGE, pool), threads, pool, dispose: () => pool.dispose() };
}
