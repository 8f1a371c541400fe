// Sweeps beyond one machine, on BullMQ: the sweep enqueues one job per trial (job id from the trial id, so a
// trial is queued once however often it is enqueued) and collects the results; `simdgan worker`
// processes (any number, anywhere) run them. The collector reads each job's result back from Redis, so
// a Redis restart loses no finished trial, and a job Redis lost entirely is simply queued again.
import { Queue, type ConnectionOptions } from "bullmq";
import { OptionError } from "../errors.js";
import type { GANOptions } from "../options/resolve.js";
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

/** A trial that failed on every attempt (or lost its worker too often): the sweep stops with its reason. */
export class TrialFailedError extends Error {
  constructor(trial: Trial, attempts: number, reason: string) {
    super(`trial ${trial.label} (${trial.id}) failed after ${attempts} attempt(s): ${reason}`);
    this.name = "TrialFailedError";
  }
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
  // One trial's job, read back: recorded once it has a result, an error once it has failed for good.
  const check = async (t: Trial, fresh: boolean) => {
    const job = await queue.getJob(jobId(t.id));
    if (!job) return add([t]); // Redis came back without it (no persistence): queue it again
    if (typeof job.returnvalue === "string" && job.finishedOn) {
      if (pending.delete(t.id)) o.onResult(t, job.returnvalue);
    } else if (job.finishedOn && (await job.getState()) === "failed") {
      // A trial that failed in an earlier sweep gets its attempts again; one that fails now stops this one.
      if (fresh) await job.retry("failed");
      else throw new TrialFailedError(t, job.attemptsMade, job.failedReason);
    }
  };
  try {
    await add(trials);
    for (let round = 0; pending.size > 0; round++) {
      const list = [...pending.values()];
      // Many reads at once: they share one connection, pipelined.
      for (let i = 0; i < list.length; i += 256)
        await Promise.all(list.slice(i, i + 256).map((t) => check(t, round === 0)));
      if (pending.size > 0) await sleep(o.pollMs ?? 200);
    }
  } finally {
    await queue.close();
  }
}
