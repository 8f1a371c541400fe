// The queue's packages (bullmq, and ioredis under it) are optional peer dependencies: a local sweep
// needs neither, and most installs never queue. They are loaded only for --queue and `simdgan worker`.
import { OptionError } from "../errors.js";

export const QUEUE_PACKAGES = ["bullmq", "ioredis"] as const;

/** --queue (or `simdgan worker`) asked for while bullmq or ioredis is not installed. */
export class QueueUnavailableError extends OptionError {
  constructor(url: string) {
    super("--queue", url, "the queue packages are not installed");
    this.message = `--queue ${url} needs the optional queue packages: npm install ${QUEUE_PACKAGES.join(" ")}`;
  }
}

async function load<T>(url: string, importer: () => Promise<T>): Promise<T> {
  try {
    // bullmq loads ioredis only when it connects: resolve it now, so a missing one fails here, clearly.
    await import("ioredis");
    return await importer();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") throw new QueueUnavailableError(url);
    throw e;
  }
}

export const loadQueue = (url: string) => load(url, () => import("./queue.js"));
export const loadWorker = (url: string) => load(url, () => import("./worker.js"));
