// Local parallelism: a workerpool of worker threads, one trial per thread at a time. workerpool rather
// than piscina: it has no dependencies at all, where piscina pulls an optional native addon
// (@napi-rs/nice), and the project ships none; rather than bare worker_threads: it already does the
// queueing, the error passing and the clean shutdown a hand-made pool would repeat.
import { fileURLToPath } from "node:url";
import workerpool from "workerpool";
import type { GANOptions } from "../options/resolve.js";

const SCRIPT = new URL("./pool-worker.js", import.meta.url);

export interface TrialPool {
  /** One trial's record line. */
  run(options: GANOptions): Promise<string>;
  close(): Promise<void>;
}

export function trialPool(workers: number): TrialPool {
  const pool = workerpool.pool(fileURLToPath(SCRIPT), { maxWorkers: workers, workerType: "thread" });
  return {
    run: (options) => pool.exec("trial", [options]) as Promise<string>,
    close: async () => {
      await pool.terminate();
    },
  };
}
