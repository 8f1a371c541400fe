// Sweeps beyond one machine, on BullMQ: the sweep enqueues one job per trial (job id from the trial id, so a
// trial is queued once however often it is enqueued) and collects the results; `simdgan worker`
// processes (any number, anywhere) run them. The collector reads each job's result back from Redis, so
// a Redis restart loses no finished trial, and a job Redis lost entirely is simply queued again.
import { Queue, type ConnectionOptions } from "bullmq";
import { OptionError } from "../errors.js";
import type { GANOptions } from "../train/options.js";
import type { Trial } from "./plan.js";

export const QUEUE_NAME = "simdgan-trials";
/** Tries per trial: a trial that throws this many times fails the sweep. */
export const ATTEMPTS = 3;

/** A trial's job id. BullMQ refuses ids that read as integers, and a hex hash can be all digits. */
export const jobId = (trialId: string) => `trial-${trialId}`;

export interface TrialJob {
  options: GANOptions;
}

/** BullMQ's connection for a redis:// URL; commands wait out a reconnect instead of failing. */
export function connection(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    u = new URL("invalid:");
  }
  if ((u.protocol !== "redis:" && u.protocol !== "rediss:") || !u.hostname)
    throw new OptionError("--queue", url, "must be a Redis URL, redis://host:port/db");
  return { url, maxRetriesPerRequest: null };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface CollectOptions {
  url: string;
  /** Called with each trial's record line as it is read back, once per trial. */
  onResult: (trial: Trial, line: string) => void;
  pollMs?: number;
}

/** Enqueues the trials and waits for every one's result. */
export async function collect(trials: readonly Trial[], o: CollectOptions): Promise<void> {
  const queue = new Queue<TrialJob, string>(QUEUE_NAME, { connection: connection(o.url) });
  const add = (list: readonly Trial[]) =>
    queue.addBulk(
      list.map((t) => ({
        name: "trial",
        data: { options: t.options },
        opts: { jobId: jobId(t.id), attempts: ATTEMPTS, removeOnComplete: false, removeOnFail: false },
      })),
    );
  const pending = new Map(trials.map((t) => [t.id, t]));
  try {
    await add(trials);
    // A trial that failed in an earlier sweep gets its attempts again.
    for (const t of trials) {
      const job = await queue.getJob(jobId(t.id));
      if (job && (await job.getState()) === "failed") await job.retry("failed");
    }
    while (pending.size > 0) {
      for (const t of [...pending.values()]) {
        const job = await queue.getJob(jobId(t.id));
        if (!job) {
          await add([t]); // Redis came back without it (no persistence): queue it again
          continue;
        }
        if (typeof job.returnvalue === "string" && job.finishedOn) {
          pending.delete(t.id);
          o.onResult(t, job.returnvalue);
        } else if (job.finishedOn && job.attemptsMade >= ATTEMPTS) {
          throw new Error(`trial ${t.label} (${t.id}) failed ${job.attemptsMade} times: ${job.failedReason}`);
        }
      }
      if (pending.size > 0) await sleep(o.pollMs ?? 200);
    }
  } finally {
    await queue.close();
  }
}
