// `simdgan worker`: takes trials from the queue and runs each in BullMQ's sandbox (a worker thread). A
// worker that dies mid-trial stops renewing the job's lock; another worker's stalled check then puts the
// job back, up to MAX_STALLS times.
import { fileURLToPath } from "node:url";
import { Queue, Worker } from "bullmq";
import { QUEUE_NAME, connection, type TrialJob } from "./queue.js";

const PROCESSOR = fileURLToPath(new URL("./processor.js", import.meta.url));
/** Times a trial may lose its worker before it counts as failed. */
export const MAX_STALLS = 2;

export interface WorkerOptions {
  url: string;
  /** Trials at once in this process (each in its own thread). */
  concurrency?: number;
  /** How long a job's lock lasts without renewal: how soon a dead worker's trial is taken over. */
  lockMs?: number;
  /** Stop once the queue has had nothing to wait for or run (the end of a batch job). */
  untilEmpty?: boolean;
  log?: (line: string) => void;
}

/** Runs until closed (or, with untilEmpty, until the queue is empty); resolves when the worker has stopped. */
export async function runWorker(o: WorkerOptions): Promise<{ stop: () => Promise<void>; done: Promise<void> }> {
  const log = o.log ?? (() => undefined);
  const lockMs = o.lockMs ?? 30_000;
  const worker = new Worker<TrialJob, string>(QUEUE_NAME, PROCESSOR, {
    connection: connection(o.url),
    useWorkerThreads: true,
    concurrency: o.concurrency ?? 1,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: MAX_STALLS,
    drainDelay: 1,
  });
  worker.on("active", (job) => log(`started ${job.id}`));
  worker.on("completed", (job) => log(`finished ${job.id}`));
  worker.on("failed", (job, e) => log(`failed ${job?.id}: ${e.message}`));
  worker.on("error", (e) => log(`queue: ${e.message}`));
  let stopped = false;
  const stop = async () => {
    stopped = true;
    await worker.close();
  };
  const done = (async () => {
    await worker.waitUntilReady();
    log(`waiting for trials on ${o.url}`);
    if (!o.untilEmpty) return new Promise<void>((resolve) => worker.on("closed", () => resolve()));
    const queue = new Queue(QUEUE_NAME, { connection: connection(o.url) });
    try {
      for (let idle = 0; idle < 2 && !stopped;) {
        await new Promise((r) => setTimeout(r, Math.min(2000, lockMs)));
        const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children");
        idle = Object.values(counts).some((n) => n > 0) ? 0 : idle + 1;
      }
    } finally {
      await queue.close();
    }
    if (!stopped) await stop();
  })();
  return { stop, done };
}
