// The steady-state training step allocates nothing, in every configuration, with several GANs in one
// process (then one call site serves every wasm instance and an engine may not inline the call into wasm:
// a float read from a field or computed per step is boxed on the heap). test/alloc/probe.mjs measures the
// heap's growth per step from outside, under the Node running this suite and under Node 24.
import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const PROBE = resolve("test/alloc/probe.mjs");
// A semi-space large enough that no scavenge runs inside a measured window.
const FLAGS = ["--expose-gc", "--min-semi-space-size=16", "--max-semi-space-size=16"];
const ENGINES = { here: process.execPath, node24: resolve("node_modules/node/bin/node") };
// Less than one boxed number (12 or 16 bytes) every third step; before the fix, 100 to 200 bytes a step.
const BUDGET = 4;

describe("allocation", () => {
  it("a training step allocates nothing in any configuration, on this Node and on Node 24", async () => {
    const results = await Promise.all(
      Object.entries(ENGINES).map(async ([engine, bin]) => {
        const { stdout } = await run(bin, [...FLAGS, PROBE]);
        return [engine, JSON.parse(stdout) as Record<string, number>] as const;
      }),
    );
    for (const [engine, perStep] of results) {
      expect(Object.keys(perStep).length, engine).toBeGreaterThanOrEqual(10);
      for (const [config, bytes] of Object.entries(perStep))
        expect(bytes, `${engine}, ${config}: bytes per step`).toBeLessThan(BUDGET);
    }
  });
});
