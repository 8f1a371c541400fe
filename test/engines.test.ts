// Same bits on every engine: the library and the CLI under the Node running this suite, Node 24 and Bun
// (both devDependencies, binaries from the npm registry) print the same reports, bit for bit, and the same
// SHA-256 of weights, samples and checkpoints. The engines' Math.log/exp differ in the last bit, so this
// holds only because every reported number is computed with our own math (src/metrics/math.ts).
import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const BIN = resolve("dist/src/cli/main.js"),
  PROBE = resolve("test/engines/probe.mjs");

// No skipping: an engine that is missing fails the suite (npm ci installs both).
const ENGINES = {
  node24: resolve("node_modules/node/bin/node"),
  bun: resolve("node_modules/bun/bin/bun.exe"),
};
const here = process.execPath;

async function output(engine: string, args: string[], cwd: string): Promise<string> {
  const { stdout } = await run(engine, args, { cwd, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: "1" } });
  return stdout;
}

// The CLI's output with its wall-clock figures taken out: the rest must match bit for bit.
const timeless = (text: string) =>
  text
    .replace(/^trained \d+ epochs in .*$/m, "trained")
    .replace(/"seconds":[^,}]+/g, '"seconds":0')
    .replace(/"epochsPerSecond":[^,}]+/g, '"epochsPerSecond":0');

const ALL = "kl,js,w1,ks,moments,modes";
const RUNS: string[][] = [
  ["train", "--epochs", "200", "--seed", "6", "--metrics", ALL],
  ["train", "--epochs", "200", "--seed", "6", "--json"],
  ["train", "--target", "ring", "--samples", "800", "--batch-size", "100", "--epochs", "50", "--metrics", ALL],
  ["train", "--target", "ring", "--samples", "800", "--batch-size", "100", "--epochs", "50", "--json"],
];

/** Everything one engine prints for the probe and the CLI runs, plus the checkpoint and sample bytes. */
async function everything(engine: string): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), "simdgan-engines-"));
  const result: Record<string, string> = { library: await output(engine, [PROBE], dir) };
  for (const args of RUNS) result[args.join(" ")] = timeless(await output(engine, [BIN, ...args], dir));
  await output(engine, [BIN, "train", "--epochs", "40", "--seed", "9", "--save", "run.json"], dir);
  await output(engine, [BIN, "resume", "run.json", "--epochs", "20"], dir);
  result.checkpoint = createHash("sha256")
    .update(await readFile(join(dir, "run.json")))
    .digest("hex");
  result.sample = await output(engine, [BIN, "sample", "run.json", "-n", "500"], dir);
  return result;
}

describe("same bits on every engine", () => {
  it("the engines are installed (devDependencies node@24 and bun)", async () => {
    for (const [name, path] of Object.entries(ENGINES)) expect(existsSync(path), `${name} at ${path}`).toBe(true);
    expect(await output(ENGINES.node24, ["--version"], ".")).toMatch(/^v24\./);
    expect(await output(ENGINES.bun, ["--version"], ".")).toMatch(/^1\./);
  });

  const reference = everything(here);
  for (const [name, path] of Object.entries(ENGINES)) {
    it(`${name}: every report, summary and --json line, weights and samples as ${process.version}`, async () => {
      const mine = await reference,
        theirs = await everything(path);
      expect(Object.keys(theirs)).toEqual(Object.keys(mine));
      for (const key of Object.keys(mine)) {
        const a = mine[key]!.split("\n"),
          b = theirs[key]!.split("\n");
        expect(b.length, key).toBe(a.length);
        for (let i = 0; i < a.length; i++) expect(b[i], `${key}, line ${i + 1}`).toBe(a[i]);
      }
      // The probe is not vacuous: it holds reports of every metric, modes included.
      expect(mine.library).toMatch(/"modesCaptured"/);
      expect(mine["train --epochs 200 --seed 6 --json"]).toMatch(/"skewness"/);
    });
  }
});
