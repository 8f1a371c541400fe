// The library's door to sweeps. They need Node (threads, files, Redis), and the library's entry point
// also serves web pages, so the sweep code is loaded only when a sweep is asked for: the path is not a
// literal, which keeps bundlers from pulling Node built-ins into the browser build.
import type { SweepOptions, SweepResult } from "./run.js";

const RUN = "./run.js";

/** Runs every trial of a plan (see README, Sweeps); Node only. */
export async function sweep(plan: unknown, options: SweepOptions = {}): Promise<SweepResult> {
  const run = (await import(/* @vite-ignore */ RUN)) as typeof import("./run.js");
  return run.sweep(plan, options);
}
