// `simdgan sample` and `simdgan export`: use a trained generator outside training.
import type { Command } from "commander";
import { extname, join } from "node:path";
import { loadCheckpoint, toTfjsLayersModel } from "../index.js";
import { readText, writeAtomic } from "./files.js";
import { UsageError } from "./usage.js";

function toCsv(values: Float32Array, dim: number): string {
  const header = dim === 1 ? "x" : Array.from({ length: dim }, (_, d) => `x${d + 1}`).join(",");
  const lines = [header];
  for (let i = 0; i < values.length; i += dim) lines.push(Array.from(values.subarray(i, i + dim)).join(","));
  return lines.join("\n") + "\n";
}

function toJson(values: Float32Array, dim: number): string {
  const rows = [];
  for (let i = 0; i < values.length; i += dim)
    rows.push(dim === 1 ? values[i]! : Array.from(values.subarray(i, i + dim)));
  return JSON.stringify(rows) + "\n";
}

export function registerSample(program: Command): void {
  program
    .command("sample <checkpoint>")
    .description("write generated samples from a checkpoint's generator (CSV or JSON) to stdout or a file")
    .option(
      "-n, --count <n>",
      "how many samples",
      (text: string) => {
        const n = Number(text);
        if (!Number.isInteger(n) || n < 1)
          throw new UsageError(`invalid --count '${text}': must be a whole number >= 1`);
        return n;
      },
      1000,
    )
    .option("--format <kind>", "csv or json (default: from the output file's extension, else csv)", (text: string) => {
      if (text !== "csv" && text !== "json") throw new UsageError(`invalid --format '${text}': must be csv or json`);
      return text;
    })
    .option("-o, --out <file>", "write to this file instead of stdout")
    .action(async (file: string, opts: { count: number; format?: "csv" | "json"; out?: string }) => {
      const gan = await loadCheckpoint(await readText(file, "checkpoint"));
      const format = opts.format ?? (opts.out && extname(opts.out).toLowerCase() === ".json" ? "json" : "csv");
      const samples = gan.generate(opts.count),
        dim = gan.options.dim;
      const text = format === "json" ? toJson(samples, dim) : toCsv(samples, dim);
      if (opts.out) await writeAtomic(opts.out, text);
      else process.stdout.write(text);
    });
}

export function registerExport(program: Command): void {
  program
    .command("export <checkpoint>")
    .description(
      "export the generator as a TensorFlow.js LayersModel (model.json + weights.bin) for tf.loadLayersModel",
    )
    .requiredOption("--tfjs <dir>", "directory to write model.json and weights.bin into")
    .action(async (file: string, opts: { tfjs: string }) => {
      const gan = await loadCheckpoint(await readText(file, "checkpoint"));
      const art = toTfjsLayersModel(gan.generator, "generator");
      await writeAtomic(join(opts.tfjs, art.weightsFile), art.weights);
      await writeAtomic(join(opts.tfjs, "model.json"), JSON.stringify(art.modelJson, null, 1));
      process.stdout.write(`wrote ${join(opts.tfjs, "model.json")} and ${join(opts.tfjs, art.weightsFile)}\n`);
    });
}
