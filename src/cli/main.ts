#!/usr/bin/env node
// The `simdgan` command. Problems with the user's input end with one line on stderr and status 2; training
// that diverges, with status 3; a signal, with 130 (SIGINT) or 143 (SIGTERM); anything else is a bug, status 1.
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { CheckpointError, DivergenceError, OptionError } from "../index.js";
import "./signals.js";
import { registerResume, registerTrain } from "./train.js";
import { registerExport, registerSample } from "./sample.js";
import { registerClassifier } from "./classifier.js";
import { DataFileError } from "../data/arrays.js";
import { registerSweep } from "./sweep.js";
import { registerWorker } from "./worker.js";
import { UsageError } from "./usage.js";

const program = new Command("simdgan")
  .description(
    "Train small GANs with SIMD WebAssembly kernels. Defaults reproduce the reference workload:\n" +
      "G learns N(0,1) from 16 uniform noise values, BCE with labels 0.9/0.1, Adam, 1000 epochs of 3 batches.",
  )
  .version(version())
  .showHelpAfterError(false)
  // Errors are printed once, by fail() below, as a single line; help asked for by mistake still shows.
  .configureOutput({ outputError: () => undefined })
  .exitOverride();

registerTrain(program);
registerResume(program);
registerSample(program);
registerExport(program);
registerClassifier(program);
registerSweep(program);
registerWorker(program);
program.addHelpText(
  "after",
  "\nExamples:\n" +
    "  simdgan train\n" +
    "  simdgan train --epochs 300 --g-hidden 64,64 --save run.json\n" +
    "  simdgan resume run.json --epochs 200\n" +
    "  simdgan sample run.json -n 10000 -o fake.csv\n" +
    "  simdgan export run.json --tfjs model/\n" +
    "  simdgan classifier --data assets/mnist/images.idx.gz --labels assets/mnist/labels.idx.gz -o clf.json\n" +
    "  simdgan sweep plan.json --workers 2\n" +
    "  simdgan worker --queue redis://127.0.0.1:6379/0",
);
for (const cmd of program.commands) cmd.exitOverride();

// dist/src/cli/main.js -> package.json, both in the repository and in an installed package.
function version(): string {
  return (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string })
    .version;
}

function fail(message: string, status: number): never {
  // Commander adds "(Did you mean --seed?)" on a line of its own: keep it, on the same line.
  process.stderr.write(
    `simdgan: ${message
      .replace(/^error: /, "")
      .replace(/\s*\n\s*/g, " ")
      .trim()}\n`,
  );
  process.exit(status);
}

// `simdgan train | head` closes the pipe early: that is the reader's choice, not a failure to report.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  fail(`cannot write to stdout: ${e.code ?? e.message}`, 1);
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    if (e.exitCode === 0 || e.code === "commander.helpDisplayed" || e.code === "commander.version") process.exit(0);
    // No command given: commander has printed the help on stderr.
    if (e.code === "commander.help") process.exit(2);
    // An argParser's UsageError reaches here wrapped by commander's own message.
    const cause = (e as { cause?: unknown }).cause;
    fail(cause instanceof Error ? cause.message : e.message, 2);
  }
  if (e instanceof UsageError || e instanceof OptionError || e instanceof CheckpointError || e instanceof DataFileError)
    fail(e.message, 2);
  if (e instanceof DivergenceError) fail(`${e.message}; nothing was saved`, 3);
  // A sweep's trial that failed on every attempt: its reason, as the worker reported it.
  if ((e as Error).name === "TrialFailedError") fail((e as Error).message, 1);
  // A bug: one line for the user; SIMDGAN_DEBUG=1 prints the stack for the report.
  if (process.env.SIMDGAN_DEBUG) process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  fail(`internal error: ${e instanceof Error ? e.message : String(e)} (SIMDGAN_DEBUG=1 shows the stack)`, 1);
}
