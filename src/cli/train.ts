// `simdgan train` and `simdgan resume`: build or restore a GAN, train it with reports on stdout, then save,
// summarise and plot.
import type { Command } from "commander";
import {
  checkpointText,
  createGAN,
  encodePng,
  ImageJudge,
  loadClassifier,
  parseCheckpoint,
  parseOption,
  fromCheckpoint,
  OptionError,
  type GAN,
  type GANOptions,
  type Report,
} from "../index.js";
import { addTrainFlags, asSettingsError, pathArg, threadsArg, trainOptions, type TrainSettings } from "./flags.js";
import { ALL_METRICS, columnMoments, Progress, reportLine, summaryText, type Summary } from "./report.js";
import { checkFileDestination, checkpointPath, readText, writeAtomic } from "./files.js";
import { SIGNAL_STATUS, stopGracefully, stopRequested } from "./signals.js";
import { UsageError } from "./usage.js";
import { deflateSync } from "node:zlib";
import { resolve } from "node:path";

interface Outputs {
  json?: boolean;
  save?: string;
  plot?: string;
  classifier?: string;
}

/** A classifier file for the images metric; its inputs must be the data's. */
async function judgeFor(gan: GAN, path: string): Promise<ImageJudge> {
  const { classifier, file } = await loadClassifier(await readText(path, "--classifier"));
  if (file.inputs !== gan.options.dim)
    throw new UsageError(
      `invalid --classifier '${path}': it takes samples of ${file.inputs} values, the data has ${gan.options.dim}`,
    );
  const rows = Math.min(gan.options.samples, 2000);
  return new ImageJudge(classifier, gan.realData().subarray(0, rows * gan.options.dim), rows);
}

// How long training may run before it lets a signal in, when a signal must stop it after the epoch.
const SIGNAL_LATENCY_MS = 20;
const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Trains up to `epochs` more epochs, printing reports; returns them with the epochs done and the wall
 * time. With `stoppable`, a SIGINT or SIGTERM ends training after the epoch it arrives in.
 */
async function trainWithReports(
  gan: GAN,
  epochs: number,
  json: boolean,
  stoppable: boolean,
): Promise<{ reports: Report[]; seconds: number; done: number }> {
  const images = gan.options.metrics.includes("images");
  const progress =
    !json && process.stderr.isTTY
      ? new Progress(process.stderr, epochs, undefined, gan.options.samples, images ? "score" : "KL")
      : null;
  const reports: Report[] = [];
  let seconds = 0,
    done = 0,
    lastKL: number | undefined = NaN,
    yielded = performance.now();
  // Training in chunks lets the bar move and a signal in; chunks continue the epoch count, so the run is the same.
  const chunk = stoppable
    ? 1
    : progress
      ? Math.max(1, Math.min(gan.options.logEvery, Math.ceil(epochs / 100)))
      : epochs;
  while (done < epochs) {
    if (stoppable && performance.now() - yielded >= SIGNAL_LATENCY_MS) {
      await turn();
      yielded = performance.now();
    }
    if (stopRequested()) break;
    const n = Math.min(chunk, epochs - done);
    const result = gan.train({
      epochs: n,
      onReport: (r) => {
        reports.push(r);
        lastKL = images ? r.classifierScore : r.kl;
        progress?.clear();
        process.stdout.write((json ? JSON.stringify(r) : reportLine(r)) + "\n");
      },
    });
    seconds += result.seconds;
    done += n;
    progress?.update(done, lastKL ?? NaN);
  }
  progress?.clear();
  return { reports, seconds, done };
}

async function finish(
  gan: GAN,
  out: Outputs,
  reports: Report[],
  seconds: number,
  epochs: number,
  savePath: string | null,
): Promise<void> {
  // Save first: measuring the result below draws noise, and the checkpoint must hold the state training left.
  if (savePath) await writeAtomic(savePath, checkpointText(gan));
  const signal = stopRequested();
  if (signal) {
    const saved = savePath ? `; checkpoint of epoch ${gan.epoch} saved to ${savePath}` : "";
    process.stderr.write(`simdgan: interrupted by ${signal} after ${epochs} epochs${saved}\n`);
    process.exit(SIGNAL_STATUS[signal]);
  }
  const { dim, evalSamples } = gan.options;
  const real = gan.realData(),
    fake = gan.generate(evalSamples);
  const final = gan.report();
  // Many-dimensional samples (images) are summarised over all their values at once.
  const wide = dim > 16;
  const summary: Summary = {
    epochs,
    seconds,
    epochsPerSecond: seconds > 0 ? epochs / seconds : Infinity,
    ...(final.kl === undefined ? {} : { finalKL: final.kl }),
    real: columnMoments(real, wide ? 1 : dim),
    generated: columnMoments(fake, wide ? 1 : dim),
  };
  if (out.json) process.stdout.write(JSON.stringify({ summary: { ...summary, final, checkpoint: savePath } }) + "\n");
  else {
    const images = final.classifierScore === undefined ? undefined : (final as Required<Report>);
    process.stdout.write(summaryText(summary, images) + "\n");
    if (savePath) process.stdout.write(`checkpoint saved to ${savePath}\n`);
    if (dim === 1 && process.stdout.isTTY) {
      const { terminalHistogram } = await import("../plot/terminal.js");
      process.stdout.write(terminalHistogram(real, fake, { color: true }) + "\n");
    }
  }
  if (out.plot) await plot(gan, out.plot, reports, real, fake);
}

async function plot(gan: GAN, path: string, reports: Report[], real: Float32Array, fake: Float32Array): Promise<void> {
  // Loaded only when asked for: the charting stack would otherwise slow every start.
  const [{ renderSVG, svgToPNG, plotFormat }, { trainingPlotSpec }] = await Promise.all([
    import("../plot/render.js"),
    import("../plot/spec.js"),
  ]);
  const format = plotFormat(path);
  const dim = gan.options.dim;
  if (gan.options.sampleShape.length >= 2) {
    const svg = await renderSVG(
      trainingPlotSpec({ dim: 1, real, fake, reports, grid: await sampleGrid(gan), title: "simdgan" }),
    );
    await writeAtomic(path, format === "svg" ? svg : svgToPNG(svg));
    process.stderr.write(`plot written to ${path}\n`);
    return;
  }
  let dCurve: { x: Float32Array; d: Float32Array } | undefined;
  if (dim === 1) {
    let lo = Infinity,
      hi = -Infinity;
    for (const v of real) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const pad = 0.1 * (hi - lo || 1),
      x = Float32Array.from({ length: 200 }, (_, i) => lo - pad + ((hi - lo + 2 * pad) * i) / 199);
    dCurve = { x, d: gan.discriminate(x) };
  }
  const spec = trainingPlotSpec({
    dim: dim === 1 ? 1 : 2,
    real,
    fake,
    reports,
    ...(dCurve ? { dCurve } : {}),
    title: "simdgan",
  });
  const svg = await renderSVG(spec);
  await writeAtomic(path, format === "svg" ? svg : svgToPNG(svg));
  process.stderr.write(`plot written to ${path}\n`);
}

/** Checks --save (returning the checkpoint's path) and --plot before training: a bad path costs no training. */
async function checkOutputs(opts: Outputs, save: string | undefined): Promise<string | null> {
  const savePath = save === undefined ? null : await checkpointPath(save);
  if (savePath) await checkFileDestination(savePath, "--save", save);
  if (opts.plot !== undefined) {
    const { plotFormat } = await import("../plot/render.js");
    try {
      plotFormat(opts.plot);
    } catch (e) {
      if (e instanceof OptionError) throw new UsageError(`invalid --plot '${opts.plot}': ${e.allowed}`);
      throw e;
    }
    await checkFileDestination(opts.plot, "--plot");
  }
  return savePath;
}

/** A grid of generated images as a PNG data URL: a row per class when conditional (8 each), else 8 x 8. */
async function sampleGrid(gan: GAN): Promise<{ url: string; width: number; height: number; title: string }> {
  const { gridImage } = await import("./sample.js");
  const { image, title } = gridImage(gan, 8);
  const png = encodePng(image, (d) => new Uint8Array(deflateSync(d)));
  const zoom = Math.max(1, Math.floor(360 / image.width));
  return {
    url: `data:image/png;base64,${Buffer.from(png).toString("base64")}`,
    width: image.width * zoom,
    height: image.height * zoom,
    title,
  };
}

function outputFlags(cmd: Command): Command {
  return cmd
    .option("--json", "print one JSON object per report, then a summary object")
    .option(
      "--save <path>",
      "write a checkpoint (a .json file, or a directory for checkpoint.json) when training ends",
      pathArg("--save"),
    )
    .option(
      "--plot <file>",
      "draw histograms, D(x) (images: a grid of samples) and the loss and metric curves to an .svg or .png file",
      pathArg("--plot"),
    )
    .option(
      "--classifier <file>",
      "score generated images with this classifier (from simdgan classifier): adds the images metric",
      pathArg("--classifier"),
    );
}

export function registerTrain(program: Command): void {
  const cmd = program
    .command("train")
    .description("train a GAN; every option defaults to the reference workload (N(0,1), 1000 epochs)");
  addTrainFlags(cmd);
  outputFlags(cmd);
  cmd.option("--record", "print only the trial record a sweep writes for these options (one JSON line)");
  cmd.action(async (opts: Outputs & { record?: boolean }) => {
    const { options, settings } = await trainOptions(cmd, { allMetrics: !!opts.json });
    if (opts.classifier && !(options.metrics ?? ["kl"]).includes("images"))
      options.metrics = [...(options.metrics ?? ["kl"]), "images"];
    if (opts.record) return printRecord(options, settings, opts);
    const savePath = await checkOutputs(opts, opts.save);
    const gan = await createGAN(options).catch((e: unknown) => {
      throw asSettingsError(e, settings);
    });
    if (opts.classifier) gan.setJudge(await judgeFor(gan, resolve(opts.classifier)));
    if (savePath) stopGracefully();
    const { reports, seconds, done } = await trainWithReports(gan, gan.options.epochs, !!opts.json, !!savePath);
    await finish(gan, opts, reports, seconds, done, savePath);
    gan.dispose();
  });
}

// A sweep's trial run alone: the same record, byte for byte, as the sweep's line for the same options.
async function printRecord(options: GANOptions, settings: TrainSettings, opts: Outputs): Promise<void> {
  const other = (["json", "save", "plot"] as const).find((k) => opts[k] !== undefined);
  if (other) throw new UsageError(`--record prints the trial record alone: it does not take --${other}`);
  const { recordLine, runTrial } = await import("../sweep/trial.js");
  const record = await runTrial(options).catch((e: unknown) => {
    throw asSettingsError(e, settings);
  });
  process.stdout.write(recordLine(record) + "\n");
}

export function registerResume(program: Command): void {
  const cmd = program
    .command("resume <checkpoint>")
    .description("continue training from a checkpoint; a run split by save/resume equals the run uninterrupted")
    .requiredOption("--epochs <n>", "epochs to train further", (text: string) => {
      try {
        return parseOption("epochs", text, "--epochs") as number;
      } catch (e) {
        throw e instanceof OptionError ? new UsageError(`invalid --epochs '${text}': ${e.allowed}`) : e;
      }
    });
  cmd.option("--threads <n|auto>", "threads running the kernels (same results at any count) (default: 1)", threadsArg);
  outputFlags(cmd);
  cmd.addHelpText("after", "\nThe checkpoint is updated in place unless --save names another path.");
  cmd.action(async (file: string, opts: Outputs & { epochs: number; threads?: number | "auto" }) => {
    const c = parseCheckpoint(await readText(file, "checkpoint"));
    if (opts.json) c.options.metrics = (c.options.sampleShape?.length ?? 0) >= 2 ? ["images"] : ALL_METRICS;
    if (opts.classifier && !(c.options.metrics ?? ["kl"]).includes("images"))
      c.options.metrics = [...(c.options.metrics ?? ["kl"]), "images"];
    if (opts.threads !== undefined) c.options.threads = opts.threads;
    const savePath = (await checkOutputs(opts, opts.save ?? file))!;
    const gan = await fromCheckpoint(c);
    if (opts.classifier) gan.setJudge(await judgeFor(gan, resolve(opts.classifier)));
    stopGracefully();
    const { reports, seconds, done } = await trainWithReports(gan, opts.epochs, !!opts.json, true);
    await finish(gan, opts, reports, seconds, done, savePath);
    gan.dispose();
  });
}
