// The roofline: the most f32 arithmetic this CPU does in wasm SIMD (bench/roofline.as), on one core and on
// every core at once. The suites run these loops in the same rounds as their contenders, so a figure and
// its ceiling are measured under the same conditions on a shared machine.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { ROOFLINE_WASM } from "./roofline-build.js";
import type { CeilingSamples, RooflineResult } from "./report/results.js";
import { summarize, type Sampler } from "./stats.js";

type Loops = Record<string, (iters: number, m: number, c: number) => number>;

const FLOPS_PER_ITER: Record<string, number> = { chains: 12 * 4 * 2 };

// Compiled by asc in a child process (see roofline-build.ts).
function compile(): WebAssembly.Module {
  const built = spawnSync(process.execPath, [fileURLToPath(new URL("./roofline-build.js", import.meta.url))], {
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`compiling bench/roofline.as failed: ${built.stderr}`);
  return new WebAssembly.Module(readFileSync(ROOFLINE_WASM));
}

function instantiate(module: WebAssembly.Module): Loops {
  return new WebAssembly.Instance(module).exports as unknown as Loops;
}

// V8 runs a wasm function in its baseline tier until the optimised code is ready, and a call already
// running never switches: many short calls first, so every recorded call runs optimised code.
function warm(loops: Loops, ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) for (const name of Object.keys(FLOPS_PER_ITER)) loops[name]!(1000, 0.999, 0.001);
}

const iterations = (quick: boolean) => (quick ? 1e6 : 4e6);

/** The roofline loops as samplers (GFLOP/s), already running optimised code. */
export function rooflineSamplers(quick: boolean): Record<string, Sampler> {
  const loops = instantiate(compile()),
    iters = iterations(quick);
  warm(loops, quick ? 300 : 1000);
  const samplers: Record<string, Sampler> = {};
  for (const name of Object.keys(FLOPS_PER_ITER)) {
    samplers[name] = () => {
      const t = performance.now();
      loops[name]!(iters, 0.999, 0.001); // converges to a fixed point: no overflow, no subnormals
      return (FLOPS_PER_ITER[name]! * iters) / ((performance.now() - t) * 1e6);
    };
  }
  return samplers;
}

/**
 * The ceiling: the best sample of the faster loop. A ceiling is what the CPU can do, so the best run
 * counts, not the typical one; nothing runs faster than the hardware, so there are no lucky samples.
 */
export function roofline(samples: Record<string, number[]>): RooflineResult {
  const best = Object.keys(samples).reduce((a, b) =>
    summarize(samples[a]!).median >= summarize(samples[b]!).median ? a : b,
  );
  return { samples, gflops: summarize(samples[best]!).max, best };
}

/**
 * The machine's own ceiling for threads: the roofline loop on one core, and on `threads` cores at once
 * (this thread and threads - 1 workers, the same loop each, no memory traffic, no barrier inside). A
 * virtual machine's cores need not all deliver a core's arithmetic when they are busy together; a thread
 * speed-up is read against all / one measured in the same rounds, not against the thread count.
 */
export interface ThreadCeiling {
  /** Samplers "ceiling:one" and "ceiling:all" (GFLOP/s, all = every core's together) for `interleave`. */
  samplers: Record<string, Sampler>;
  close(): void;
}

// Control words: the round every worker runs next (-1: stop), and how many of them are still running it.
const GO = 0,
  LEFT = 1;

export async function threadCeiling(threads: number, quick: boolean): Promise<ThreadCeiling> {
  const module = compile(),
    loops = instantiate(module),
    iters = iterations(quick),
    flops = FLOPS_PER_ITER.chains! * iters;
  const control = new Int32Array(new SharedArrayBuffer(8));
  const workers = Array.from(
    { length: threads - 1 },
    () => new Worker(new URL(import.meta.url), { workerData: { rooflineWorker: { module, control, iters } } }),
  );
  await Promise.all(workers.map((w) => new Promise((ready) => w.once("message", ready))));
  for (const w of workers) w.unref();
  warm(loops, quick ? 300 : 1000);
  const one = () => {
    const t = performance.now();
    loops.chains!(iters, 0.999, 0.001);
    return flops / ((performance.now() - t) * 1e6);
  };
  const all = () => {
    Atomics.store(control, LEFT, threads - 1);
    const t = performance.now();
    Atomics.add(control, GO, 1);
    Atomics.notify(control, GO);
    loops.chains!(iters, 0.999, 0.001);
    for (let left = Atomics.load(control, LEFT); left !== 0; left = Atomics.load(control, LEFT))
      Atomics.wait(control, LEFT, left, 1000);
    return (threads * flops) / ((performance.now() - t) * 1e6);
  };
  return {
    samplers: { "ceiling:one": one, "ceiling:all": all },
    // The workers end on their own once told: terminating one as it ends can abort the process in V8.
    close() {
      Atomics.store(control, GO, -1);
      Atomics.notify(control, GO);
    },
  };
}

/** Takes the ceiling's samples out of an `interleave` result (they are not contenders). */
export function takeCeiling(all: Record<string, number[]>): CeilingSamples | undefined {
  const one = all["ceiling:one"],
    every = all["ceiling:all"];
  delete all["ceiling:one"];
  delete all["ceiling:all"];
  return one && every ? { one, all: every } : undefined;
}

// A worker of threadCeiling: runs the loop once per round it is woken for.
if (!isMainThread && (workerData as { rooflineWorker?: unknown })?.rooflineWorker) {
  const { module, control, iters } = (
    workerData as { rooflineWorker: { module: WebAssembly.Module; control: Int32Array; iters: number } }
  ).rooflineWorker;
  const loops = instantiate(module);
  warm(loops, 1000);
  parentPort!.postMessage("ready");
  for (let seen = 0; ;) {
    Atomics.wait(control, GO, seen);
    const round = Atomics.load(control, GO);
    if (round < 0) break;
    if (round === seen) continue;
    seen = round;
    loops.chains!(iters, 0.999, 0.001);
    if (Atomics.sub(control, LEFT, 1) === 1) Atomics.notify(control, LEFT);
  }
}
