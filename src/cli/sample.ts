// `simdgan sample` and `simdgan export`: use a trained generator outside training.
import type { Command } from "commander";
import { once } from "node:events";
import { extname, join } from "node:path";
import { deflateSync } from "node:zlib";
import { encodeIdx, encodeNpy, encodePng, type GAN, loadCheckpoint, toPixels, toTfjsLayersModel } from "../index.js";
import type { Image } from "../data/png.js";
import { imageGrid } from "../plot/grid.js";
import { checkDirDestination, checkFileDestination, readText, writeAtomic, writeDirAtomic } from "./files.js";
import { UsageError } from "./usage.js";

// More rows than any file a sampler should write (2^30); the output is streamed, so memory is not the bound.
const MAX_SAMPLES = 2 ** 30;
// Rows per piece of output text: the samples are written as they are drawn, never held as one string.
const ROWS_PER_PIECE = 65536;

const FORMATS = ["csv", "json", "npy", "idx", "png"] as const;
type Format = (typeof FORMATS)[number];

/** The samples as CSV or JSON text in pieces, each a whole number of rows; the same text as one piece. */
function* sampleText(gan: GAN, n: number, format: "csv" | "json", label?: number): IterableIterator<string> {
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
  for (const values of gan.generateChunks(n, label === undefined ? {} : { label })) {
    for (let i = 0; i < values.length; i += dim) {
      lines.push(format === "json" && dim > 1 ? `[${row(values, i)}]` : row(values, i));
      if (lines.length === ROWS_PER_PIECE) yield flush();
    }
  }
  if (lines.length) yield flush();
  if (format === "json") yield "]\n";
}

/**
 * A grid of generated images: a conditional GAN's has a row per class (`perRow` samples of each, or only
 * `label`'s), an unconditional one perRow x perRow samples.
 */
export function gridImage(gan: GAN, perRow: number, label?: number, count?: number): { image: Image; title: string } {
  const { sampleShape, pixelScale } = gan.options;
  if (sampleShape.length < 2)
    throw new UsageError(
      `--format png needs image samples; this generator's samples have shape [${sampleShape.join(", ")}]`,
    );
  let samples: Float32Array, n: number, title: string;
  if (gan.conditional && label === undefined) {
    const parts = gan.classValues.map((v) => gan.generate(perRow, { label: v }));
    n = perRow * parts.length;
    samples = new Float32Array(n * gan.options.dim);
    parts.forEach((p, i) => samples.set(p, i * p.length));
    title = `generated, a row per label (${gan.classValues.join(", ")})`;
  } else {
    n = count ?? perRow * perRow;
    samples = gan.generate(n, label === undefined ? {} : { label });
    title = label === undefined ? "generated" : `generated, label ${label}`;
  }
  return { image: imageGrid(samples, n, sampleShape, { columns: perRow, scale: pixelScale }), title };
}

interface SampleFlags {
  count: number;
  format?: Format;
  out?: string;
  label?: number;
  dtype: "float32" | "uint8";
  columns?: number;
}

// The binary formats: a PNG grid, or .npy / IDX of float32 samples or uint8 pixels.
function binaryOutput(gan: GAN, format: "npy" | "idx" | "png", opts: SampleFlags): Uint8Array {
  const { sampleShape, pixelScale } = gan.options;
  if (format === "png") {
    // Conditional without --label: --count images of each label, a row each.
    const perRow =
      gan.conditional && opts.label === undefined ? opts.count : (opts.columns ?? Math.min(10, opts.count));
    const { image } = gridImage(gan, perRow, opts.label, opts.count);
    return encodePng(image, (d) => new Uint8Array(deflateSync(d)));
  }
  const samples = gan.generate(opts.count, opts.label === undefined ? {} : { label: opts.label });
  const values = opts.dtype === "uint8" ? toPixels(samples, pixelScale) : samples;
  const shape = [opts.count, ...sampleShape];
  return format === "npy" ? encodeNpy(values, shape) : encodeIdx(values, shape);
}

export function registerSample(program: Command): void {
  program
    .command("sample <checkpoint>")
    .description("write generated samples from a checkpoint's generator (CSV, JSON, .npy, IDX or a PNG grid)")
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
    .option(
      "--format <kind>",
      `${FORMATS.join(", ")} (default: from the output file's extension, else csv); png: a grid of images`,
      (text: string) => {
        if (!(FORMATS as readonly string[]).includes(text))
          throw new UsageError(`invalid --format '${text}': must be one of ${FORMATS.join(", ")}`);
        return text;
      },
    )
    .option(
      "--label <value>",
      "a conditional generator's label to generate (default: every label in turn)",
      (text: string) => {
        const v = Number(text);
        if (text.trim() === "" || !Number.isInteger(v))
          throw new UsageError(`invalid --label '${text}': must be a whole number`);
        return v;
      },
    )
    .option(
      "--dtype <type>",
      "npy and idx: float32 (the samples) or uint8 (pixels, scaled back as the data was)",
      (text: string) => {
        if (text !== "float32" && text !== "uint8")
          throw new UsageError(`invalid --dtype '${text}': must be float32 or uint8`);
        return text;
      },
      "float32",
    )
    .option(
      "--columns <n>",
      "png: images per row of the grid (default: 10, or --count per label when conditional)",
      (text: string) => {
        const n = Number(text);
        if (!Number.isInteger(n) || n < 1)
          throw new UsageError(`invalid --columns '${text}': must be a whole number >= 1`);
        return n;
      },
    )
    .option("-o, --out <file>", "write to this file instead of stdout")
    .action(async (file: string, opts: SampleFlags) => {
      if (opts.out !== undefined) await checkFileDestination(opts.out, "--out");
      const gan = await loadCheckpoint(await readText(file, "checkpoint"));
      if (opts.label !== undefined && !gan.conditional)
        throw new UsageError(`invalid --label '${opts.label}': the checkpoint's generator is not conditional`);
      if (opts.label !== undefined && !gan.classValues.includes(opts.label))
        throw new UsageError(
          `invalid --label '${opts.label}': must be one of the labels ${gan.classValues.join(", ")}`,
        );
      const ext = opts.out ? extname(opts.out).toLowerCase().slice(1) : "";
      const format: Format = opts.format ?? ((FORMATS as readonly string[]).includes(ext) ? (ext as Format) : "csv");
      if (format === "npy" || format === "idx" || format === "png") {
        if (!opts.out) throw new UsageError(`--format ${format} needs -o <file>: the output is binary`);
        await writeAtomic(opts.out, binaryOutput(gan, format, opts));
        return;
      }
      const pieces = sampleText(gan, opts.count, format, opts.label);
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
