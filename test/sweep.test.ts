// Sweeps on one machine: plans and their errors, records against a trial trained alone, worker count and
// order, resume after a torn line and after kill -9, the summary and the plot. The pool's threads load
// built JavaScript, so the sweep itself runs from dist/ (the README's test command builds first).
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, writeFile, truncate, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createGAN, OptionError, resolveOptions, type GANOptions } from "../src/index.js";
import { expandPlan } from "../src/sweep/plan.js";
import { ResultsFile } from "../src/sweep/results.js";
import { configurations, quantile } from "../src/sweep/summary.js";
import { SweepProgress } from "../src/cli/sweep.js";
import type { TrialRecord } from "../src/sweep/trial.js";

const BIN = resolve("dist/src/cli/main.js");
const dir = await mkdtemp(join(tmpdir(), "simdgan-sweep-"));

const simdgan = (...args: string[]) => runCli(dir, args);

// Independent of src/sweep/canonical.ts: sorted keys by JSON.stringify's replacer, nulls dropped.
function referenceId(options: GANOptions): string {
  const resolved = resolveOptions(options) as unknown as Record<string, unknown>;
  const sorted = (v: unknown): unknown => {
    if (v instanceof Float32Array) return [...v];
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === "object")
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== null)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, x]) => [k, sorted(x)]),
      );
    return v;
  };
  return createHash("sha256")
    .update(JSON.stringify(sorted(resolved)))
    .digest("hex")
    .slice(0, 16);
}

const PLAN = {
  base: { epochs: 60 },
  grid: { "gOptimizer.learningRate": [0.0005, 0.001], loss: ["minimax", "lsgan"] },
  seeds: 3,
};

async function writePlan(name: string, plan: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(plan));
  return path;
}

describe("sweep plans", () => {
  it("expand to list x grid x seeds in plan order, each id the hash of its resolved options", () => {
    const trials = expandPlan({
      base: { epochs: 50, samples: 500 },
      list: [{ gHidden: [8] }, { gHidden: [16], loss: "lsgan" }],
      grid: { "gOptimizer.learningRate": [0.001, 0.002] },
      seeds: [7, 9],
    });
    expect(trials).toHaveLength(8);
    expect(trials.map((t) => [t.options.gHidden, t.options.gOptimizer?.learningRate, t.options.seed])).toEqual([
      [[8], 0.001, 7],
      [[8], 0.001, 9],
      [[8], 0.002, 7],
      [[8], 0.002, 9],
      [[16], 0.001, 7],
      [[16], 0.001, 9],
      [[16], 0.002, 7],
      [[16], 0.002, 9],
    ]);
    for (const t of trials) {
      expect(t.options).toMatchObject({ epochs: 50, samples: 500 });
      expect(t.id).toBe(referenceId(t.options));
    }
    expect(trials[5]!.label).toBe("list[1], grid.gOptimizer.learningRate[0], seeds[1]");
    // The same options spelled in another order, or with defaults written out, are the same trial.
    expect(
      expandPlan({ base: { seed: 7, samples: 500, epochs: 50, gHidden: [8], gOptimizer: { learningRate: 0.001 } } })[0]!
        .id,
    ).toBe(trials[0]!.id);
    expect(expandPlan({ base: { epochs: 50, noiseDim: 16 } })[0]!.id).toBe(expandPlan({ base: { epochs: 50 } })[0]!.id);
    // A grid key "a.b" varies field b of option a, keeping a's other fields.
    const nested = expandPlan({ base: { gOptimizer: { type: "adam" } }, grid: { "gOptimizer.learningRate": [0.002] } });
    expect(nested[0]!.options.gOptimizer).toEqual({ type: "adam", learningRate: 0.002 });
    // A count of seeds means seeds 1..N.
    expect(expandPlan({ seeds: 3 }).map((t) => t.options.seed)).toEqual([1, 2, 3]);
  });

  it.each([
    [{ grid: { "gOptimizer.learningRate": [0.001, 0] } }, "grid.gOptimizer.learningRate[1]", 0, /must be a number > 0/],
    [{ grid: { gLearningRate: [0.001] } }, "grid.gLearningRate", 0.001, /gOptimizer.learningRate/],
    [{ base: { epochs: 1.5 } }, "base.epochs", 1.5, /whole number/],
    [{ list: [{}, { loss: "hinge" }] }, "list[1].loss", "hinge", /minimax/],
    [{ seeds: [1, -2] }, "seeds[1]", -2, /whole number/],
    [{ base: { epoch: 10 } }, "base.epoch", 10, /not an option; did you mean epochs\?/],
    [
      {
        grid: {
          gOptimizer: [
            { type: "adam", learningRate: 0.001 },
            { type: "lion", learningRate: 1 },
          ],
        },
      },
      "grid.gOptimizer[1].type",
      "lion",
      /adam, rmsprop, sgd/,
    ],
    [{ grid: { loss: "lsgan" } }, "grid.loss", "lsgan", /non-empty list/],
    [
      { base: { gOptimizer: { type: "adam" } }, grid: { "gOptimizer.learningRate": [0.001, -1] } },
      "grid.gOptimizer.learningRate[1]",
      -1,
      /must be a number > 0/,
    ],
    [
      { base: { gOptimizer: { type: "adamw" } }, grid: { "gOptimizer.learningRate": [0.001] } },
      "base.gOptimizer.type",
      "adamw",
      /adam/,
    ],
    [{ seeds: 0 }, "seeds", 0, /count/],
    [{ base: { seed: 3 }, seeds: 2 }, "base.seed", 3, /one or the other/],
    [
      { grid: { "gOptimizer.learningRate": [0.001, 0.001] } },
      "grid.gOptimizer.learningRate[1]",
      undefined,
      /same trial as grid.gOptimizer.learningRate\[0\]/,
    ],
    [{ bases: {} }, "bases", {}, /unknown plan key/],
  ] as const)("refuses %j naming %s", (plan, path, value, allowed) => {
    let error: unknown;
    try {
      expandPlan(plan);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionError);
    const e = error as OptionError;
    expect(e.option).toBe(path);
    if (value !== undefined) expect(e.value).toEqual(value);
    expect(e.allowed).toMatch(allowed);
  });

  it("a bad plan ends the CLI with status 2 and one line naming the path and the value", async () => {
    const path = await writePlan("bad.json", { grid: { "gOptimizer.learningRate": [0.001, -1] }, seeds: 2 });
    const r = await simdgan("sweep", path);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `simdgan: invalid plan ${path}: grid.gOptimizer.learningRate[1] = -1: ` +
        "must be a number > 0 that float32 holds: 1.4e-45 to 3.4e38\n",
    );
    const notJson = join(dir, "broken.json");
    await writeFile(notJson, "{ base: ");
    expect((await simdgan("sweep", notJson)).stderr).toMatch(/^simdgan: invalid plan .*broken\.json: not valid JSON/);
    expect((await simdgan("sweep", "--workers", "0", path)).stderr).toMatch(/invalid --workers '0'/);
  });
});

describe("simdgan sweep", () => {
  it("writes one record per trial, the same bytes with 1 or 3 workers and as `train --record`", async () => {
    const plan = await writePlan("grid.json", PLAN);
    const one = await simdgan("sweep", plan, "--workers", "1", "--out", "one.jsonl");
    expect(one.code).toBe(0);
    const three = await simdgan("sweep", plan, "--workers", "3", "--out", "three.jsonl");
    expect(three.code).toBe(0);
    const a = await readFile(join(dir, "one.jsonl"), "utf8");
    expect(await readFile(join(dir, "three.jsonl"), "utf8")).toBe(a);
    const lines = a.trim().split("\n");
    const trials = expandPlan(PLAN);
    expect(lines.map((l) => (JSON.parse(l) as TrialRecord).id)).toEqual(trials.map((t) => t.id));

    // The trial trained alone by the CLI, from flags.
    const alone = await simdgan(
      "train",
      "--epochs",
      "60",
      "--g-lr",
      "0.001",
      "--loss",
      "lsgan",
      "--seed",
      "2",
      "--record",
    );
    expect(alone.code).toBe(0);
    expect(alone.stdout).toBe(
      lines[trials.findIndex((t) => t.label === "grid.gOptimizer.learningRate[1], grid.loss[1], seeds[1]")]! + "\n",
    );

    // And by the library in this process: the same reports and final report.
    const t = trials[4]!,
      record = JSON.parse(lines[4]!) as TrialRecord;
    const gan = await createGAN(t.options);
    const { reports } = gan.train();
    expect(record.reports).toEqual(JSON.parse(JSON.stringify(reports)));
    expect(record.final).toEqual(JSON.parse(JSON.stringify(gan.report())));
    expect(reports).toHaveLength(6);
    // The record's id is the hash of the trial's resolved options, computed here independently.
    expect(record.id).toBe(referenceId(t.options));
  });

  it("resumes: a torn last line is cut and redone, finished trials are skipped", async () => {
    const plan = await writePlan("resume.json", PLAN);
    const full = await readFile(join(dir, "one.jsonl"), "utf8");
    const lines = full.split("\n");
    // Five whole lines and half of the sixth, as a kill -9 in the middle of a write leaves them.
    const torn = lines.slice(0, 5).join("\n") + "\n" + lines[5]!.slice(0, 100);
    await writeFile(join(dir, "resume.jsonl"), torn);
    const r = await simdgan("sweep", plan, "--workers", "2");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/resuming: 5 of 12 trials already in/);
    expect(r.stderr).toMatch(/^7 trials run in/m);
    expect(await readFile(join(dir, "resume.jsonl"), "utf8")).toBe(full);
    // Nothing left to do: nothing runs, and the file stays as it is.
    const again = await simdgan("sweep", plan);
    expect(again.stderr).toMatch(/^0 trials run in .* 12 resumed/m);
    expect(await readFile(join(dir, "resume.jsonl"), "utf8")).toBe(full);
  });

  it("refuses a results file that holds a trial of another plan", async () => {
    const plan = await writePlan("other.json", { base: { epochs: 20 }, seeds: 2 });
    await writeFile(join(dir, "other.jsonl"), (await readFile(join(dir, "one.jsonl"), "utf8")).split("\n")[0] + "\n");
    const r = await simdgan("sweep", plan);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^simdgan: invalid --out: .*other\.jsonl: "trial [0-9a-f]{16}" \(must hold only this plan's trials/,
    );
  });

  it("after kill -9 mid-sweep the file holds only whole records, and a rerun completes it", async () => {
    const plan = { base: { epochs: 400 }, seeds: 8 };
    const path = await writePlan("killed.json", plan);
    const out = join(dir, "killed.jsonl");
    const child = spawn(process.execPath, [BIN, "sweep", path, "--workers", "2"], { cwd: dir, stdio: "ignore" });
    // Kill it once some trials are in but not all.
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const size = await stat(out).then(
        (s) => s.size,
        () => 0,
      );
      if (size > 0) break;
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const partial = await readFile(out, "utf8");
    const ref = await simdgan("sweep", path, "--workers", "1", "--out", "killed-ref.jsonl");
    expect(ref.code).toBe(0);
    const refLines = (await readFile(join(dir, "killed-ref.jsonl"), "utf8")).trim().split("\n");
    const parts = partial.split("\n");
    const tail = parts.pop()!; // "" or a torn line
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.length).toBeLessThan(8);
    for (const l of parts) expect(refLines).toContain(l);
    if (tail) expect(refLines.some((l) => l.startsWith(tail))).toBe(true);
    const rerun = await simdgan("sweep", path, "--workers", "2");
    expect(rerun.stderr).toMatch(new RegExp(`resuming: ${parts.length} of 8`));
    expect(await readFile(out, "utf8")).toBe(refLines.join("\n") + "\n");
  });

  it("a trial that diverges is a result: recorded with where it diverged, counted in the summary", async () => {
    const sgd = (learningRate: number) => ({ type: "sgd", learningRate });
    const plan = await writePlan("diverge.json", {
      base: { epochs: 30 },
      grid: { dOptimizer: [sgd(0.01), sgd(1e30)] },
    });
    const r = await simdgan("sweep", plan, "--workers", "2");
    expect(r.code).toBe(0);
    const [calm, wild] = (await readFile(join(dir, "diverge.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as TrialRecord);
    expect(calm!.diverged).toBeUndefined();
    expect(calm!.final!.epoch).toBe(30);
    expect(wild!.final).toBeNull();
    expect(wild!.diverged!.epoch).toBeLessThan(30);
    expect(wild!.diverged!.what).toMatch(/non-finite|gradient|weights|loss/);
    expect(r.stdout).toMatch(/^dOptimizer\.learningRate=1e\+30: 1 seed, 1 diverged \(seeds 1\)$/m);
    // Alone, from the same options in a --config file: the same line, and not an error.
    await writeFile(join(dir, "wild.json"), JSON.stringify({ epochs: 30, dOptimizer: sgd(1e30) }));
    const alone = await simdgan("train", "--config", "wild.json", "--record");
    expect([alone.code, alone.stdout]).toEqual([0, JSON.stringify(wild) + "\n"]);
  });

  it("a trial recorded twice is kept once", async () => {
    const path = join(dir, "twice.jsonl");
    const trials = [{ id: "a" }, { id: "b" }];
    const file = new ResultsFile(path, trials);
    expect(file.append("b", '{"id":"b"}')).toBe(true);
    expect(file.append("a", '{"id":"a"}')).toBe(true);
    expect(file.append("b", '{"id":"b"}')).toBe(false);
    file.close();
    expect(await readFile(path, "utf8")).toBe('{"id":"b"}\n{"id":"a"}\n');
    const reopened = new ResultsFile(path, trials);
    expect(reopened.append("a", '{"id":"a"}')).toBe(false);
    reopened.finish(["a", "b"]);
    expect(await readFile(path, "utf8")).toBe('{"id":"a"}\n{"id":"b"}\n');
    // A torn last line is cut off as the file opens, before anything is appended after it.
    await writeFile(path, '{"id":"a"}\n{"id":"b","fin');
    const torn = new ResultsFile(path, trials);
    expect(await readFile(path, "utf8")).toBe('{"id":"a"}\n');
    expect(torn.has("b")).toBe(false);
    torn.append("b", '{"id":"b"}');
    torn.close();
    expect(await readFile(path, "utf8")).toBe('{"id":"a"}\n{"id":"b"}\n');
  });
});

describe("sweep summaries", () => {
  it("--summary prints each configuration's median and p10-p90 of every metric over seeds", async () => {
    const text = await readFile(join(dir, "one.jsonl"), "utf8");
    const records = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as TrialRecord);
    const r = await simdgan("sweep", "--summary", "one.jsonl");
    expect(r.code).toBe(0);
    const blocks = r.stdout.trim().split("\n\n");
    expect(blocks).toHaveLength(4);
    const labels = ["gOptimizer.learningRate=0.0005, loss=minimax", "gOptimizer.learningRate=0.0005, loss=lsgan"];
    labels.push("gOptimizer.learningRate=0.001, loss=minimax", "gOptimizer.learningRate=0.001, loss=lsgan");
    blocks.forEach((block, c) => {
      expect(block.split("\n")[0]).toBe(`${labels[c]}: 3 seeds`);
      const mine = records.slice(3 * c, 3 * c + 3);
      for (const metric of ["dLoss", "gLoss", "kl"] as const) {
        // Three seeds: the median is the middle value, p10 a fifth of the way from the lowest to the
        // middle one, p90 four fifths of the way from the middle one to the highest (linear ranks).
        const v = mine.map((m) => m.final![metric]!).sort((x, y) => x - y);
        const expected = [v[1]!, v[0]! + 0.2 * (v[1]! - v[0]!), v[1]! + 0.8 * (v[2]! - v[1]!)].map((x) => x.toFixed(3));
        const row = block.split("\n").find((l) => l.trim().startsWith(metric + " "))!;
        expect(
          row
            .trim()
            .split(/\s+-\s+|\s+/)
            .slice(1),
        ).toEqual(expected);
      }
    });
  });

  it("quantiles interpolate between ranks as numpy's default does", () => {
    expect(quantile([1, 2, 3, 4, 5], 0.1)).toBeCloseTo(1.4, 12);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10], 0.9)).toBe(10);
    const c = configurations([
      { id: "1", options: { seed: 1, epochs: 5 }, final: { epoch: 5, dLoss: 1, gLoss: 2, kl: 0.5 }, reports: [] },
      { id: "2", options: { seed: 2, epochs: 5 }, final: { epoch: 5, dLoss: 3, gLoss: 2, kl: 0.7 }, reports: [] },
    ]);
    expect(c).toHaveLength(1);
    expect(c[0]!.label).toBe("all trials");
    expect(c[0]!.stats.dLoss).toEqual({ median: 2, p10: 1.2, p90: 2.8 });
  });

  it("--plot draws every configuration's distribution", async () => {
    const r = await simdgan("sweep", "--summary", "one.jsonl", "--plot", "dist.svg", "--metric", "gLoss");
    expect(r.code).toBe(0);
    const svg = await readFile(join(dir, "dist.svg"), "utf8");
    expect(svg).toMatch(/^<svg/);
    for (const label of ["gOptimizer.learningRate=0.0005, loss=minimax", "gOptimizer.learningRate=0.001, loss=lsgan"])
      expect(svg).toContain(label);
    const bad = await simdgan("sweep", "--summary", "one.jsonl", "--plot", "x.svg", "--metric", "w1");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid --metric 'w1': the results hold dLoss, gLoss, kl/);
  });

  it("the progress bar shows trials done, trials per minute and the time left", () => {
    let text = "",
      now = 0;
    const bar = new SweepProgress({ write: (s: string) => (text = s), columns: 80 }, 40, 10, () => now);
    now = 30_000; // 5 trials in half a minute: 10 per minute, 25 left
    bar.update(15);
    expect(text).toMatch(/15\/40 trials {2}10\.0 trials\/min {2}ETA 2m30s$/);
  });
});

describe("library sweep()", () => {
  it("runs a plan, calling onTrial as each trial is recorded, and returns the records in plan order", async () => {
    // The pool's worker threads load built JavaScript: the library as installed.
    const lib = (await import(resolve("dist/src/index.js"))) as typeof import("../src/index.js");
    const plan = { base: { epochs: 30 }, grid: { dHidden: [[8], [16]] }, seeds: 2 };
    const seen: number[] = [];
    const out = join(dir, "lib.jsonl");
    const result = await lib.sweep(plan, { workers: 2, out, onTrial: (e) => seen.push(e.done) });
    expect(seen.sort()).toEqual([1, 2, 3, 4]);
    expect(result.records.map((r) => r.id)).toEqual(expandPlan(plan).map((t) => t.id));
    expect(await readFile(out, "utf8")).toBe(result.records.map((r) => JSON.stringify(r) + "\n").join(""));
    const inMemory = await lib.sweep(plan, { workers: 1 });
    expect(inMemory.records).toEqual(result.records);
    await truncate(out, 0);
  });
});
