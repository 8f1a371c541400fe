// `simdgan sweep`: run a plan's trials on every core (or through a queue) with a progress bar, then print
// each configuration's summary; `--summary` prints it for an existing results file.
import type { Command } from "commander";
import { basename, dirname, extname, join, resolve } from "node:path";
import { OptionError, sweep, type TrialRecord } from "../index.js";
import { configurations, type Configuration } from "../sweep/summary.js";
import { readResults, ResultsError } from "../sweep/results.js";
import type { BarStream } from "./report.js";
import { readText } from "./files.js";
import { UsageError } from "./usage.js";

interface SweepFlags {
  workers?: number;
  out?: string;
  queue?: string;
  summary?: string;
  plot?: string;
  metric?: string;
}

export function countFlag(flag: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`invalid ${flag} '${text}': must be a whole number >= 1`);
    return n;
  };
}

const fixed = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "-");

/** One block per configuration: its seeds, then each metric's median and 10th-90th percentiles. */
export function summaryTable(configs: readonly Configuration[]): string {
  return configs
    .map((c) => {
      const metrics = Object.keys(c.stats);
      const width = Math.max(6, ...metrics.map((m) => m.length));
      const rows = metrics.map((m) => {
        const s = c.stats[m]!,
          spread = `${fixed(s.p10)} - ${fixed(s.p90)}`;
        return `  ${m.padEnd(width)}  ${fixed(s.median).padStart(8)}  ${spread.padStart(17)}`;
      });
      const head = `  ${"metric".padEnd(width)}  ${"median".padStart(8)}  ${"p10 - p90".padStart(17)}`;
      const n = c.seeds.length,
        diverged = c.diverged.length ? `, ${c.diverged.length} diverged (seeds ${c.diverged.join(", ")})` : "";
      return [`${c.label}: ${n} seed${n === 1 ? "" : "s"}${diverged}`, ...(rows.length ? [head, ...rows] : [])].join(
        "\n",
      );
    })
    .join("\n\n");
}

/** Trials done, trials per minute and time left, redrawn on one line of a terminal. */
export class SweepProgress {
  private readonly started: number;
  private shown = false;
  constructor(
    private readonly stream: BarStream,
    private readonly total: number,
    private readonly resumed: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  update(done: number): void {
    const minutes = (this.now() - this.started) / 60_000,
      ran = done - this.resumed;
    const rate = minutes > 0 ? ran / minutes : 0;
    const left = rate > 0 ? (this.total - done) / rate : NaN;
    const width = Math.max(10, Math.min(30, (this.stream.columns ?? 80) - 50));
    const filled = Math.round((done / this.total) * width);
    const eta = Number.isFinite(left) ? duration(left * 60) : "-";
    this.stream.write(
      `\r\x1b[2K[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${this.total} trials  ` +
        `${rate.toFixed(1)} trials/min  ETA ${eta}`,
    );
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write("\r\x1b[2K");
    this.shown = false;
  }
}

export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
}

async function plotSweep(path: string, metric: string, configs: readonly Configuration[]): Promise<void> {
  const [{ renderPlot }, { sweepPlotSpec }] = await Promise.all([
    import("../plot/render.js"),
    import("../plot/sweep.js"),
  ]);
  const known = [...new Set(configs.flatMap((c) => Object.keys(c.values)))];
  if (!known.includes(metric))
    throw new UsageError(`invalid --metric '${metric}': the results hold ${known.join(", ")}`);
  await renderPlot(
    sweepPlotSpec(
      metric,
      configs.map((c) => ({ label: c.label, values: c.values[metric]! })),
    ),
    path,
  );
  process.stderr.write(`plot written to ${path}\n`);
}

async function readPlan(path: string): Promise<unknown> {
  const text = await readText(path, "plan");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`invalid plan ${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** plan.json -> plan.jsonl beside it. */
function defaultOut(plan: string): string {
  return join(dirname(plan), `${basename(plan, extname(plan))}.jsonl`);
}

export function registerSweep(program: Command): void {
  const cmd = program
    .command("sweep [plan]")
    .description("run every trial of a plan (options x seeds) on every core, or through a queue; JSON Lines out")
    .option("--workers <n>", "trials at once, one per worker thread (default: every core)", countFlag("--workers"))
    .option("--out <file>", "results, one JSON line per trial, resumed if it exists (default: PLAN.jsonl)")
    .option("--queue <url>", "enqueue the trials on Redis (redis://host:port/db) for `simdgan worker` processes")
    .option("--summary <file>", "print the summary of a results file and exit (no plan)")
    .option("--plot <file>", "draw each configuration's distribution of --metric over seeds to an .svg or .png")
    .option("--metric <name>", "the metric --plot draws", "kl");
  cmd.addHelpText(
    "after",
    '\nA plan: {"base": {"epochs": 1000}, "grid": {"gOptimizer.learningRate": [0.0005, 0.001]}, "seeds": 20}\n' +
      '(also "list": [options, ...]; a grid key "a.b" varies field b of option a; seeds: a count N for\n' +
      "seeds 1..N, or a list). See README, Sweeps.",
  );
  cmd.action(async (planPath: string | undefined, flags: SweepFlags) => {
    if (flags.plot) (await import("../plot/render.js")).plotFormat(flags.plot);
    let records: TrialRecord[];
    if (flags.summary) {
      if (planPath) throw new UsageError("--summary reads a results file: give it without a plan");
      const { lines, torn } = readResultsOrFail(resolve(flags.summary));
      if (torn)
        process.stderr.write(`${flags.summary}: its last line is incomplete (an interrupted sweep): left out\n`);
      records = [...lines.values()].map((l) => JSON.parse(l) as TrialRecord);
      if (records.length === 0) throw new UsageError(`invalid --summary '${flags.summary}': holds no trials`);
    } else {
      if (!planPath) throw new UsageError("missing plan: simdgan sweep plan.json (or --summary results.jsonl)");
      records = await runPlan(planPath, flags);
    }
    const configs = configurations(records);
    process.stdout.write(summaryTable(configs) + "\n");
    if (flags.plot) await plotSweep(flags.plot, flags.metric ?? "kl", configs);
  });
}

function readResultsOrFail(path: string): ReturnType<typeof readResults> {
  try {
    return readResults(path);
  } catch (e) {
    if (e instanceof OptionError) throw new UsageError(e.message);
    throw e;
  }
}

async function runPlan(planPath: string, flags: SweepFlags): Promise<TrialRecord[]> {
  if (flags.queue && flags.workers)
    throw new UsageError("--workers sizes a local sweep; with --queue, start `simdgan worker` processes instead");
  const plan = await readPlan(planPath);
  const out = resolve(flags.out ?? defaultOut(planPath));
  const tty = process.stderr.isTTY;
  let progress: SweepProgress | null = null;
  const started = performance.now();
  try {
    const result = await sweep(plan, {
      out,
      ...(flags.workers ? { workers: flags.workers } : {}),
      ...(flags.queue ? { queue: flags.queue } : {}),
      onStart: ({ total, resumed }) => {
        if (resumed) process.stderr.write(`resuming: ${resumed} of ${total} trials already in ${out}\n`);
        if (tty) progress = new SweepProgress(process.stderr, total, resumed);
        progress?.update(resumed);
      },
      onTrial: ({ done }) => progress?.update(done),
    });
    (progress as SweepProgress | null)?.clear();
    const ran = result.trials.length - result.resumed;
    process.stderr.write(
      `${ran} trial${ran === 1 ? "" : "s"} run in ${((performance.now() - started) / 1000).toFixed(1)} s` +
        `${result.resumed ? `, ${result.resumed} resumed from the file` : ""}: ${out}\n`,
    );
    return result.records;
  } catch (e) {
    (progress as SweepProgress | null)?.clear();
    if (e instanceof ResultsError) throw new UsageError(`invalid --out: ${e.message.replace(/^invalid /, "")}`);
    if (e instanceof OptionError && e.option !== "--queue")
      throw new UsageError(`invalid plan ${planPath}: ${e.option} = ${JSON.stringify(e.value)}: ${e.allowed}`);
    throw e;
  }
}
