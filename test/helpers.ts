// Shared by the tests: a fresh engine, buffers in its memory, seeded test data independent of the
// library's own PRNG (so a PRNG bug cannot hide a kernel bug), and the built CLI run to its end.
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { createEngine, type Engine } from "../src/wasm/load.js";
import { mulberry32 } from "../bench/suites/data2d.js";

export async function engine(): Promise<Engine> {
  return createEngine();
}

/** Copies values into a fresh buffer in the engine's memory; returns its byte offset. */
export function put(e: Engine, values: ArrayLike<number>): number {
  const ptr = e.arena.alloc(values.length);
  e.arena.write(ptr, values);
  return ptr;
}

export function get(e: Engine, ptr: number, count: number): Float32Array {
  return e.arena.read(ptr, count);
}

/** A tiny seeded generator for test inputs (mulberry32, shared with the bench's data). */
export const testRandom = mulberry32;

/** n values uniform in [lo, hi), rounded to f32. */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = testRandom(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/** Largest |a - b| / max(|b|, floor) over two arrays of equal length. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-5): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), floor));
  return worst;
}

/** Runs a loss kernel that writes its mean (an f64) at the slot it is given; returns that mean. */
export function meanLoss(e: Engine, call: (slot: number) => void): number {
  const slot = e.arena.alloc(2);
  call(slot);
  return e.arena.f64[slot >> 3]!;
}

const execCli = promisify(execFile);

/** The built `simdgan` run in `cwd` to its end: its exit status and both streams (a failing status is returned). */
export async function runCli(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const bin = resolve("dist/src/cli/main.js");
    const { stdout, stderr } = await execCli(process.execPath, [bin, ...args], { cwd, maxBuffer: 1 << 28 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
