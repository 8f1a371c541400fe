// A real install: the packed package installed into an empty project, as a user gets it. No npm warning
// about simdgan, a LICENSE, at most 15 MB of node_modules (the plotting stack is an optional peer), the
// CLI and the library work, and --plot without the plotting stack (or --queue without the queue's) exits
// 2 naming the command to run.
// npm runs on Node 24 (the devDependency) so that engines >= 22 holds whatever Node runs the suite;
// packing skips the build (the suite's command has just built) and installing needs only npm's cache.
import { beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const NODE24 = resolve("node_modules/node/bin/node");
const env = { ...process.env, PATH: `${dirname(NODE24)}:${process.env.PATH}`, NO_COLOR: "1" };
const project = await mkdtemp(join(tmpdir(), "simdgan-install-"));
let installLog = "";

async function exec(file: string, args: string[], cwd = project) {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

beforeAll(async () => {
  const packed = await exec("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", project], ".");
  expect(packed.code, packed.stderr).toBe(0);
  const { filename } = (JSON.parse(packed.stdout) as { filename: string }[])[0]!;
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "user-project", private: true }));
  const installed = await exec("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", `./${filename}`]);
  expect(installed.code, installed.stderr).toBe(0);
  installLog = installed.stdout + installed.stderr;
}, 120_000);

describe("npm install simdgan-*.tgz into an empty project", () => {
  it("prints no warning about simdgan", () => {
    const warnings = installLog.split("\n").filter((l) => /warn/i.test(l));
    expect(warnings.filter((l) => /simdgan/.test(l))).toEqual([]);
  });

  it("ships the LICENSE and leaves the plotting stack out: at most 15 MB of node_modules", async () => {
    const license = await readFile(join(project, "node_modules/simdgan/LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License/);
    expect(license).toMatch(/simdgan contributors/);
    const names = await readdir(join(project, "node_modules"));
    for (const peer of ["vega", "vega-lite", "@resvg", "dejavu-fonts-ttf"]) expect(names).not.toContain(peer);
    expect(await bytesUnder(join(project, "node_modules"))).toBeLessThanOrEqual(15e6);
  });

  it("runs the CLI and the library", async () => {
    const cli = join(project, "node_modules/.bin/simdgan");
    const trained = await exec(NODE24, [cli, "train", "--epochs", "20"]);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/^epoch = 10, D-Loss = \d\.\d{3}, G-Loss = \d\.\d{3}, KL divergence = \d/m);
    const script =
      'const { createGAN } = await import("simdgan"); const g = await createGAN({ seed: 1 });' +
      " console.log(g.generate(3).length);";
    const lib = await exec(NODE24, ["--input-type=module", "-e", script]);
    expect(lib.stdout.trim(), lib.stderr).toBe("3");
  });

  it("--plot without the plotting packages exits 2 before training, with one line naming the command", async () => {
    const cli = join(project, "node_modules/.bin/simdgan");
    const r = await exec(NODE24, [cli, "train", "--epochs", "20", "--plot", "run.png"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(""); // nothing trained
    expect(r.stderr.trim().split("\n")).toEqual([
      "simdgan: invalid --plot 'run.png': needs the optional plotting packages: " +
        "npm install vega vega-lite @resvg/resvg-js dejavu-fonts-ttf",
    ]);
  });

  it("sweeps on local threads; --queue and worker without the queue packages exit 2 naming the command", async () => {
    const cli = join(project, "node_modules/.bin/simdgan");
    await writeFile(join(project, "plan.json"), JSON.stringify({ base: { epochs: 20 }, seeds: 2 }));
    const local = await exec(NODE24, [cli, "sweep", "plan.json", "--workers", "2"]);
    expect(local.code, local.stderr).toBe(0);
    expect((await readFile(join(project, "plan.jsonl"), "utf8")).trim().split("\n")).toHaveLength(2);
    const line = "simdgan: --queue redis://127.0.0.1:1/0 needs the optional queue packages: npm install bullmq ioredis";
    const queued = await exec(NODE24, [
      cli,
      "sweep",
      "plan.json",
      "--out",
      "q.jsonl",
      "--queue",
      "redis://127.0.0.1:1/0",
    ]);
    expect([queued.code, queued.stderr.trim()]).toEqual([2, line]);
    const worker = await exec(NODE24, [cli, "worker", "--queue", "redis://127.0.0.1:1/0"]);
    expect([worker.code, worker.stderr.trim()]).toEqual([2, line]);
  });
});
