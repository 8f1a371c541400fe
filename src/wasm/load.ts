import { instantiate, instantiateSync } from "@assemblyscript/loader";
import { wasmBase64 } from "./binary.js";
import type { Kernels } from "../kernels/boundary.js";
import { Arena } from "./arena.js";

/** Where the module comes from: the inlined default, or bytes / a compiled module the embedder supplies. */
export type WasmSource = BufferSource | WebAssembly.Module;

/** One instance of the kernels with its own linear memory: models planned in it share the arena. */
export interface Engine {
  readonly kernels: Kernels;
  readonly arena: Arena;
}

let inlined: Promise<WebAssembly.Module> | undefined;

function isNode(): boolean {
  return typeof process !== "undefined" && typeof process.versions?.node === "string";
}

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

/** A fresh instance with its own memory. Works unchanged in Node, browsers and workers. */
export async function createEngine(source?: WasmSource): Promise<Engine> {
  const module = source ?? (await compiledModule());
  // The loader's async path asks `typeof Response`, which makes Node 20 load its whole fetch stack (~40 ms
  // of a CLI run). Node may instantiate synchronously; Chrome forbids that on a page's main thread.
  const { exports } =
    isNode() && module instanceof WebAssembly.Module
      ? instantiateSync<Kernels & Record<string, unknown>>(module)
      : await instantiate<Kernels & Record<string, unknown>>(module);
  // The loader wraps every export in a rest-argument closure (an array per call, for AssemblyScript's
  // optional arguments, which no kernel has); the training step calls the raw exports it keeps as .original.
  const raw: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(exports))
    raw[name] = (value as { original?: unknown } | undefined)?.original ?? value;
  const kernels = raw as unknown as Kernels;
  return { kernels, arena: new Arena(kernels) };
}
