// BullMQ's sandboxed processor: each queued trial trains in a worker thread of its own, so the worker's
// event loop stays free to renew the job's lock however long the CPU-bound training takes.
import type { SandboxedJob } from "bullmq";
import { recordLine, runTrial } from "./trial.js";
import type { TrialJob } from "./queue.js";

export default async function processTrial(job: SandboxedJob<TrialJob, string>): Promise<string> {
  return recordLine(await runTrial(job.data.options));
}
