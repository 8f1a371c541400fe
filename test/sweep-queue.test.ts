// Sweeps through BullMQ on a real Redis: Debian's redis-server on a free loopback port in a temporary
// directory. Three worker processes run a sweep while one is killed mid-trial; another sweep sees Redis
// restarted under it; both results files must equal a local sweep's byte for byte.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { Queue } from "bullmq";
import { expandPlan } from "../src/sweep/plan.js";
import { jobId, QUEUE_NAME } from "../src/sweep/queue.js";

const BIN = resolve("dist/src/cli/main.js");
const REDIS = process.env.REDIS_SERVER ?? "/usr/bin/redis-server";
const run = promisify(execFile);
const dir = await mkdtemp(join(tmpdir(), "simdgan-queue-"));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** A child process whose stdout lines are kept, with a way to wait for one. */
class Child {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  private waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  constructor(readonly proc: ChildProcess) {
    let rest = "";
    proc.stdout!.on("data", (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split("\n");
      rest = parts.pop()!;
      for (const line of parts) {
        this.lines.push(line);
        for (const w of [...this.waiters]) {
          const m = w.re.exec(line);
          if (m) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(m);
          }
        }
      }
    });
    proc.stderr!.on("data", () => undefined);
    this.exited = new Promise((r) => proc.once("exit", (code) => r(code)));
  }
  waitFor(re: RegExp): Promise<RegExpExecArray> {
    const seen = this.lines.map((l) => re.exec(l)).find((m) => m);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ re, resolve }));
  }
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
    await this.exited;
  }
}

let port = 0;
let redis: Child | null = null;

async function startRedis(): Promise<void> {
  // No snapshots; every write in the append-only file before it is acknowledged, so a restart keeps all.
  const proc = spawn(
    REDIS,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      "yes",
      "--appendfsync",
      "always",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  redis = new Child(proc);
  await redis.waitFor(/Ready to accept connections/);
}

const children: Child[] = [];
function simdgan(args: string[]): Child {
  const child = new Child(spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] }));
  children.push(child);
  return child;
}

async function localSweep(plan: string, out: string): Promise<string> {
  await run(process.execPath, [BIN, "sweep", plan, "--workers", "2", "--out", out], { cwd: dir });
  return readFile(join(dir, out), "utf8");
}

const lineCount = (path: string) =>
  readFile(path, "utf8").then(
    (t) => t.split("\n").length - 1,
    () => 0,
  );

beforeAll(async () => {
  if (!existsSync(REDIS)) throw new Error(`no ${REDIS}: apt-get install -y redis-server (or set REDIS_SERVER)`);
  port = await freePort();
  await startRedis();
});

afterAll(async () => {
  // Whatever a failed test left running goes first, then the server.
  await Promise.all(children.map((c) => c.stop("SIGKILL")));
  await redis?.stop();
});

describe("sweep --queue", () => {
  it("three workers, one killed mid-trial: its trial is retried, the file equals a local sweep's", async () => {
    const plan = join(dir, "kill.json");
    await writeFile(plan, JSON.stringify({ base: { epochs: 1500 }, grid: { loss: ["minimax", "lsgan"] }, seeds: 3 }));
    const local = await localSweep(plan, "kill-local.jsonl");
    const queue = `redis://127.0.0.1:${port}/1`;
    const sweep = simdgan(["sweep", plan, "--queue", queue, "--out", "kill-queue.jsonl"]);
    const workers = [0, 1, 2].map(() => simdgan(["worker", "--queue", queue, "--lock-ms", "1500"]));
    const [, killedId] = await workers[0]!.waitFor(/^started trial-([0-9a-f]{16})$/);
    await workers[0]!.stop("SIGKILL");
    expect(workers[0]!.lines).not.toContain(`finished trial-${killedId}`);
    expect(await sweep.exited).toBe(0);
    expect(await readFile(join(dir, "kill-queue.jsonl"), "utf8")).toBe(local);
    // Another worker took the killed trial over once its lock ran out.
    const survivors = workers.slice(1).flatMap((w) => w.lines);
    expect(survivors).toContain(`finished trial-${killedId}`);
    await Promise.all(workers.slice(1).map((w) => w.stop()));

    // A second collector re-reads the finished results from Redis: nothing runs, nothing is doubled.
    const again = simdgan(["sweep", plan, "--queue", queue, "--out", "kill-again.jsonl"]);
    expect(await again.exited).toBe(0);
    expect(await readFile(join(dir, "kill-again.jsonl"), "utf8")).toBe(local);
  });

  it("Redis restarted mid-sweep: no finished result is lost or rerun, the file equals a local sweep's", async () => {
    const plan = join(dir, "restart.json");
    await writeFile(plan, JSON.stringify({ base: { epochs: 600, dHidden: [16] }, seeds: 9 }));
    const local = await localSweep(plan, "restart-local.jsonl");
    const queue = `redis://127.0.0.1:${port}/2`;
    const out = join(dir, "restart-queue.jsonl");
    const sweep = simdgan(["sweep", plan, "--queue", queue, "--out", out]);
    const workers = [0, 1, 2].map(() => simdgan(["worker", "--queue", queue, "--lock-ms", "1500"]));
    while ((await lineCount(out)) < 3) await new Promise((r) => setTimeout(r, 20));
    await redis!.stop();
    // Finished before the restart: what the collector had, and what Redis had marked finished.
    const before = new Set(workers.flatMap((w) => w.lines.filter((l) => l.startsWith("finished "))));
    const marks = workers.map((w) => w.lines.length);
    await new Promise((r) => setTimeout(r, 300));
    await startRedis();
    expect(await sweep.exited).toBe(0);
    expect(await readFile(out, "utf8")).toBe(local);
    const startedAfter = workers.flatMap((w, i) => w.lines.slice(marks[i]).filter((l) => l.startsWith("started ")));
    for (const l of before) expect(startedAfter).not.toContain(l.replace("finished", "started"));
    expect((await stat(join(dir, "appendonlydir"))).isDirectory()).toBe(true);
    await Promise.all(workers.map((w) => w.stop()));
  });

  it("runs a trial whose id is all digits (BullMQ refuses such job ids) like any other", async () => {
    // About one id in 1800 reads as an integer (16 hex digits, none a letter): find such a seed.
    let seed = 1;
    while (!/^[0-9]+$/.test(expandPlan({ base: { epochs: 100 }, seeds: [seed] })[0]!.id)) seed++;
    const options = { base: { epochs: 100 }, seeds: [seed] };
    const plan = join(dir, "digits.json");
    await writeFile(plan, JSON.stringify(options));
    const queue = `redis://127.0.0.1:${port}/3`;
    const sweep = simdgan(["sweep", plan, "--queue", queue]);
    const worker = simdgan(["worker", "--queue", queue, "--until-empty", "--lock-ms", "1000"]);
    expect(await sweep.exited).toBe(0);
    const alone = await run(process.execPath, [BIN, "train", "--epochs", "100", "--seed", String(seed), "--record"], {
      cwd: dir,
    });
    expect(await readFile(join(dir, "digits.jsonl"), "utf8")).toBe(alone.stdout);
    expect(await worker.exited).toBe(0);
  });

  it("a trial that fails for good stops the sweep with status 1 and the worker's reason", async () => {
    const options = { base: { epochs: 50 }, seeds: [5] };
    const plan = join(dir, "poisoned.json");
    await writeFile(plan, JSON.stringify(options));
    const url = `redis://127.0.0.1:${port}/4`;
    // A job of this trial's id already queued with options no trainer takes, and fewer attempts than the
    // sweep's own: the sweep must see it failed, however many attempts it had (1, or 2 when the sweep
    // found it failed already and gave it another).
    const queue = new Queue(QUEUE_NAME, { connection: { url } });
    await queue.add("trial", { options: { epochs: 0 } }, { jobId: jobId(expandPlan(options)[0]!.id), attempts: 1 });
    await queue.close();
    const worker = simdgan(["worker", "--queue", url, "--lock-ms", "1000"]);
    const sweep = simdgan(["sweep", plan, "--queue", url]);
    let stderr = "";
    sweep.proc.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    expect(await sweep.exited).toBe(1);
    expect(stderr).toMatch(
      /^simdgan: trial seeds\[0\] \([0-9a-f]{16}\) failed after [12] attempt\(s\): invalid epochs: 0/m,
    );
    await worker.stop();
  });

  it("refuses a queue that is not a Redis URL, with status 2", async () => {
    const plan = join(dir, "kill.json");
    const bad = simdgan(["sweep", plan, "--queue", "http://127.0.0.1:1/0"]);
    expect(await bad.exited).toBe(2);
  });
});
