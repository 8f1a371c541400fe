// `simdgan sample` and `simdgan export`: use a trained generator outside training.
import type { Command } from "commander";
import { once } from "node:events";
import { extname, join } from "node:path";
import { type GAN, loadCheckpoint, toTfjsLayersModel } from "../index.js";
import { checkDirDestination, checkFileDestination, readText, writeAtomic, writeDirAtomic } from "./files.js";
import { UsageError } from "./usage.js";

// More rows than any file a sampler should write (2^30); the output is streamed, so memory is not the bound.
const MAX_SAMPLES = 2 ** 30;
// Rows per piece of output text: the samples are written as they are drawn, never held as one string.
const ROWS_PER_PIECE = 65536;

/** The samples as CSV or JSON text in pieces, each a whole number of rows; the same text as one piece. */
function* sampleText(gan: GAN, n: number, format: "csv" | "json"): IterableIterator<string> {
  const dim = gan.options.dim;
  // JSON has no NaN or Infinity: null there, as JSON.stringify writes them.
  const num = format === "json" ? (x: number) => (Number.isFinite(x) ? String(x) : "null") : String;
  const row = (v: Float32Array, i: number) =>
    dim === 1 ? num(v[i]!) : Array.from(v.subarray(i, i + dim), num).join(",");
  if (format === "csv") yield (dim === 1 ? "x" : Array.from({ length: dim }, (_, d) => `x${d + 1}`).join(",")) + "\n";
  else yield "[";
  let first = true,
    lines: string[] = [];
  const flush = () => {
    const text = format === "csv" ? lines.join("\n") + "\n" : (first ? "" : ",") + lines.join(",");
    first = false;
    lines = [];
    return text;
  };
  for (const values of gan.generateChunks(n)) {
    for (let i = 0; i < values.length; i += dim) {
      lines.push(format === "json" && dim > 1 ? `[${row(values, i)}]` : row(values, i));
      if (lines.length === ROWS_PER_PIECE) yield flush();
    }
  }
  if (lines.length) yield flush();
  if (format === "json") yield "]\n";
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
        if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLES)
          throw new UsageError(`invalid --count '${text}': must be a whole number in [1, ${MAX_SAMPLES}]`);
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
      if (opts.out !== undefined) await checkFileDestination(opts.out, "--out");
      const gan = await loadCheckpoint(await readText(file, "checkpoint"));
      const format = opts.format ?? (opts.out && extname(opts.out).toLowerCase() === ".json" ? "json" : "csv");
      const pieces = sampleText(gan, opts.count, format);
      if (opts.out) await writeAtomic(opts.out, pieces);
      else for (const piece of pieces) if (!process.stdout.write(piece)) await once(process.stdout, "drain");
    });
}

export function registerExport(program: Command): void {
  program
    .command("export <checkpoint>")
    .description(
      "export the generator as a TensorFlow.js LayersModel (model.json + weights.bin) for tf.loadLayersModel",
    )
    .requiredOption("--tfjs <dir>", "directory to write model.json and weights.bin into (new or empty)")
    .option("--force", "replace a directory that already holds files")
    .action(async (file: string, opts: { tfjs: string; force?: boolean }) => {
      await checkDirDestination(opts.tfjs, "--tfjs", !!opts.force);
      const gan = await loadCheckpoint(await readText(file, "checkpoint"));
      const art = toTfjsLayersModel(gan.generator, "generator");
      // Both files appear together or not at all.
      await writeDirAtomic(opts.tfjs, {
        [art.weightsFile]: art.weights,
        "model.json": JSON.stringify(art.modelJson, null, 1),
      });
      process.stdout.write(`wrote ${join(opts.tfjs, "model.json")} and ${join(opts.tfjs, art.weightsFile)}\n`);
    });
}
