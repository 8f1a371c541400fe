import { AUTO_MIN_WORK, createEngine, type Engine, type WasmSource } from "../wasm/load.js";
import { Rng, Stream } from "../data/rng.js";
import { largestBatch, splitBatches } from "../data/batches.js";
import { batchBounds, RowShuffler } from "../data/shuffle.js";
import { formatTarget, sampleTarget, targetModes } from "../data/targets.js";
import { evaluate } from "../metrics/evaluate.js";
import { Generator } from "../model/generator.js";
import { Discriminator } from "../model/discriminator.js";
import { createOptimizer, type Optimizer } from "../optim/optimizer.js";
import { KLMeter } from "../metrics/kl.js";
import type { MLP } from "../model/mlp.js";
import { type GANOptions, OptionError, type ResolvedOptions, resolveOptions } from "../options/resolve.js";
import { DivergenceError } from "../errors.js";
import { objective, type Objective } from "../model/losses.js";
import { asMemoryError, checkMemory, largestCall } from "./plan.js";
import type { ImageJudge } from "../metrics/images.js";

export interface StepLosses {
  dLoss: number;
  gLoss: number;
}
/**
 * A report every `logEvery` epochs: the losses of the epoch's last batch and KL(real || fake) (the mean
 * over dimensions for multi-dimensional data), plus whatever other metrics the options ask for
 * (js, w1, ks averaged over dimensions; moments of the first dimension; mode coverage for known modes).
 */
export interface Report extends StepLosses {
  epoch: number;
  /** Present when the options' metrics include kl (the default). */
  kl?: number;
  js?: number;
  w1?: number;
  ks?: number;
  mean?: number;
  std?: number;
  skewness?: number;
  kurtosis?: number;
  modesCaptured?: number;
  highQualityShare?: number;
  /** With a judge (setJudge) and the images metric: the classifier's view of the fakes (metrics/images.ts). */
  classifierScore?: number;
  realScore?: number;
  frechet?: number;
  classesCovered?: number;
  classEntropy?: number;
  labelAccuracy?: number;
}
/** What stepD and stepG leave: the latest losses, the epoch count, and the report of an epoch they ended. */
export interface PartResult extends StepLosses {
  epoch: number;
  report?: Report;
}
export interface TrainOptions {
  epochs?: number;
  onReport?: (report: Report) => void;
}
export interface TrainResult {
  epochs: number;
  reports: Report[];
  seconds: number;
}

/**
 * Creates a GAN with its own wasm instance (and, with `threads`, its own thread pool); every option
 * defaults to the reference workload. A model whose buffers cannot fit a wasm32 memory is refused here.
 */
export async function createGAN(options: GANOptions = {}, wasm?: WasmSource): Promise<GAN> {
  return buildGAN(resolveOptions(options), wasm);
}

/** A GAN of options already resolved (a checkpoint's); a configuration that cannot fit is an OptionError. */
export async function buildGAN(resolved: ResolvedOptions, wasm?: WasmSource): Promise<GAN> {
  // The plan refuses a model that cannot fit before anything exists, and sizes a thread pool's memory.
  const plan = checkMemory(resolved);
  // "auto" with nothing big enough to split runs as one thread does, without a pool's threads or shared memory.
  const threads = resolved.threads === "auto" && largestCall(resolved) < AUTO_MIN_WORK ? 1 : resolved.threads;
  const engine = await createEngine(wasm, { threads, memoryBytes: plan.bytes });
  try {
    return new GAN(engine, resolved);
  } catch (e) {
    engine.dispose();
    throw asMemoryError(e, resolved);
  }
}

/** At most this many values per generate or discriminate call (4 GiB of float32); larger asks go in chunks. */
export const MAX_VALUES = 2 ** 30;

// A value the caller hands in must be a finite number: NaN would otherwise train silently.
function checkValues(name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new OptionError(`${name}[${i}]`, v, "must be a finite number");
  }
}

// The reference workload's training procedure over buffers laid out once in linear memory. A step copies the real
// batch and the generated batch into D's input, then calls kernels on offsets: nothing is allocated.
export class GAN {
  readonly generator: Generator;
  readonly discriminator: Discriminator;
  readonly gOptimizer: Optimizer;
  readonly dOptimizer: Optimizer;
  /** The model stream (initial weights, noise) and the data stream (real samples, shuffling). */
  readonly rng: Rng;
  readonly dataRng: Rng;
  /** Epochs trained so far; reports fall on epochs divisible by logEvery. */
  epoch = 0;
  /** Losses of the most recent step. */
  dLoss = NaN;
  gLoss = NaN;

  /** Label values of a conditional GAN's classes, increasing (class c is classValues[c]); [] otherwise. */
  readonly classValues: number[];
  private readonly classes: number; // 0 unless conditional
  private readonly width: number; // of a real row and of D's input: dim, then the one-hot label
  private readonly real: number; // [samples, width]
  private readonly bounds: Int32Array;
  private readonly meters: KLMeter[];
  private readonly shuffler: RowShuffler | null;
  private readonly objective: Objective;
  private readonly stepNoise: number; // [largest batch, noiseDim]: the noise of the last stepD
  private batch = 0; // the next mini-batch of the epoch, for stepD / stepG
  private dDone = 0; // D updates on it so far
  private midEpoch = false;
  private capacity = 0;
  private dInput = 0; // [2 * capacity, width]: real rows, then fake rows
  private noiseBuf = 0; // [max(capacity, evalSamples), noiseDim + classes]: G's input
  private noiseRaw = 0; // conditional: the drawn noise [rows, noiseDim] before the labels join it
  private gradOut = 0; // conditional: D's input gradient without its label columns [capacity, dim]
  private judge: ImageJudge | null = null;
  // Scratch: D's and G's mean loss (f64 at +8, +16), then the divergence check's flag, a float per thread.
  private readonly sums: number;
  private readonly flags: number;

  constructor(
    readonly engine: Engine,
    readonly options: ResolvedOptions,
  ) {
    const o = options;
    checkMemory(o, engine.arena.used, engine.arena.limit);
    this.rng = new Rng(engine, o.seed, Stream.model);
    this.classValues = o.labels ? [...new Set(o.labels)].sort((a, b) => a - b) : [];
    this.classes = this.classValues.length;
    this.width = o.dim + this.classes;
    const classes = this.classes;
    // Keras builds D first, then G; so do we, so the initial weights follow the same draw order.
    this.discriminator = new Discriminator(engine, {
      dim: o.dim,
      hidden: o.dHidden,
      activation: o.dActivation,
      classes,
    });
    this.generator = new Generator(engine, {
      noiseDim: o.noiseDim,
      hidden: o.gHidden,
      activation: o.gActivation,
      dim: o.dim,
      outputActivation: o.gOutputActivation,
      classes,
    });
    this.discriminator.initialize(this.rng);
    this.generator.initialize(this.rng);
    this.dOptimizer = createOptimizer(
      engine,
      o.dOptimizer,
      this.discriminator.params,
      this.discriminator.grads,
      this.discriminator.size,
    );
    this.gOptimizer = createOptimizer(
      engine,
      o.gOptimizer,
      this.generator.params,
      this.generator.grads,
      this.generator.size,
    );

    this.dataRng = new Rng(engine, o.seed, Stream.data);
    this.real = engine.arena.alloc(o.samples * this.width);
    if (o.labels && o.data) this.writeLabelled(o.data, o.labels);
    else if (o.data) engine.arena.write(this.real, o.data);
    else sampleTarget(o.target, engine, this.dataRng, this.real, o.samples);
    this.bounds = o.batchSize ? batchBounds(o.samples, o.batchSize) : splitBatches(o.samples, o.batches);
    this.shuffler = o.shuffle ? new RowShuffler(engine, this.dataRng, o.samples) : null;
    this.reserve(largestBatch(this.bounds));
    this.stepNoise = engine.arena.alloc(largestBatch(this.bounds) * o.noiseDim);
    this.sums = engine.arena.alloc(6 + engine.threads);
    this.flags = this.sums + 24;
    const real = this.realData();
    const overflow = real.findIndex((v) => !Number.isFinite(v));
    if (overflow >= 0)
      throw new OptionError(
        "target",
        formatTarget(o.target),
        `sample ${overflow} is ${real[overflow]}: beyond float32`,
      );
    this.meters = o.metrics.includes("kl")
      ? Array.from({ length: o.dim }, (_, d) => new KLMeter({ values: real, start: d, stride: o.dim }))
      : [];
    this.objective = objective(engine.kernels, o.loss, o.realLabel, o.fakeLabel);
  }

  /** Whether a one-hot label joins G's noise and D's input. */
  get conditional(): boolean {
    return this.classes > 0;
  }

  /** Threads running the kernels (the calling one included). */
  get threads(): number {
    return this.engine.threads;
  }

  /** Ends the thread pool's threads (a no-op on one thread); the GAN refuses to run afterwards. */
  dispose(): void {
    this.engine.dispose();
  }

  /** A copy of the real data, [samples, dim], in its current order. */
  realData(): Float32Array {
    const { samples, dim } = this.options;
    if (!this.conditional) return this.engine.arena.read(this.real, samples * dim);
    const out = new Float32Array(samples * dim),
      f32 = this.engine.arena.f32,
      w = this.width,
      at = this.real >> 2;
    for (let i = 0; i < samples; i++) out.set(f32.subarray(at + i * w, at + i * w + dim), i * dim);
    return out;
  }

  /** A conditional GAN's label values of the real rows in their current order; null otherwise. */
  realLabels(): number[] | null {
    if (!this.conditional) return null;
    const f32 = this.engine.arena.f32,
      { samples, dim } = this.options,
      w = this.width;
    return Array.from({ length: samples }, (_, i) => {
      const at = (this.real >> 2) + i * w + dim;
      let c = 0;
      while (c < this.classes - 1 && f32[at + c] !== 1) c++;
      return this.classValues[c]!;
    });
  }

  /** Scores reports' generated samples through a classifier (the images metric); null turns it off. */
  setJudge(judge: ImageJudge | null): void {
    this.judge = judge;
  }

  /** The class index of a label value, or an OptionError naming the values allowed. */
  classOf(label: number): number {
    const c = this.classValues.indexOf(label);
    if (c < 0) {
      const allowed = this.conditional
        ? `one of the labels ${this.classValues.join(", ")}`
        : "none: the GAN is not conditional";
      throw new OptionError("label", label, `must be ${allowed}`);
    }
    return c;
  }

  // Real rows followed by their one-hot labels, [samples, width].
  private writeLabelled(data: ArrayLike<number>, labels: readonly number[]): void {
    const f32 = this.engine.arena.f32,
      { dim } = this.options,
      w = this.width;
    for (let i = 0; i < labels.length; i++) {
      const at = (this.real >> 2) + i * w;
      for (let j = 0; j < dim; j++) f32[at + j] = data[i * dim + j]!;
      f32[at + dim + this.classOf(labels[i]!)] = 1;
    }
  }

  // Rows x [rows, dim] with the one-hot of their class c[i] (or class cls for all) at byte offset `to`.
  private writeRows(to: number, x: ArrayLike<number>, rows: number, cls: (i: number) => number): void {
    const f32 = this.engine.arena.f32,
      { dim } = this.options,
      w = this.width;
    f32.fill(0, to >> 2, (to >> 2) + rows * w);
    for (let i = 0; i < rows; i++) {
      const at = (to >> 2) + i * w;
      for (let j = 0; j < dim; j++) f32[at + j] = x[i * dim + j]!;
      f32[at + dim + cls(i)] = 1;
    }
  }

  /**
   * One step of the reference workload (generate, update D, update G) on a real batch [m, dim] and optional
   * noise; a conditional GAN also takes the batch's label values (its fakes are asked for the same labels).
   */
  trainStep(batch: { real: ArrayLike<number>; noise?: ArrayLike<number>; labels?: ArrayLike<number> }): StepLosses {
    const { dim, noiseDim } = this.options;
    const m = batch.real.length / dim;
    if (!Number.isInteger(m) || m < 1)
      throw new OptionError("real", `${batch.real.length} values`, `must hold a whole number (>= 1) of rows of ${dim}`);
    if (batch.noise && batch.noise.length !== m * noiseDim) {
      throw new OptionError(
        "noise",
        `${batch.noise.length} values`,
        `must hold ${m} rows of ${noiseDim} (${m * noiseDim} values)`,
      );
    }
    checkValues("real", batch.real);
    if (batch.noise) checkValues("noise", batch.noise);
    try {
      this.reserve(m);
    } catch (e) {
      if (e instanceof OptionError && e.option === "memory")
        throw new OptionError("real", `${m} rows`, `buffers for a batch that large do not fit: ${e.allowed}`);
      throw e;
    }
    if (this.conditional) {
      const labels = batch.labels;
      if (!labels || labels.length !== m)
        throw new OptionError("labels", labels?.length ?? "none", `a conditional step needs ${m} labels, one per row`);
      const classes = Array.from({ length: m }, (_, i) => this.classOf(labels[i]!));
      this.writeRows(this.dInput, batch.real, m, (i) => classes[i]!);
      if (batch.noise) this.engine.arena.write(this.noiseRaw, batch.noise);
    } else {
      this.engine.arena.write(this.dInput, batch.real);
      if (batch.noise) this.engine.arena.write(this.noiseBuf, batch.noise);
    }
    this.step(m, !batch.noise, true);
    return { dLoss: this.dLoss, gLoss: this.gLoss };
  }

  /**
   * The reference workload's epoch loop; reports every logEvery epochs. Continues from the current epoch: an epoch
   * that stepD / stepG began is finished first, and counts as one.
   */
  train(options: TrainOptions = {}): TrainResult {
    const epochs = options.epochs ?? this.options.epochs;
    if (!Number.isInteger(epochs) || epochs < 0) throw new OptionError("epochs", epochs, "must be a whole number >= 0");
    const started = performance.now();
    const reports: Report[] = [];
    const { logEvery } = this.options,
      w = this.width,
      b = this.bounds,
      f32 = () => this.engine.arena.f32;
    for (let e = 0; e < epochs; e++) {
      const reporting = this.epoch % logEvery === 0;
      let first = 0;
      if (this.midEpoch) {
        if (this.dDone > 0) this.finishIteration();
        first = 2 * this.batch;
      } else {
        this.shuffler?.shuffle(this.real, this.options.samples, w);
      }
      for (let i = first; i < b.length; i += 2) {
        const from = b[i]!,
          m = b[i + 1]! - from,
          src = (this.real >> 2) + from * w;
        f32().copyWithin(this.dInput >> 2, src, src + m * w);
        // Only the last batch's losses are ever read: of a reported epoch, or of the last one.
        this.step(m, true, i === b.length - 2 && (reporting || e === epochs - 1));
      }
      this.batch = 0;
      this.midEpoch = false;
      // The epoch counts as trained before the callback runs: a callback that throws leaves them consistent.
      const report = reporting ? this.report() : null;
      this.epoch++;
      if (report) {
        reports.push(report);
        options.onReport?.(report);
      }
    }
    return { epochs, reports, seconds: (performance.now() - started) / 1000 };
  }

  /** Whether stepD / stepG have begun an epoch that is not finished: checkpoints are taken between epochs. */
  get inEpoch(): boolean {
    return this.midEpoch;
  }

  /**
   * One discriminator update of the epoch's schedule, on the current mini-batch and fresh noise; G is
   * untouched. dSteps calls of stepD and one of stepG are exactly one iteration of train (same bits);
   * further calls of stepD before stepG are extra D updates on the same mini-batch.
   */
  stepD(): PartResult {
    const m = this.beginPart(),
      o = this.options;
    if (this.conditional) {
      this.conditionalD(m, true, 0);
      this.dLoss = this.engine.arena.f64[(this.sums >> 3) + 1]!;
      // The drawn noise, before the batch's labels join it: stepG joins them again.
      this.engine.arena.f32.copyWithin(this.stepNoise >> 2, this.noiseRaw >> 2, (this.noiseRaw >> 2) + m * o.noiseDim);
    } else {
      this.drawNoise(m * o.noiseDim);
      this.dUpdate(m, this.generator.forward(this.noiseBuf, m), 0);
      // Kept for the G update that ends the iteration, whatever runs in between (generate() draws noise).
      this.engine.arena.f32.copyWithin(this.stepNoise >> 2, this.noiseBuf >> 2, (this.noiseBuf >> 2) + m * o.noiseDim);
    }
    this.dDone++;
    return { dLoss: this.dLoss, gLoss: this.gLoss, epoch: this.epoch };
  }

  /**
   * The generator update that ends the current iteration, through the frozen D, on the noise of the last
   * stepD (fresh noise if there was none); D is untouched. Ending an epoch's last mini-batch ends the
   * epoch: `report` is set when one falls due, and `epoch` counts it.
   */
  stepG(): PartResult {
    this.endIteration(this.beginPart());
    this.batch++;
    if (this.batch < this.bounds.length / 2) return { dLoss: this.dLoss, gLoss: this.gLoss, epoch: this.epoch };
    this.batch = 0;
    this.midEpoch = false;
    const report = this.epoch % this.options.logEvery === 0 ? this.report() : undefined;
    this.epoch++;
    return { dLoss: this.dLoss, gLoss: this.gLoss, epoch: this.epoch, ...(report && { report }) };
  }

  /**
   * d loss_G / dx for each row of x [rows, dim]: the gradient of the generator's loss of a sample at x
   * through the current, frozen D, by D's own backward pass. A generated sample at x is pushed along
   * minus this. Changes no weight and no random stream.
   */
  inputGradient(x: ArrayLike<number>): Float32Array {
    const { dim } = this.options,
      rows = x.length / dim,
      D = this.discriminator;
    if (!Number.isInteger(rows)) throw new OptionError("x", `${x.length} values`, `must hold whole rows of ${dim}`);
    if (this.conditional)
      throw new OptionError("labels", "a conditional GAN", "inputGradient is for unconditional GANs");
    this.reserve(rows);
    this.engine.arena.write(this.dInput, x);
    const dOut = D.output.dz;
    this.objective.generator(dOut, D.forward(this.dInput, rows), rows, 1, this.sums + 16);
    D.backward(this.dInput, rows, dOut, false, true);
    // The kernel gives the gradient of the mean over rows; each row's own loss is rows times that.
    const grad = this.engine.arena.read(D.inputGrad, rows * dim);
    for (let i = 0; i < grad.length; i++) grad[i] = grad[i]! * rows;
    return grad;
  }

  // The real rows of the current mini-batch (with their labels) into D's input, shuffling first when an
  // epoch begins.
  private beginPart(): number {
    const w = this.width,
      b = this.bounds;
    if (!this.midEpoch) {
      this.shuffler?.shuffle(this.real, this.options.samples, w);
      this.midEpoch = true;
    }
    const from = b[2 * this.batch]!,
      m = b[2 * this.batch + 1]! - from,
      src = (this.real >> 2) + from * w;
    this.engine.arena.f32.copyWithin(this.dInput >> 2, src, src + m * w);
    return m;
  }

  // The G update that ends the iteration on the m rows at dInput, on the noise of the last stepD (fresh
  // noise if there was none): recomputing G(z) gives the bits step() reuses, since G has not moved.
  private endIteration(m: number): void {
    const z = this.options.noiseDim;
    if (this.conditional) {
      if (this.dDone === 0) this.drawRaw(m * z);
      else this.engine.arena.f32.copyWithin(this.noiseRaw >> 2, this.stepNoise >> 2, (this.stepNoise >> 2) + m * z);
      this.joinFakes(m, this.joinNoise(m));
      this.conditionalG(m, 0);
      this.keepLosses();
    } else {
      let noise = this.stepNoise;
      if (this.dDone === 0) {
        this.drawNoise(m * z);
        noise = this.noiseBuf;
      }
      this.gUpdate(m, this.generator.forward(noise, m), noise, 0);
    }
    this.dDone = 0;
  }

  // The rest of an iteration stepD began: its remaining D updates, then G's, as step() would do them.
  private finishIteration(): void {
    while (this.dDone < this.options.dSteps) this.stepD();
    this.endIteration(this.beginPart());
    this.batch++;
  }

  /** The current epoch's report: last losses and metrics of evalSamples fresh fakes against the real data. */
  report(): Report {
    const { evalSamples: n, dim, metrics } = this.options;
    const out = this.fakes(n, -1),
      f32 = this.engine.arena.f32;
    const report: Report = { epoch: this.epoch, dLoss: this.dLoss, gLoss: this.gLoss };
    if (metrics.includes("kl")) {
      let kl = 0;
      for (let d = 0; d < dim; d++)
        kl += this.meters[d]!.divergence({ values: f32, start: (out >> 2) + d, count: n, stride: dim });
      report.kl = kl / dim;
    }
    if (metrics.some((m) => m !== "kl")) this.addMetrics(report, this.engine.arena.read(out, n * dim));
    return report;
  }

  private addMetrics(report: Report, fake: Float32Array): void {
    const o = this.options,
      want = new Set(o.metrics);
    const modes = want.has("modes") && !o.data ? targetModes(o.target) : null;
    const marginal = ["js", "w1", "ks", "moments", "modes"].some((m) => want.has(m as never));
    const e = marginal ? evaluate(this.realData(), fake, o.dim, modes) : { marginals: [], modes: null };
    const avg = (key: "js" | "w1" | "ks") => e.marginals.reduce((s, m) => s + m[key], 0) / e.marginals.length;
    if (want.has("js")) report.js = avg("js");
    if (want.has("w1")) report.w1 = avg("w1");
    if (want.has("ks")) report.ks = avg("ks");
    if (want.has("moments")) Object.assign(report, e.marginals[0]!.fake);
    if (e.modes) {
      report.modesCaptured = e.modes.modesCaptured;
      report.highQualityShare = e.modes.highQualityShare;
    }
    if (want.has("images") && this.judge) {
      // The fakes of a conditional GAN cycle through the classes (row i asks for class i mod C); the judge
      // knows classes by their label values.
      const n = fake.length / o.dim,
        judged = this.classValues.map((v) => this.judge!.classifier.classes.indexOf(v));
      const requested = this.conditional
        ? Int32Array.from({ length: n }, (_, i) => judged[i % this.classes]!)
        : undefined;
      Object.assign(report, this.judge.measure(fake, n, requested));
    }
  }

  /**
   * n generated samples, [n, dim]. A conditional GAN generates `label` (a label value) for every row, or
   * without one cycles through the classes: row i gets class i mod C.
   */
  generate(n: number, options: { label?: number } = {}): Float32Array {
    const dim = this.options.dim;
    if (!Number.isInteger(n) || n < 0) throw new OptionError("n", n, "must be a whole number >= 0");
    if (n * dim > MAX_VALUES)
      throw new OptionError("n", n, `at most ${MAX_VALUES / dim} samples per call; generateChunks(n) streams more`);
    let result: Float32Array;
    try {
      result = new Float32Array(n * dim);
    } catch {
      throw new OptionError("n", n, `the host refused ${n * dim * 4} bytes for the result; generateChunks(n) streams`);
    }
    let at = 0;
    for (const rows of this.generateChunks(n, options)) {
      result.set(rows, at);
      at += rows.length;
    }
    return result;
  }

  /**
   * n generated samples as consecutive chunks of whole rows (copies), drawn lazily: the same values as
   * generate(n), for callers that stream them out instead of holding them all.
   */
  *generateChunks(n: number, options: { label?: number } = {}): IterableIterator<Float32Array> {
    if (!Number.isInteger(n) || n < 0) throw new OptionError("n", n, "must be a whole number >= 0");
    const cls = options.label === undefined ? -1 : this.classOf(options.label);
    const dim = this.options.dim,
      chunk = Math.max(this.capacity, this.options.evalSamples);
    for (let done = 0; done < n; done += chunk) {
      const rows = Math.min(chunk, n - done);
      yield this.engine.arena.read(this.fakes(rows, cls, done), rows * dim);
    }
  }

  /**
   * D(x) for samples x [rows, dim], a conditional D judging them as the given label: the probability that
   * each is real (LSGAN: D's raw score).
   */
  discriminate(x: ArrayLike<number>, options: { label?: number } = {}): Float32Array {
    const dim = this.options.dim,
      rows = x.length / dim;
    if (this.conditional && options.label === undefined)
      throw new OptionError("label", "none", `a conditional D needs one of the labels ${this.classValues.join(", ")}`);
    const cls = this.conditional ? this.classOf(options.label!) : -1;
    if (!Number.isInteger(rows)) throw new OptionError("x", `${x.length} values`, `must hold whole rows of ${dim}`);
    if (x.length > MAX_VALUES) throw new OptionError("x", `${x.length} values`, `at most ${MAX_VALUES} per call`);
    checkValues("x", x);
    // In chunks of the rows D's buffers already hold: scoring never lays out more memory.
    const out = new Float32Array(rows),
      chunk = 2 * this.capacity,
      arena = this.engine.arena;
    for (let from = 0; from < rows; from += chunk) {
      const n = Math.min(chunk, rows - from);
      if (cls >= 0) this.writeRows(this.dInput, sliceOf(x, from * dim, (from + n) * dim), n, () => cls);
      else arena.write(this.dInput, sliceOf(x, from * dim, (from + n) * dim));
      if (this.objective.logits) {
        this.discriminator.probabilities(this.dInput, n, this.noiseBuf);
        out.set(arena.read(this.noiseBuf, n), from);
      } else out.set(arena.read(this.discriminator.forward(this.dInput, n), n), from);
    }
    return out;
  }

  // Spec steps 1-3 on the m real rows already at dInput, with dSteps discriminator updates (fresh noise
  // for each after the first) before the generator's. G's activations from the last D step serve the G
  // step unchanged: G's weights do not move in between, so recomputing G(bz) would give the same bits.
  private step(m: number, drawNoise: boolean, wantLoss: boolean): void {
    const o = this.options,
      skip = wantLoss ? 0 : 1;
    if (this.conditional) return this.conditionalStep(m, drawNoise, wantLoss);
    let fake = 0;
    for (let s = 0; s < o.dSteps; s++) {
      if (drawNoise || s > 0) this.drawNoise(m * o.noiseDim);
      fake = this.generator.forward(this.noiseBuf, m);
      this.dUpdate(m, fake, skip);
    }
    this.gUpdate(m, fake, this.noiseBuf, skip);
  }

  // D step on concat(real, fake), targets realLabel then fakeLabel; the m real rows are at dInput.
  private dUpdate(m: number, fake: number, skip: 0 | 1): void {
    const d = this.options.dim,
      D = this.discriminator,
      dOut = D.output.dz;
    const at = (this.dInput >> 2) + m * d;
    this.engine.arena.f32.copyWithin(at, fake >> 2, (fake >> 2) + m * d);
    this.objective.discriminator(dOut, D.forward(this.dInput, 2 * m), 2 * m, m, skip, this.sums + 8);
    D.backward(this.dInput, 2 * m, dOut, true, false);
    this.dOptimizer.step();
    this.checkFinite(D, "discriminator");
    if (!skip) this.dLoss = this.engine.arena.f64[(this.sums >> 3) + 1]!;
  }

  // G step through the updated, frozen D: D's gradients stop at its input. fake = G(noise), just computed.
  private gUpdate(m: number, fake: number, noise: number, skip: 0 | 1): void {
    const D = this.discriminator,
      dOut = D.output.dz;
    this.objective.generator(dOut, D.forward(fake, m), m, skip, this.sums + 16);
    D.backward(fake, m, dOut, false, true);
    this.generator.backward(noise, m, D.inputGrad, true, false);
    this.gOptimizer.step();
    this.checkFinite(this.generator, "generator");
    if (!skip) this.keepLosses();
  }

  // The losses the kernels left in the scratch (of the last D step, and of the G step).
  private keepLosses(): void {
    const f64 = this.engine.arena.f64,
      dLoss = f64[(this.sums >> 3) + 1]!,
      gLoss = f64[(this.sums >> 3) + 2]!;
    this.dLoss = dLoss;
    this.gLoss = gLoss;
    if (!Number.isFinite(dLoss)) throw new DivergenceError(this.epoch, "the discriminator loss");
    if (!Number.isFinite(gLoss)) throw new DivergenceError(this.epoch, "the generator loss");
  }

  // The conditional step (Mirza & Osindero): the fakes are asked for the real batch's labels, so D sees
  // [x | y] for both halves and G's gradient is D's input gradient without its label columns. Copies
  // rows between buffers laid out once; the kernels are the unconditional step's.
  private conditionalStep(m: number, drawNoise: boolean, wantLoss: boolean): void {
    const skip = wantLoss ? 0 : 1;
    for (let s = 0; s < this.options.dSteps; s++) this.conditionalD(m, drawNoise || s > 0, skip);
    this.conditionalG(m, skip);
    if (wantLoss) this.keepLosses();
  }

  // G's input [m, noiseDim + classes]: the drawn noise joined by the labels of the m real rows at dInput.
  private joinNoise(m: number): number {
    const f32 = this.engine.arena.f32,
      d = this.options.dim,
      w = this.width,
      z = this.options.noiseDim,
      gw = z + this.classes,
      dIn = this.dInput >> 2,
      noise = this.noiseBuf >> 2,
      raw = this.noiseRaw >> 2;
    for (let i = 0; i < m; i++) {
      f32.copyWithin(noise + i * gw, raw + i * z, raw + (i + 1) * z);
      f32.copyWithin(noise + i * gw + z, dIn + i * w + d, dIn + i * w + w);
    }
    return this.generator.forward(this.noiseBuf, m);
  }

  // The fakes G made, each with its real row's label, after the m real rows in D's input.
  private joinFakes(m: number, fakeAt: number): void {
    const f32 = this.engine.arena.f32,
      d = this.options.dim,
      w = this.width,
      dIn = this.dInput >> 2,
      fake = fakeAt >> 2;
    for (let i = 0; i < m; i++) {
      f32.copyWithin(dIn + (m + i) * w, fake + i * d, fake + (i + 1) * d);
      f32.copyWithin(dIn + (m + i) * w + d, dIn + i * w + d, dIn + i * w + w);
    }
  }

  // One conditional D update on the m real rows at dInput and fakes of their labels (fresh noise if asked).
  private conditionalD(m: number, draw: boolean, skip: 0 | 1): void {
    const D = this.discriminator,
      dOut = D.output.dz;
    if (draw) this.drawRaw(m * this.options.noiseDim);
    this.joinFakes(m, this.joinNoise(m));
    this.objective.discriminator(dOut, D.forward(this.dInput, 2 * m), 2 * m, m, skip, this.sums + 8);
    D.backward(this.dInput, 2 * m, dOut, true, false);
    this.dOptimizer.step();
    this.checkFinite(D, "discriminator");
  }

  // The conditional G update through the frozen D, on the fakes (and G's activations) just computed.
  private conditionalG(m: number, skip: 0 | 1): void {
    const G = this.generator,
      D = this.discriminator,
      f32 = this.engine.arena.f32,
      d = this.options.dim,
      w = this.width,
      dOut = D.output.dz,
      fakeIn = this.dInput + m * w * 4;
    this.objective.generator(dOut, D.forward(fakeIn, m), m, skip, this.sums + 16);
    D.backward(fakeIn, m, dOut, false, true);
    const grad = D.inputGrad >> 2,
      out = this.gradOut >> 2;
    for (let i = 0; i < m; i++) f32.copyWithin(out + i * d, grad + i * w, grad + i * w + d);
    G.backward(this.noiseBuf, m, this.gradOut, true, false);
    this.gOptimizer.step();
    this.checkFinite(G, "generator");
  }

  // After each update: a non-finite gradient or loss reaches the weights through the update, so one check
  // of the weights' bits in wasm (finite_check) catches it. Allocates nothing: the flag is read as bits.
  private checkFinite(model: MLP, name: string): void {
    const k = this.engine.kernels;
    k.finite_check(this.flags, model.params, model.size);
    if (this.engine.arena.u32[this.flags >> 2] === 0) return;
    k.finite_check(this.flags, model.grads, model.size);
    const grads = this.engine.arena.u32[this.flags >> 2] !== 0;
    throw new DivergenceError(this.epoch, `the ${name}'s ${grads ? "gradient" : "weights"}`);
  }

  private drawNoise(count: number): void {
    if (this.options.noise === "uniform") this.rng.uniform(this.noiseBuf, count, -1, 1);
    else this.rng.normal(this.noiseBuf, count, 0, 1);
  }

  private drawRaw(count: number): void {
    if (this.options.noise === "uniform") this.rng.uniform(this.noiseRaw, count, -1, 1);
    else this.rng.normal(this.noiseRaw, count, 0, 1);
  }

  // n fresh fakes in G's output buffer; n is at most max(capacity, evalSamples), the rows G's buffers hold.
  // A conditional G is asked for class cls, or with cls < 0 for class (first + i) mod C in row i.
  private fakes(n: number, cls = -1, first = 0): number {
    if (!this.conditional) {
      this.drawNoise(n * this.options.noiseDim);
      return this.generator.forward(this.noiseBuf, n);
    }
    const z = this.options.noiseDim,
      C = this.classes,
      gw = z + C,
      f32 = this.engine.arena.f32,
      noise = this.noiseBuf >> 2,
      raw = this.noiseRaw >> 2;
    this.drawRaw(n * z);
    f32.fill(0, noise, noise + n * gw);
    for (let i = 0; i < n; i++) {
      f32.copyWithin(noise + i * gw, raw + i * z, raw + (i + 1) * z);
      f32[noise + i * gw + z + (cls >= 0 ? cls : (first + i) % C)] = 1;
    }
    return this.generator.forward(this.noiseBuf, n);
  }

  // Buffers for batches of m real rows: D sees 2m rows, G m rows (and evalSamples for reports).
  private reserve(m: number): void {
    if (m <= this.capacity) return;
    const o = this.options,
      rowsG = Math.max(m, o.evalSamples),
      arena = this.engine.arena;
    this.generator.reserve(rowsG);
    this.discriminator.reserve(2 * m);
    this.dInput = arena.alloc(2 * m * this.width);
    this.noiseBuf = arena.alloc(Math.max(rowsG * (o.noiseDim + this.classes), 2 * m));
    if (this.conditional) {
      this.noiseRaw = arena.alloc(rowsG * o.noiseDim);
      this.gradOut = arena.alloc(m * o.dim);
    }
    this.capacity = m;
  }
}

// Values [from, to) of an array or typed array, without copying a typed array.
function sliceOf(x: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  if (ArrayBuffer.isView(x)) return (x as unknown as Float32Array).subarray(from, to);
  return Array.prototype.slice.call(x, from, to) as number[];
}
