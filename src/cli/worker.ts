// `simdgan worker`: runs queued sweep trials until stopped (SIGTERM/SIGINT finish the trials in hand),
// or with --until-empty until the queue has nothing left, as a batch job's worker does.
import type { Command } from "commander";
import { loadWorker } from "../sweep/optional.js";
import { SIGNAL_STATUS, stopGracefully } from "./signals.js";
import { countFlag } from "./sweep.js";

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description("take sweep trials from a BullMQ queue on Redis and run them (any number, on any machine)")
    .requiredOption("--queue <url>", "the Redis the sweep enqueued on, redis://host:port/db")
    .option(
      "--concurrency <n>",
      "trials at once in this process, each in its own thread",
      countFlag("--concurrency"),
      1,
    )
    .option(
      "--lock-ms <n>",
      "a trial's lock lasts this long without renewal: how soon a dead worker's trial goes to another",
      countFlag("--lock-ms"),
      30_000,
    )
    .option("--until-empty", "exit once the queue has no trial waiting or running")
    .action(async (flags: { queue: string; concurrency: number; lockMs: number; untilEmpty?: boolean }) => {
      const { runWorker } = await loadWorker(flags.queue);
      const w = await runWorker({
        url: flags.queue,
        concurrency: flags.concurrency,
        lockMs: flags.lockMs,
        untilEmpty: !!flags.untilEmpty,
        log: (line) => process.stdout.write(`${line}\n`),
      });
      // A first signal lets the trials in hand finish and be recorded (a second one ends the process at
      // once, see signals.ts); a trial cut short is taken over by another worker when its lock runs out.
      stopGracefully();
      for (const signal of ["SIGTERM", "SIGINT"] as const)
        process.once(signal, () => void w.stop().then(() => process.exit(SIGNAL_STATUS[signal])));
      await w.done;
    });
}
