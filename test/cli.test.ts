// The CLI end to end, on the built binary (the README's test command builds first).
import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { createGAN, DEFAULTS, loadCheckpoint, METRICS, type Report } from "../src/index.js";
import { Progress, pyFixed } from "../src/cli/report.js";

// SIMDGAN_BIN runs these tests against another build (say, one from before a fix).
const BIN = resolve(process.env.SIMDGAN_BIN ?? "dist/src/cli/main.js");
const run = promisify(execFile);

async function simdgan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return exec(process.execPath, [BIN, ...args]);
}

async function exec(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const dir = await mkdtemp(join(tmpdir(), "simdgan-cli-"));
const REPORT_LINE = /^epoch = (\d+), D-Loss = (\d+\.\d{3}), G-Loss = (\d+\.\d{3}), KL divergence = (\d+\.\d{3})$/;

describe("simdgan train", () => {
  it("prints the report line every 10 epochs, then a summary; the same seed prints the same lines", async () => {
    const a = await simdgan("train", "--epochs", "30", "--seed", "4");
    expect(a.code).toBe(0);
    const lines = a.stdout.trim().split("\n");
    const reports = lines.filter((l) => REPORT_LINE.test(l));
    expect(reports.map((l) => Number(REPORT_LINE.exec(l)![1]))).toEqual([0, 10, 20]);
    expect(a.stdout).toMatch(/trained 30 epochs in \d+\.\d+ s \(\d+ epochs\/s\)/);
    expect(a.stdout).toMatch(/final KL divergence = \d+\.\d{3}/);
    expect(a.stdout).toMatch(/real data: +mean = -?\d+\.\d{3}, std = \d+\.\d{3}/);
    expect(a.stdout).toMatch(/generated: +mean = -?\d+\.\d{3}, std = \d+\.\d{3}/);
    const b = await simdgan("train", "--epochs", "30", "--seed", "4");
    expect(b.stdout.split("\n").filter((l) => REPORT_LINE.test(l))).toEqual(reports);
    const c = await simdgan("train", "--epochs", "30", "--seed", "5");
    expect(c.stdout.split("\n").filter((l) => REPORT_LINE.test(l))).not.toEqual(reports);
  });

  it("--json prints one object per report with every metric, then a summary object", async () => {
    const { code, stdout } = await simdgan("train", "--epochs", "20", "--json", "--g-hidden", "8,8");
    expect(code).toBe(0);
    const objects = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects).toHaveLength(3);
    for (const r of objects.slice(0, 2)) {
      for (const key of ["epoch", "dLoss", "gLoss", "kl", "js", "w1", "ks", "mean", "std"])
        expect(typeof r[key]).toBe("number");
    }
    const summary = objects[2]!.summary as Record<string, unknown>;
    expect(summary.epochs).toBe(20);
    expect(typeof summary.finalKL).toBe("number");
  });

  it.each([
    [["--epochs", "abc"], /^simdgan: invalid --epochs 'abc': must be a whole number >= 1$/],
    [["--samples", "0"], /^simdgan: invalid --samples '0': must be a whole number >= 1$/],
    [["--noise-dim", "-3"], /^simdgan: invalid --noise-dim '-3'/],
    [["--g-lr", "0"], /^simdgan: invalid --g-lr '0': must be a number > 0 that float32 holds/],
    [["--d-lr", "-0.1"], /^simdgan: invalid --d-lr '-0.1': must be a number > 0 that float32 holds/],
    [["--real-label", "1.5"], /^simdgan: invalid --real-label '1.5': must be a number in \[0, 1\]$/],
    [["--fake-label", "-1"], /^simdgan: invalid --fake-label '-1'/],
    [
      ["--g-hidden", "32,,8"],
      /^simdgan: invalid --g-hidden '32,,8': must be a list of whole numbers >= 1, one per hidden layer$/,
    ],
    [["--frobnicate"], /^simdgan: unknown option '--frobnicate'$/],
    [["--epochs"], /^simdgan: option '--epochs <n>' argument missing$/],
    [["--loss", "hinge"], /^simdgan: invalid --loss 'hinge': must be one of minimax, non-saturating, lsgan$/],
    [
      ["--g-optimizer", "sgd:momentum=x"],
      /^simdgan: invalid --g-optimizer 'sgd:momentum=x': sgd takes momentum, each as NAME=<number>, comma-separated$/,
    ],
    [["--batches", "5000"], /^simdgan: invalid --batches '5000': must be at most the number of samples \(1000\)$/],
    [
      ["--samples", "2", "--batches", "3"],
      /^simdgan: invalid --batches '3': must be at most the number of samples \(2\)$/,
    ],
    [["--seed", "1.5"], /^simdgan: invalid --seed '1.5': must be a whole number in \[0, 4294967295\]$/],
    [["--log-every", "0"], /^simdgan: invalid --log-every '0': must be a whole number >= 1$/],
    [["--batches", "two"], /^simdgan: invalid --batches 'two': must be a whole number >= 1$/],
    [["--g-lr", "abc"], /^simdgan: invalid --g-lr 'abc': must be a number > 0 that float32 holds/],
    [["--real-label", ""], /^simdgan: invalid --real-label '': must be a number in \[0, 1\]$/],
    [
      ["--d-hidden", "0"],
      /^simdgan: invalid --d-hidden '0': must be a list of whole numbers >= 1, one per hidden layer$/,
    ],
    [
      ["--d-hidden", "64,abc"],
      /^simdgan: invalid --d-hidden '64,abc': must be a list of whole numbers >= 1, one per hidden layer$/,
    ],
    [
      ["--g-hidden", "8.5"],
      /^simdgan: invalid --g-hidden '8.5': must be a list of whole numbers >= 1, one per hidden layer$/,
    ],
    [
      ["--g-activation", "swish"],
      /^simdgan: invalid --g-activation 'swish': must be one of relu, leaky_relu, sigmoid, tanh, linear$/,
    ],
    [["--noise", "gaussian"], /^simdgan: invalid --noise 'gaussian': must be one of uniform, normal$/],
    [["--sed", "3"], /^simdgan: unknown option '--sed' \(Did you mean --seed\?\)$/],
    [["extra"], /^simdgan: too many arguments for 'train'/],
    [["--plot", "out.pdf"], /^simdgan: invalid --plot 'out.pdf': must end in .svg or .png/],
    [["--save", ""], /^simdgan: invalid --save '': must be a path, not empty$/],
    [["--plot", ""], /^simdgan: invalid --plot '': must be a path, not empty$/],
    [["--data", ""], /^simdgan: invalid --data '': must be a path, not empty$/],
    [["--config", ""], /^simdgan: invalid --config '': must be a path, not empty$/],
    [["--samples", "0x10"], /^simdgan: invalid --samples '0x10': must be a whole number >= 1$/],
    [["--samples", " 5"], /^simdgan: invalid --samples ' 5': must be a whole number >= 1$/],
    [["--g-optimizer", "adam:beta1=0.5:beta2=0.9"], /^simdgan: invalid --g-optimizer 'adam:beta1=0.5:beta2=0.9'/],
    [["--g-lr", "1e-46"], /^simdgan: invalid --g-lr '1e-46': must be a number > 0 that float32 holds/],
    [
      ["--batches", "3", "--batch-size", "100"],
      /^simdgan: invalid --batch-size '100': cannot be combined with --batches$/,
    ],
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
    for (const flag of [
      "--seed",
      "--samples",
      "--epochs",
      "--batches",
      "--batch-size",
      "--noise-dim",
      "--g-hidden",
      "--d-hidden",
      "--g-lr",
      "--d-lr",
      "--real-label",
      "--fake-label",
      "--log-every",
      "--json",
      "--save",
      "--plot",
      "--config",
      "--data",
      "--target",
      "--shuffle",
      "--loss",
      "--d-steps",
      "--g-optimizer",
      "--metrics",
    ]) {
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
    expect(
      a.stdout
        .split("\n")
        .filter((l) => REPORT_LINE.test(l))
        .map((l) => REPORT_LINE.exec(l)![1]),
    ).toEqual(["0"]);
    await writeFile(join(dir, "bad-conf.json"), JSON.stringify({ epoch: 3 }));
    const b = await simdgan("train", "--config", "bad-conf.json");
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/invalid epoch in --config 'bad-conf.json': 3 \(not an option; did you mean epochs\?\)/);
    await writeFile(
      join(dir, "two.csv"),
      "u,v\n" + Array.from({ length: 60 }, (_, i) => `${Math.sin(i)},${Math.cos(i)}`).join("\n") + "\n",
    );
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

describe("small data sets and one name per setting", () => {
  it("two samples train with --batch-size 1, from a target and from a two-row CSV", async () => {
    const a = await simdgan("train", "--samples", "2", "--batch-size", "1", "--epochs", "3");
    expect(a.stderr).toBe("");
    expect(a.code).toBe(0);
    await writeFile(join(dir, "two-rows.csv"), "x\n0.5\n1.5\n");
    const b = await simdgan("train", "--data", "two-rows.csv", "--batch-size", "1", "--epochs", "3");
    expect(b.stderr).toBe("");
    expect(b.code).toBe(0);
  });

  it("--g-lr overrides the config's gOptimizer.learningRate: trains at 0.5 and records that alone", async () => {
    await writeFile(join(dir, "sgd.json"), JSON.stringify({ gOptimizer: { type: "sgd", learningRate: 0.1 } }));
    const args = ["--config", "sgd.json", "--g-lr", "0.5", "--epochs", "4", "--save", "sgd-run.json"];
    expect((await simdgan("train", ...args)).code).toBe(0);
    const saved = JSON.parse(await readFile(join(dir, "sgd-run.json"), "utf8")) as { options: Record<string, unknown> };
    expect(saved.options.gOptimizer).toEqual({ type: "sgd", learningRate: 0.5 });
    expect(JSON.stringify(saved.options).match(/learningRate/gi)).toHaveLength(2);
    const gan = await createGAN({ gOptimizer: { type: "sgd", learningRate: 0.5 } });
    gan.train({ epochs: 4 });
    const resumed = await loadCheckpoint(await readFile(join(dir, "sgd-run.json"), "utf8"));
    expect(resumed.generator.getWeights()).toEqual(gan.generator.getWeights());
  });
});

describe("checkpoints from the command line", () => {
  it("train --save, resume, sample and export", async () => {
    expect((await simdgan("train", "--epochs", "60", "--save", "straight.json")).code).toBe(0);
    expect((await simdgan("train", "--epochs", "25", "--save", "split.json")).code).toBe(0);
    const resumed = await simdgan("resume", "split.json", "--epochs", "35");
    expect(resumed.code).toBe(0);
    expect(
      resumed.stdout
        .split("\n")
        .filter((l) => REPORT_LINE.test(l))
        .map((l) => REPORT_LINE.exec(l)![1]),
    ).toEqual(["30", "40", "50"]);
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
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      }),
    );
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

const reportLines = (stdout: string) => stdout.split("\n").filter((l) => REPORT_LINE.test(l));
const numbersOf = (line: string) => REPORT_LINE.exec(line)!.slice(1).map(Number);

describe("simdgan train against the library", () => {
  it("runs the reference workload: 100 lines for epochs 0..990, a healthy run, a summary, no stderr", async () => {
    const { code, stdout, stderr } = await simdgan("train");
    expect(code).toBe(0);
    expect(stderr).toBe(""); // not a terminal: no progress bar
    const lines = reportLines(stdout);
    expect(lines).toHaveLength(100);
    expect(lines.map((l) => numbersOf(l)[0])).toEqual(Array.from({ length: 100 }, (_, i) => 10 * i));
    // The report lines come first, then only the summary.
    expect(stdout.split("\n").slice(0, 100)).toEqual(lines);
    // The spec's healthy run: losses start near ln 2, the KL divergence falls from several units.
    const [, d0, g0, kl0] = numbersOf(lines[0]!);
    expect(Math.abs(d0! - Math.LN2)).toBeLessThan(0.1);
    expect(Math.abs(g0! - Math.LN2)).toBeLessThan(0.1);
    expect(kl0).toBeGreaterThan(1);
    expect(numbersOf(lines[99]!)[3]).toBeLessThan(kl0! / 4);
    expect(stdout).toMatch(/trained 1000 epochs in/);
  });

  it("prints what the library computes: the report line's numbers are the reports' values to 3 decimals", async () => {
    const { stdout } = await simdgan("train", "--epochs", "30", "--seed", "4");
    const gan = await createGAN({ seed: 4 });
    const reports: Report[] = [];
    gan.train({ epochs: 30, onReport: (r) => reports.push(r) });
    const lines = reportLines(stdout);
    expect(lines).toHaveLength(reports.length);
    lines.forEach((line, i) => {
      const r = reports[i]!,
        [epoch, d, g, kl] = numbersOf(line);
      expect(epoch).toBe(r.epoch);
      for (const [shown, value] of [
        [d, r.dLoss],
        [g, r.gLoss],
        [kl, r.kl!],
      ] as const) {
        expect(Math.abs(shown! - value)).toBeLessThanOrEqual(0.0005 + 1e-12);
      }
    });
  });

  it("hands every flag to the library: --json reports equal a library run with the same options", async () => {
    const { code, stdout, stderr } = await simdgan(
      "train",
      "--json",
      "--seed",
      "11",
      "--samples",
      "600",
      "--batches",
      "4",
      "--noise-dim",
      "8",
      "--noise",
      "normal",
      "--g-hidden",
      "8,8",
      "--d-hidden",
      "16",
      "--g-activation",
      "tanh",
      "--d-activation",
      "leaky_relu",
      "--g-lr",
      "0.002",
      "--d-lr",
      "0.003",
      "--real-label",
      "1",
      "--fake-label",
      "0",
      "--log-every",
      "7",
      "--epochs",
      "22",
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const objects = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const gan = await createGAN({
      seed: 11,
      samples: 600,
      batches: 4,
      noiseDim: 8,
      noise: "normal",
      gHidden: [8, 8],
      dHidden: [16],
      gActivation: "tanh",
      dActivation: "leaky_relu",
      gOptimizer: { learningRate: 0.002 },
      dOptimizer: { learningRate: 0.003 },
      realLabel: 1,
      fakeLabel: 0,
      logEvery: 7,
      metrics: [...METRICS],
    });
    const reports: Report[] = [];
    gan.train({ epochs: 22, onReport: (r) => reports.push(r) });
    expect(reports.map((r) => r.epoch)).toEqual([0, 7, 14, 21]);
    expect(objects).toHaveLength(reports.length + 1);
    reports.forEach((r, i) => {
      const o = objects[i]!;
      expect([o.epoch, o.dLoss, o.gLoss, o.kl]).toEqual([r.epoch, r.dLoss, r.gLoss, r.kl]);
    });
    // The summary's real statistics, recomputed here in float64 from the library's real data.
    const summary = objects.at(-1)!.summary as {
      epochs: number;
      real: { mean: number; std: number }[];
      generated: unknown[];
    };
    const real = Array.from(gan.realData());
    const mean = real.reduce((a, v) => a + v, 0) / real.length;
    const std = Math.sqrt(real.reduce((a, v) => a + (v - mean) ** 2, 0) / real.length);
    expect(summary.epochs).toBe(22);
    expect(summary.real[0]!.mean).toBeCloseTo(mean, 10);
    expect(summary.real[0]!.std).toBeCloseTo(std, 10);
    expect(summary.generated).toHaveLength(1);
  });

  it("--json is deterministic for a seed, and its reports match the text lines", async () => {
    const a = await simdgan("train", "--json", "--epochs", "25", "--seed", "8");
    const b = await simdgan("train", "--json", "--epochs", "25", "--seed", "8");
    const text = await simdgan("train", "--epochs", "25", "--seed", "8");
    const reports = (out: string) =>
      out
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, number>)
        .filter((o) => "epoch" in o);
    expect(reports(a.stdout)).toHaveLength(3);
    expect(reports(b.stdout)).toEqual(reports(a.stdout));
    const lines = reportLines(text.stdout);
    reports(a.stdout).forEach((r, i) => {
      const [epoch, d, g, kl] = numbersOf(lines[i]!);
      expect(epoch).toBe(r.epoch);
      expect(Math.abs(d! - r.dLoss!)).toBeLessThanOrEqual(0.0005 + 1e-12);
      expect(Math.abs(g! - r.gLoss!)).toBeLessThanOrEqual(0.0005 + 1e-12);
      expect(Math.abs(kl! - r.kl!)).toBeLessThanOrEqual(0.0005 + 1e-12);
    });
  });
});

describe("simdgan's help and failures", () => {
  it("train --help shows every flag of the reference workload with the library's default", async () => {
    const { code, stdout } = await simdgan("train", "--help");
    expect(code).toBe(0);
    // One entry per option: its first line and the wrapped lines under it.
    const entries = new Map<string, string>();
    let current = "";
    for (const line of stdout.split("\n")) {
      const m = /^ {2}(?:-\w, )?(--[\w-]+)/.exec(line);
      if (m) entries.set((current = m[1]!), line.trim());
      else if (current && /^ {4,}\S/.test(line)) entries.set(current, `${entries.get(current)} ${line.trim()}`);
      else current = "";
    }
    const defaults: Record<string, string> = {
      "--samples": String(DEFAULTS.samples),
      "--epochs": String(DEFAULTS.epochs),
      "--batches": String(DEFAULTS.batches),
      "--noise-dim": String(DEFAULTS.noiseDim),
      "--g-hidden": DEFAULTS.gHidden.join(","),
      "--d-hidden": DEFAULTS.dHidden.join(","),
      "--g-lr": String(DEFAULTS.gOptimizer.learningRate),
      "--d-lr": String(DEFAULTS.dOptimizer.learningRate),
      "--real-label": String(DEFAULTS.realLabel),
      "--fake-label": String(DEFAULTS.fakeLabel),
      "--log-every": String(DEFAULTS.logEvery),
      "--seed": String(DEFAULTS.seed),
      "--g-activation": "relu",
      "--d-activation": "relu",
      "--noise": "uniform",
    };
    for (const [flag, value] of Object.entries(defaults)) {
      expect(entries.get(flag), flag).toMatch(new RegExp(`\\(default: ${value.replace(/[.]/g, "\\.")}\\)$`));
    }
    expect(entries.get("--json")).toMatch(/JSON/);
    expect((await simdgan("help", "train")).stdout).toBe(stdout);
  });

  it("without a command prints the help on stderr and exits 2", async () => {
    const { code, stdout, stderr } = await simdgan();
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^Usage: simdgan/);
    const unknown = await simdgan("fit");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("simdgan: unknown command 'fit'\n");
    const version = await simdgan("--version");
    const pkg = JSON.parse(await readFile("package.json", "utf8")) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it("an internal error is one line and status 1", async () => {
    // Break the engine from outside: instantiating the wasm module fails inside the train command.
    // (Node instantiates synchronously, pages asynchronously: break both ways in.)
    const breakWasm =
      "data:text/javascript,WebAssembly.instantiate=()=>Promise.reject(new Error('no engine today'));" +
      "WebAssembly.Instance=function(){throw new Error('no engine today')}";
    const { code, stdout, stderr } = await exec(process.execPath, [
      "--import",
      breakWasm,
      BIN,
      "train",
      "--epochs",
      "1",
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^simdgan: internal error: no engine today \(SIMDGAN_DEBUG=1 shows the stack\)\n$/);
  });

  it("stops quietly when the reader of stdout goes away", async () => {
    const script = `"${process.execPath}" "${BIN}" train | head -n 1; echo "status=\${PIPESTATUS[0]}" >&2`;
    const { stdout, stderr } = await exec("bash", ["-c", script]);
    expect(stdout).toMatch(/^epoch = 0, D-Loss = \d\.\d{3}, G-Loss = \d\.\d{3}, KL divergence = \d+\.\d{3}\n$/);
    expect(stderr).toBe("status=0\n");
  });
});

describe("report formatting", () => {
  it("formats like Python's %.3f, ties to even included", () => {
    // Python 3: '%.3f' % x for each x (0.0625 and 0.1875 are exact binary ties; 0.0005 and 1.0005 are not).
    const python: [number, string][] = [
      [0.0625, "0.062"],
      [-0.0625, "-0.062"],
      [0.1875, "0.188"],
      [0.6875, "0.688"],
      [0.0005, "0.001"],
      [1.0005, "1.000"],
      [2.5, "2.500"],
      [0.9995, "1.000"],
      [-0.0001, "-0.000"],
      [1e-9, "0.000"],
      [123456.78125, "123456.781"],
      [0.693147, "0.693"],
      [NaN, "nan"],
      [Infinity, "inf"],
      [-Infinity, "-inf"],
      [-0, "-0.000"],
    ];
    for (const [x, text] of python) expect(pyFixed(x), String(x)).toBe(text);
    // '%.0f' and '%.1f'
    expect([0.5, 1.5, 2.5, -0.5].map((x) => pyFixed(x, 0))).toEqual(["0", "2", "2", "-0"]);
    expect([0.25, 0.75, -0.25].map((x) => pyFixed(x, 1))).toEqual(["0.2", "0.8", "-0.2"]);
  });

  it("draws the progress bar at most every 100 ms and at the end, erasing it when asked", () => {
    const out: string[] = [];
    let t = 1000;
    const bar = new Progress({ columns: 80, write: (s) => out.push(s) }, 100, () => t);
    bar.clear();
    expect(out).toEqual([]); // nothing drawn, nothing to erase
    bar.update(10, 3.2);
    t += 50;
    bar.update(20, 3.1); // too soon
    t += 60;
    bar.update(30, NaN);
    t += 1;
    bar.update(100, 0.25); // the end is always drawn
    bar.clear();
    expect(out).toEqual([
      `\r\x1b[2K[${"#".repeat(4)}${"-".repeat(36)}] 10/100 epochs  KL 3.200`,
      `\r\x1b[2K[${"#".repeat(12)}${"-".repeat(28)}] 30/100 epochs  KL -`,
      `\r\x1b[2K[${"#".repeat(40)}] 100/100 epochs  KL 0.250`,
      "\r\x1b[2K",
    ]);
  });
});
