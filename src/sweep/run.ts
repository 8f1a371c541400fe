// The sweep itself: expand the plan, skip the trials the results file already holds, run the rest on a
// local pool or through the queue, append each result as it arrives, and leave the file in plan order.
import { availableParallelism } from "node:os";
import { expandPlan, type Trial } from "./plan.js";
import { trialPool } from "./pool.js";
import { loadQueue } from "./optional.js";
import { ResultsFile } from "./results.js";
import type { TrialRecord } from "./trial.js";

export interface SweepOptions {
  /** JSON Lines file of results; an existing one is resumed. Without it, results stay in memory. */
  out?: string;
  /** Worker threads of the local pool (default: every core). */
  workers?: number;
  /** redis://host:port/db: run the trials on `simdgan worker` processes through BullMQ instead. */
  queue?: string;
  /** Called once the plan is expanded and the results file read, before any trial runs. */
  onStart?: (status: { total: number; resumed: number }) => void;
  /** Called as each trial's result is recorded (not for trials resumed from the file). */
  onTrial?: (event: TrialEvent) => void;
}

export interface TrialEvent {
  trial: Trial;
  record: TrialRecord;
  /** The record's line in the results file. */
  line: string;
  /** Trials recorded so far, resumed ones included, of total. */
  done: number;
  total: number;
}

export interface SweepResult {
  trials: Trial[];
  /** One record per trial, in plan order. */
  records: TrialRecord[];
  /** Trials found already finished in the results file. */
  resumed: number;
}

export async function sweep(plan: unknown, options: SweepOptions = {}): Promise<SweepResult> {
  const trials = expandPlan(plan);
  const file = new ResultsFile(options.out ?? null, trials);
  const resumed = trials.filter((t) => file.has(t.id)).length;
  const todo = trials.filter((t) => !file.has(t.id));
  let done = resumed;
  options.onStart?.({ total: trials.length, resumed });
  const record = (trial: Trial, line: string) => {
    const parsed = JSON.parse(line) as TrialRecord;
    // The worker resolved the same options to the same id, or it does not run the same trainer.
    if (parsed.id !== trial.id)
      throw new Error(`trial ${trial.label}: a worker returned trial ${parsed.id}, expected ${trial.id}`);
    if (!file.append(trial.id, line)) return;
    options.onTrial?.({ trial, record: parsed, line, done: ++done, total: trials.length });
  };
  try {
    if (todo.length > 0 && options.queue) {
      const { collect } = await loadQueue(options.queue);
      await collect(todo, { url: options.queue, onResult: record });
    } else if (todo.length > 0) {
      const pool = trialPool(Math.max(1, Math.min(options.workers ?? availableParallelism(), todo.length)));
      try {
        await Promise.all(todo.map(async (t) => record(t, await pool.run(t.options))));
      } finally {
        await pool.close();
      }
    }
    file.finish(trials.map((t) => t.id));
  } finally {
    file.close();
  }
  return { trials, records: trials.map((t) => JSON.parse(file.lines.get(t.id)!) as TrialRecord), resumed };
}
