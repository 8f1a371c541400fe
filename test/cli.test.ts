// The CLI end to end, on the built binary (the README's test command builds first).
import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { loadCheckpoint } from "../src/index.js";

const BIN = resolve("dist/src/cli/main.js");
const run = promisify(execFile);

async function simdgan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const dir = await mkdtemp(join(tmpdir(), "simdgan-cli-"));
const SEED_LINE = /^epoch = (\d+), D-Loss = (\d+\.\d{3}), G-Loss = (\d+\.\d{3}), KL divergence = (\d+\.\d{3})$/;

describe("simdgan train", () => {
  it("prints the seed's line every 10 epochs, then a summary; the same seed prints the same lines", async () => {
    const a = await simdgan("train", "--epochs", "30", "--seed", "4");
    expect(a.code).toBe(0);
    const lines = a.stdout.trim().split("\n");
    const reports = lines.filter((l) => SEED_LINE.test(l));
    expect(reports.map((l) => Number(SEED_LINE.exec(l)![1]))).toEqual([0, 10, 20]);
    expect(a.stdout).toMatch(/trained 30 epochs in \d+\.\d+ s \(\d+ epochs\/s\)/);
    expect(a.stdout).toMatch(/final KL divergence = \d+\.\d{3}/);
    expect(a.stdout).toMatch(/real data: +mean = -?\d+\.\d{3}, std = \d+\.\d{3}/);
    expect(a.stdout).toMatch(/generated: +mean = -?\d+\.\d{3}, std = \d+\.\d{3}/);
    const b = await simdgan("train", "--epochs", "30", "--seed", "4");
    expect(b.stdout.split("\n").filter((l) => SEED_LINE.test(l))).toEqual(reports);
    const c = await simdgan("train", "--epochs", "30", "--seed", "5");
    expect(c.stdout.split("\n").filter((l) => SEED_LINE.test(l))).not.toEqual(reports);
  });

  it("--json prints one object per report with every metric, then a summary object", async () => {
    const { code, stdout } = await simdgan("train", "--epochs", "20", "--json", "--g-hidden", "8,8");
    expect(code).toBe(0);
    const objects = stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects).toHaveLength(3);
    for (const r of objects.slice(0, 2)) {
      for (const key of ["epoch", "dLoss", "gLoss", "kl", "js", "w1", "ks", "mean", "std"]) expect(typeof r[key]).toBe("number");
    }
    const summary = objects[2]!.summary as Record<string, unknown>;
    expect(summary.epochs).toBe(20);
    expect(typeof summary.finalKL).toBe("number");
  });

  it.each([
    [["--epochs", "abc"], /^simdgan: invalid --epochs 'abc': must be a whole number >= 1$/],
    [["--samples", "0"], /^simdgan: invalid --samples '0': must be a whole number >= 1$/],
    [["--noise-dim", "-3"], /^simdgan: invalid --noise-dim '-3'/],
    [["--g-lr", "0"], /^simdgan: invalid --g-lr '0': must be a number > 0$/],
    [["--d-lr", "-0.1"], /^simdgan: invalid --d-lr '-0.1': must be a number > 0$/],
    [["--real-label", "1.5"], /^simdgan: invalid --real-label '1.5': must be a number in \[0, 1\]$/],
    [["--fake-label", "-1"], /^simdgan: invalid --fake-label '-1'/],
    [["--g-hidden", "32,,8"], /^simdgan: invalid --g-hidden '32,,8': must be comma-separated whole numbers/],
    [["--frobnicate"], /^simdgan: unknown option '--frobnicate'$/],
    [["--epochs"], /^simdgan: option '--epochs <n>' argument missing$/],
    [["--loss", "hinge"], /^simdgan: invalid --loss 'hinge': must be one of minimax, non-saturating, lsgan$/],
    [["--g-optimizer", "sgd:momentum=x"], /^simdgan: invalid --g-optimizer 'sgd:momentum=x': sgd takes momentum=<number>$/],
    [["--batches", "5000"], /^simdgan: invalid batches: 5000 \(must be at most the number of samples \(1000\)\)$/],
    [["--plot", "out.pdf"], /^simdgan: invalid --plot: "out.pdf"/],
  ])("rejects %j with status 2 and one line naming the flag", async (args, message) => {
    const { code, stdout, stderr } = await simdgan("train", ...args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(message);
  });

  it("--help lists every flag with its default; --help and --version exit 0", async () => {
    const help = await simdgan("train", "--help");
    expect(help.code).toBe(0);
    for (const flag of ["--seed", "--samples", "--epochs", "--batches", "--batch-size", "--noise-dim", "--g-hidden", "--d-hidden",
      "--g-lr", "--d-lr", "--real-label", "--fake-label", "--log-every", "--json", "--save", "--plot", "--config", "--data",
      "--target", "--shuffle", "--loss", "--d-steps", "--g-optimizer", "--metrics"]) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toContain("(default: 0.0005)");
    const top = await simdgan("--help");
    expect(top.code).toBe(0);
    for (const cmd of ["train", "resume", "sample", "export"]) expect(top.stdout).toContain(cmd);
    expect((await simdgan("--version")).code).toBe(0);
  });

  it("takes --config with flags overriding it, and --data from a CSV file, naming bad cells", async () => {
    await writeFile(join(dir, "conf.json"), JSON.stringify({ epochs: 40, logEvery: 20, gHidden: [8] }));
    const a = await simdgan("train", "--config", "conf.json", "--epochs", "20");
    expect(a.stdout.split("\n").filter((l) => SEED_LINE.test(l)).map((l) => SEED_LINE.exec(l)![1])).toEqual(["0"]);
    await writeFile(join(dir, "bad-conf.json"), JSON.stringify({ epoch: 3 }));
    const b = await simdgan("train", "--config", "bad-conf.json");
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown option 'epoch'/);
    await writeFile(join(dir, "two.csv"), "u,v\n" + Array.from({ length: 60 }, (_, i) => `${Math.sin(i)},${Math.cos(i)}`).join("\n") + "\n");
    const c = await simdgan("train", "--data", "two.csv", "--epochs", "3", "--json");
    expect(c.code).toBe(0);
    const summary = JSON.parse(c.stdout.trim().split("\n").pop()!).summary;
    expect(summary.real).toHaveLength(2);
    await writeFile(join(dir, "bad.csv"), "1,2\n3\n");
    const d = await simdgan("train", "--data", "bad.csv");
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/line 2, column 2/);
  });
});

describe("checkpoints from the command line", () => {
  it("train --save, resume, sample and export", async () => {
    expect((await simdgan("train", "--epochs", "60", "--save", "straight.json")).code).toBe(0);
    expect((await simdgan("train", "--epochs", "25", "--save", "split.json")).code).toBe(0);
    const resumed = await simdgan("resume", "split.json", "--epochs", "35");
    expect(resumed.code).toBe(0);
    expect(resumed.stdout.split("\n").filter((l) => SEED_LINE.test(l)).map((l) => SEED_LINE.exec(l)![1])).toEqual(["30", "40", "50"]);
    const a = await loadCheckpoint(await readFile(join(dir, "straight.json"), "utf8"));
    const b = await loadCheckpoint(await readFile(join(dir, "split.json"), "utf8"));
    expect(b.epoch).toBe(60);
    expect(b.generator.getWeights()).toEqual(a.generator.getWeights());
    expect(b.discriminator.getWeights()).toEqual(a.discriminator.getWeights());
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const csv = await simdgan("sample", "straight.json", "-n", "500");
    const rows = csv.stdout.trim().split("\n");
    expect(rows[0]).toBe("x");
    expect(rows.slice(1).map(Number).every(Number.isFinite)).toBe(true);
    expect(rows).toHaveLength(501);
    const json = await simdgan("sample", "straight.json", "-n", "7", "--format", "json");
    expect(JSON.parse(json.stdout)).toHaveLength(7);

    expect((await simdgan("export", "straight.json", "--tfjs", "model")).code).toBe(0);
    const modelJson = JSON.parse(await readFile(join(dir, "model", "model.json"), "utf8"));
    const weights = await readFile(join(dir, "model", "weights.bin"));
    await tf.setBackend("cpu");
    const model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }));
    const noise = Float32Array.from({ length: 16 * 4 }, (_, i) => Math.cos(i));
    const theirs = (model.predict(tf.tensor2d(noise, [4, 16])) as tf.Tensor).dataSync();
    const g = a.generator;
    g.reserve(4);
    const at = a.engine.arena.alloc(noise.length);
    a.engine.arena.write(at, noise);
    const ours = a.engine.arena.read(g.forward(at, 4), 4);
    for (let i = 0; i < 4; i++) expect(theirs[i]).toBeCloseTo(ours[i]!, 5);
  });

  it("refuses a damaged checkpoint with one line and status 2", async () => {
    const text = await readFile(join(dir, "straight.json"), "utf8");
    await writeFile(join(dir, "cut.json"), text.slice(0, 100));
    const r = await simdgan("resume", "cut.json", "--epochs", "5");
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^simdgan: not a checkpoint: the file is not valid JSON/);
    const missing = await simdgan("sample", "nope.json");
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`simdgan: cannot read checkpoint nope.json: no such file`);
  });

  it("--plot writes an SVG with the expected series", async () => {
    const r = await simdgan("train", "--epochs", "30", "--plot", "run.svg");
    expect(r.code).toBe(0);
    const svg = await readFile(join(dir, "run.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    for (const label of ["real", "generated", "D(x)", "D-Loss", "G-Loss", "KL"]) expect(svg).toContain(label);
  });
});
