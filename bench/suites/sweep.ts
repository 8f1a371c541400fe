// Sweep throughput: trials per minute of a sweep of the reference workload (1000 epochs; a grid of two
// generator learning rates by two losses, each over a number of seeds never run before) through a local pool
// of 1 worker and of every core, and through the BullMQ queue with 2 `simdgan worker` processes on this
// machine (Debian's redis-server, started here in a temporary folder). Contenders take turns, round by round,
// so the shared machine's load hits each alike.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sweep } from "../../src/index.js";
import type { SweepResultBench } from "../report/results.js";
import { interleave, summarize } from "../stats.js";

const BIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const REDIS = process.env.REDIS_SERVER ?? "/usr/bin/redis-server";

/** The grid every measured sweep runs, each configuration over `seeds` seeds. */
export const SWEEP_GRID = { "gOptimizer.learningRate": [0.0005, 0.001], loss: ["minimax", "lsgan"] };

export interface SweepBenchOptions {
  /** Seeds per configuration of the grid in each measured sweep. */
  seeds: number;
  reps: number;
  log: (line: string) => void;
}

function waitForLine(proc: ChildProcess, re: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    proc.stdout!.on("data", (c: Buffer) => {
      seen += c.toString();
      if (re.test(seen)) resolve();
    });
    proc.once("exit", (code) => reject(new Error(`${proc.spawnfile} exited (${code}) before ${re}: ${seen}`)));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** Redis and two workers on it, for the queue contender; stop() ends them all. */
async function queueRig(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "simdgan-bench-redis-"));
  const port = await freePort();
  const redis = spawn(REDIS, ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = `redis://127.0.0.1:${port}/0`;
  const workers: ChildProcess[] = [];
  const end = async (p: ChildProcess) => {
    if (p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once("exit", r));
    p.kill("SIGTERM");
    await exited;
  };
  const stop = async () => {
    await Promise.all(workers.map(end));
    await end(redis);
    await rm(dir, { recursive: true, force: true });
  };
  // Should the bench itself be stopped, take the server and the workers with it.
  process.once("exit", () => [redis, ...workers].forEach((p) => p.kill()));
  try {
    await waitForLine(redis, /Ready to accept connections/);
    for (let i = 0; i < 2; i++)
      workers.push(spawn(process.execPath, [BIN, "worker", "--queue", url], { stdio: ["ignore", "pipe", "inherit"] }));
    await Promise.all(workers.map((w) => waitForLine(w, /^waiting for trials/m)));
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, stop };
}

export async function runSweepBench(o: SweepBenchOptions): Promise<SweepResultBench> {
  const cores = availableParallelism();
  const configurations = Object.values(SWEEP_GRID).reduce((n, values) => n * values.length, 1);
  const trials = configurations * o.seeds;
  let next = 1;
  // Every sweep trains seeds never run before, so nothing is resumed or read back from the queue.
  const plan = () => ({ grid: SWEEP_GRID, seeds: Array.from({ length: o.seeds }, () => next++) });
  const timed = async (options: Parameters<typeof sweep>[1]) => {
    const t = performance.now();
    await sweep(plan(), options);
    return trials / ((performance.now() - t) / 60_000);
  };
  const samplers: Record<string, () => Promise<number>> = {
    "local, 1 worker": () => timed({ workers: 1 }),
    [`local, ${cores} workers`]: () => timed({ workers: cores }),
  };
  const skipped: Record<string, string> = {};
  let rig: Awaited<ReturnType<typeof queueRig>> | null = null;
  if (existsSync(REDIS)) {
    rig = await queueRig();
    const url = rig.url;
    samplers["local, 2 workers"] ??= () => timed({ workers: 2 });
    samplers["queue, 2 worker processes"] = () => timed({ queue: url });
  } else skipped["queue, 2 worker processes"] = `no ${REDIS} (apt-get install -y redis-server)`;
  try {
    const samples = await interleave(samplers, {
      warmup: 1,
      reps: o.reps,
      onSample: (name, rep, v) => o.log(`  ${name} #${rep + 1}: ${v.toFixed(0)} trials/min`),
    });
    return {
      trials,
      configurations,
      grid: SWEEP_GRID,
      epochs: 1000,
      cores,
      rows: Object.entries(samples).map(([name, trialsPerMinute]) => ({
        name,
        trialsPerMinute,
        summary: summarize(trialsPerMinute),
      })),
      skipped,
    };
  } finally {
    await rig?.stop();
  }
}
