// The CLI under faults, on the built binary: resource limits, divergence, signals, unusable destinations,
// metrics without kl, streamed samples and atomic exports. Each failure is one line and a documented status.
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadCheckpoint, parseCheckpoint } from "../src/index.js";
import { fnv1a } from "../src/checkpoint/tensor.js";

const BIN = resolve("dist/src/cli/main.js");
const dir = await mkdtemp(join(tmpdir(), "simdgan-harden-"));

const simdgan = (...args: string[]) => runCli(dir, args);

/** A refusal: the status, one line on stderr, and no report printed (nothing ran before it). */
function refused(r: { code: number; stdout: string; stderr: string }, status: number, message: RegExp): void {
  expect(r.code).toBe(status);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error/);
}

const tmpFiles = async (d: string) => (await readdir(d)).filter((f) => f.endsWith(".tmp"));

describe("resource limits", () => {
  it("refuses what cannot fit with status 2, naming the flag and the limit", async () => {
    const cases: [string[], RegExp][] = [
      [["--samples", "1e9"], /^simdgan: invalid --samples '1e9': .*GiB of wasm memory; at most 4\.00 GiB/],
      [["--eval-samples", "1e9"], /invalid --eval-samples '1e9': .*at most 4\.00 GiB/],
      [["--noise-dim", "1e7"], /invalid --noise-dim '1e7': .*at most 4\.00 GiB/],
      [["--g-hidden", "30000,30000"], /invalid --g-hidden '30000,30000': .*at most 4\.00 GiB/],
      [["--target", "normal:1e39,1"], /target\.mean.*1e\+39.*float32/],
    ];
    for (const [args, message] of cases) {
      const r = await simdgan("train", ...args);
      refused(r, 2, message);
      expect(r.stdout).toBe("");
    }
  }, 60_000);
});

describe("divergence", () => {
  it("exits 3 with one line naming the epoch and what, and never overwrites a good checkpoint", async () => {
    const r = await simdgan(
      ...["train", "--d-optimizer", "sgd", "--g-optimizer", "sgd", "--d-lr", "1e30", "--g-lr", "1e30"],
      ...["--save", "diverged.json"],
    );
    refused(r, 3, /^simdgan: training diverged in epoch 0: the (generator|discriminator)'s \w+ became non-finite/);
    await expect(stat(join(dir, "diverged.json"))).rejects.toThrow(/ENOENT/);

    // A good checkpoint whose run goes on to diverge: resume in place must leave the file as it was.
    expect((await simdgan("train", "--epochs", "20", "--save", "good.json")).code).toBe(0);
    const good = await readFile(join(dir, "good.json"), "utf8");
    const { checksum: _c, ...body } = JSON.parse(good) as { checksum: string; options: Record<string, unknown> };
    body.options.dOptimizer = { type: "sgd", learningRate: 1e30, momentum: 0 };
    body.options.gOptimizer = { type: "sgd", learningRate: 1e30, momentum: 0 };
    const slots = (JSON.parse(good) as { dOptimizer: { slots: unknown[] } }).dOptimizer.slots.slice(0, 1);
    const g = (JSON.parse(good) as { gOptimizer: { slots: unknown[] } }).gOptimizer.slots.slice(0, 1);
    Object.assign(body, {
      dOptimizer: { step: 60, slots },
      gOptimizer: { step: 60, slots: g },
    });
    const doomed = JSON.stringify({ ...body, checksum: fnv1a(JSON.stringify(body)) });
    await writeFile(join(dir, "doomed.json"), doomed);
    const resumed = await simdgan("resume", "doomed.json", "--epochs", "30");
    refused(resumed, 3, /training diverged in epoch 20: .* nothing was saved/);
    expect(await readFile(join(dir, "doomed.json"), "utf8")).toBe(doomed);
    expect(await tmpFiles(dir)).toEqual([]);
  }, 60_000);
});

describe("signals", () => {
  // Starts a long run, waits for its first report line, then sends the signal.
  async function interrupted(args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; err: string }> {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir });
    let out = "",
      err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    await new Promise<void>((done) =>
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (/epoch = 10,/.test(out)) done();
      }),
    );
    child.kill(signal);
    const code = await new Promise<number | null>((done) => child.on("exit", (c) => done(c)));
    return { code, err };
  }

  it("SIGINT during train --save finishes the epoch, writes the checkpoint, exits 130", async () => {
    const { code, err } = await interrupted(["train", "--epochs", "10000000", "--save", "sigint.json"], "SIGINT");
    expect(code).toBe(130);
    expect(err).toMatch(/^simdgan: interrupted by SIGINT after (\d+) epochs; checkpoint of epoch \1 saved to /);
    const epochs = Number(/after (\d+) epochs/.exec(err)![1]);
    const gan = await loadCheckpoint(await readFile(join(dir, "sigint.json"), "utf8"));
    expect(gan.epoch).toBe(epochs);
    expect(gan.epoch).toBeGreaterThanOrEqual(11);
    expect(await tmpFiles(dir)).toEqual([]);
  }, 60_000);

  it("SIGTERM during an in-place resume exits 143, keeping the checkpoint's mode", async () => {
    expect((await simdgan("train", "--epochs", "5", "--save", "private.json")).code).toBe(0);
    await chmod(join(dir, "private.json"), 0o600);
    const { code } = await interrupted(["resume", "private.json", "--epochs", "10000000"], "SIGTERM");
    expect(code).toBe(143);
    expect((await stat(join(dir, "private.json"))).mode & 0o777).toBe(0o600);
    const c = parseCheckpoint(await readFile(join(dir, "private.json"), "utf8"));
    expect(c.epoch).toBeGreaterThanOrEqual(11); // it printed epoch 10's report before the signal
    expect(await tmpFiles(dir)).toEqual([]);
  }, 60_000);
});

describe("unusable destinations are refused before training", () => {
  it("--save, --plot, sample -o and export --tfjs: a path under a file, unwritable, a directory", async () => {
    await writeFile(join(dir, "afile"), "x");
    await mkdir(join(dir, "adir", "sub"), { recursive: true });
    const trains: [string[], RegExp][] = [
      [["--save", "afile/run.json"], /invalid --save 'afile\/run\.json': .*afile is a file, not a directory/],
      [["--save", "/sys/run.json"], /invalid --save '\/sys\/run\.json': cannot write in \/sys/],
      [["--save", "adir/sub/x.json/"], /invalid --save/],
      [["--plot", "afile/p.svg"], /invalid --plot 'afile\/p\.svg': .*afile is a file/],
      [["--plot", "/sys/p.png"], /invalid --plot '\/sys\/p\.png': cannot write in \/sys/],
      [["--plot", "adir.svg/"], /invalid --plot/],
      [["--plot", "p.pdf"], /^simdgan: invalid --plot 'p\.pdf': must end in \.svg or \.png$/m],
    ];
    await mkdir(join(dir, "adir", "sub", "x.json"), { recursive: true });
    await mkdir(join(dir, "adir.svg"), { recursive: true });
    for (const [args, message] of trains) {
      const r = await simdgan("train", "--epochs", "100000", ...args);
      refused(r, 2, message);
      expect(r.stdout).toBe("");
    }
    expect((await simdgan("train", "--epochs", "3", "--save", "ok.json")).code).toBe(0);
    refused(await simdgan("resume", "ok.json", "--epochs", "1", "--save", "afile/x.json"), 2, /afile is a file/);
    refused(await simdgan("sample", "ok.json", "-o", "adir"), 2, /invalid --out 'adir': is a directory, not a file/);
    refused(await simdgan("sample", "ok.json", "-o", "afile/s.csv"), 2, /invalid --out .*afile is a file/);
    refused(await simdgan("sample", "ok.json", "-o", "/sys/s.csv"), 2, /invalid --out .*cannot write in \/sys/);
    refused(await simdgan("export", "ok.json", "--tfjs", "afile"), 2, /invalid --tfjs 'afile': is a file/);
    refused(await simdgan("export", "ok.json", "--tfjs", "afile/m"), 2, /afile is a file/);
    refused(await simdgan("export", "ok.json", "--tfjs", "/sys/m"), 2, /cannot write in \/sys/);
    expect(await tmpFiles(dir)).toEqual([]);
  }, 120_000);

  it("export refuses a non-empty directory unless --force, and replaces both files together", async () => {
    expect((await simdgan("train", "--epochs", "3", "--save", "e.json")).code).toBe(0);
    await mkdir(join(dir, "model"));
    await writeFile(join(dir, "model", "model.json"), "old");
    refused(await simdgan("export", "e.json", "--tfjs", "model"), 2, /not empty \(--force replaces it\)/);
    expect(await readFile(join(dir, "model", "model.json"), "utf8")).toBe("old");
    expect((await simdgan("export", "e.json", "--tfjs", "model", "--force")).code).toBe(0);
    expect((await readdir(join(dir, "model"))).sort()).toEqual(["model.json", "weights.bin"]);
    expect(JSON.parse(await readFile(join(dir, "model", "model.json"), "utf8")).format).toBe("layers-model");
    await mkdir(join(dir, "empty"));
    expect((await simdgan("export", "e.json", "--tfjs", "empty")).code).toBe(0);
    expect((await readdir(dir)).filter((f) => f.startsWith("."))).toEqual([]);
  }, 60_000);
});

describe("metrics without kl", () => {
  it("train with --metrics lacking kl, or a config of no metrics, ends with a summary", async () => {
    await writeFile(join(dir, "none.json"), JSON.stringify({ metrics: [] }));
    for (const args of [
      ["--metrics", "js,w1"],
      ["--metrics", "moments"],
      ["--config", "none.json"],
    ]) {
      const r = await simdgan("train", "--epochs", "11", ...args, "--plot", "m.svg");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^epoch = 0, D-Loss = \d\.\d{3}, G-Loss = \d\.\d{3}(,|\n)/);
      expect(r.stdout).not.toMatch(/KL/);
      expect(r.stdout).toMatch(/trained 11 epochs in .*\nreal data: {2}mean = /);
      expect((await stat(join(dir, "m.svg"))).size).toBeGreaterThan(1000);
    }
  }, 120_000);
});

describe("sample streams its output", () => {
  it("writes the same rows as generate(n), across many pieces, as CSV and JSON", async () => {
    expect((await simdgan("train", "--epochs", "3", "--target", "ring", "--save", "ring.json")).code).toBe(0);
    const text = await readFile(join(dir, "ring.json"), "utf8");
    const n = 150_000;
    const fake = (await loadCheckpoint(text)).generate(n);
    const rows = Array.from({ length: n }, (_, i) => [fake[2 * i]!, fake[2 * i + 1]!]);
    const csv = await simdgan("sample", "ring.json", "-n", String(n));
    expect(csv.stdout).toBe(["x1,x2", ...rows.map((r) => r.join(","))].join("\n") + "\n");
    expect((await simdgan("sample", "ring.json", "-n", String(n), "-o", "s.json")).code).toBe(0);
    expect(await readFile(join(dir, "s.json"), "utf8")).toBe(JSON.stringify(rows) + "\n");
    refused(await simdgan("sample", "ring.json", "-n", "1e12"), 2, /invalid --count '1e12': .*1073741824/);
  }, 60_000);
});
