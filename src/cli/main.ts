#!/usr/bin/env node
// The `simdgan` command. Problems with the user's input end with one line on stderr and status 2;
// anything else is a bug and ends with status 1.
import { Command, CommanderError } from "commander";
import { CheckpointError, OptionError } from "../index.js";
import { registerResume, registerTrain } from "./train.js";
import { registerExport, registerSample } from "./sample.js";
import { UsageError } from "./usage.js";

const program = new Command("simdgan")
  .description("Train small GANs with SIMD WebAssembly kernels. Defaults reproduce the seed workload:\n" +
    "G learns N(0,1) from 16 uniform noise values, BCE with labels 0.9/0.1, Adam, 1000 epochs of 3 batches.")
  .version("0.1.0")
  .showHelpAfterError(false)
  // Errors are printed once, by fail() below, as a single line.
  .configureOutput({ writeErr: () => undefined })
  .exitOverride();

registerTrain(program);
registerResume(program);
registerSample(program);
registerExport(program);
program.addHelpText("after", "\nExamples:\n  simdgan train\n  simdgan train --epochs 300 --g-hidden 64,64 --save run.json\n" +
  "  simdgan resume run.json --epochs 200\n  simdgan sample run.json -n 10000 -o fake.csv\n  simdgan export run.json --tfjs model/");
for (const cmd of program.commands) cmd.exitOverride();

function fail(message: string, status: number): never {
  process.stderr.write(`simdgan: ${message.replace(/^error: /, "")}\n`);
  process.exit(status);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    if (e.exitCode === 0 || e.code === "commander.helpDisplayed" || e.code === "commander.version") process.exit(0);
    // An argParser's UsageError reaches here wrapped by commander's own message.
    const cause = (e as { cause?: unknown }).cause;
    fail(cause instanceof Error ? cause.message : e.message, 2);
  }
  if (e instanceof UsageError || e instanceof OptionError || e instanceof CheckpointError) fail(e.message, 2);
  fail(`internal error: ${(e as Error).stack ?? String(e)}`, 1);
}
