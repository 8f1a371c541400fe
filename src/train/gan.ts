import { createEngine, type Engine, type WasmSource } from "../wasm/load.js";
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
import { asMemoryError, checkMemory } from "./plan.js";

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

/** Creates a GAN with its own wasm instance; every option defaults to the seed workload. */
export async function createGAN(options: GANOptions = {}, wasm?: WasmSource): Promise<GAN> {
  return buildGAN(resolveOptions(options), wasm);
}

/** A GAN of options already resolved (a checkpoint's); a configuration that cannot fit is an OptionError. */
export async function buildGAN(resolved: ResolvedOptions, wasm?: WasmSource): Promise<GAN> {
  const engine = await createEngine(wasm);
  try {
    return new GAN(engine, resolved);
  } catch (e) {
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

// The seed's training procedure over buffers laid out once in linear memory. A step copies the real
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

  private readonly real: number; // [samples, dim]
  private readonly bounds: Int32Array;
  private readonly meters: KLMeter[];
  private readonly shuffler: RowShuffler | null;
  private readonly objective: Objective;
  private capacity = 0;
  private dInput = 0; // [2 * capacity, dim]: real rows, then fake rows
  private noiseBuf = 0; // [max(capacity, evalSamples), noiseDim]
  private readonly sums: number; // one float: the divergence check's sum of a model's weights

  constructor(
    readonly engine: Engine,
    readonly options: ResolvedOptions,
  ) {
    const o = options;
    checkMemory(o, engine.arena.used);
    this.rng = new Rng(engine, o.seed, Stream.model);
    // Keras builds D first, then G; so do we, so the initial weights follow the same draw order.
    this.discriminator = new Discriminator(engine, { dim: o.dim, hidden: o.dHidden, activation: o.dActivation });
    this.generator = new Generator(engine, {
      noiseDim: o.noiseDim,
      hidden: o.gHidden,
      activation: o.gActivation,
      dim: o.dim,
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
    this.real = engine.arena.alloc(o.samples * o.dim);
    if (o.data) engine.arena.write(this.real, o.data);
    else sampleTarget(o.target, engine, this.dataRng, this.real, o.samples);
    this.bounds = o.batchSize ? batchBounds(o.samples, o.batchSize) : splitBatches(o.samples, o.batches);
    this.shuffler = o.shuffle ? new RowShuffler(engine, this.dataRng, o.samples) : null;
    this.reserve(largestBatch(this.bounds));
    this.sums = engine.arena.alloc(4);
    const real = this.realData();
    const overflow = real.findIndex((v) => !Number.isFinite(v));
    if (overflow >= 0)
      throw new OptionError(
        "target",
        formatTarget(o.target),
        `sample ${overflow} is ${real[overflow]}: beyond float32`,
      );
    this.meters = Array.from({ length: o.dim }, (_, d) => new KLMeter({ values: real, start: d, stride: o.dim }));
    this.objective = objective(engine.kernels, o.loss, o.realLabel, o.fakeLabel);
  }

  /** A copy of the real data, [samples, dim]. */
  realData(): Float32Array {
    return this.engine.arena.read(this.real, this.options.samples * this.options.dim);
  }

  /** One step of the reference workload (generate, update D, update G) on a real batch [m, dim] and optional noise. */
  trainStep(batch: { real: ArrayLike<number>; noise?: ArrayLike<number> }): StepLosses {
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
    this.engine.arena.write(this.dInput, batch.real);
    if (batch.noise) this.engine.arena.write(this.noiseBuf, batch.noise);
    this.step(m, !batch.noise, true);
    return { dLoss: this.dLoss, gLoss: this.gLoss };
  }

  /** The seed's epoch loop; reports every logEvery epochs. Continues from the current epoch. */
  train(options: TrainOptions = {}): TrainResult {
    const epochs = options.epochs ?? this.options.epochs;
    if (!Number.isInteger(epochs) || epochs < 0) throw new OptionError("epochs", epochs, "must be a whole number >= 0");
    const started = performance.now();
    const reports: Report[] = [];
    const { dim, logEvery } = this.options,
      b = this.bounds,
      f32 = () => this.engine.arena.f32;
    for (let e = 0; e < epochs; e++) {
      const reporting = this.epoch % logEvery === 0;
      this.shuffler?.shuffle(this.real, this.options.samples, dim);
      for (let i = 0; i < b.length; i += 2) {
        const from = b[i]!,
          m = b[i + 1]! - from,
          src = (this.real >> 2) + from * dim;
        f32().copyWithin(this.dInput >> 2, src, src + m * dim);
        // Only the last batch's losses are ever read: of a reported epoch, or of the last one.
        this.step(m, true, i === b.length - 2 && (reporting || e === epochs - 1));
      }
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

  /** The current epoch's report: last losses and metrics of evalSamples fresh fakes against the real data. */
  report(): Report {
    const { evalSamples: n, dim, metrics } = this.options;
    const out = this.fakes(n),
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
    const e = evaluate(this.realData(), fake, o.dim, modes);
    const avg = (key: "js" | "w1" | "ks") => e.marginals.reduce((s, m) => s + m[key], 0) / e.marginals.length;
    if (want.has("js")) report.js = avg("js");
    if (want.has("w1")) report.w1 = avg("w1");
    if (want.has("ks")) report.ks = avg("ks");
    if (want.has("moments")) Object.assign(report, e.marginals[0]!.fake);
    if (e.modes) {
      report.modesCaptured = e.modes.modesCaptured;
      report.highQualityShare = e.modes.highQualityShare;
    }
  }

  /** n generated samples, [n, dim]. */
  generate(n: number): Float32Array {
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
    for (const rows of this.generateChunks(n)) {
      result.set(rows, at);
      at += rows.length;
    }
    return result;
  }

  /**
   * n generated samples as consecutive chunks of whole rows (copies), drawn lazily: the same values as
   * generate(n), for callers that stream them out instead of holding them all.
   */
  *generateChunks(n: number): IterableIterator<Float32Array> {
    if (!Number.isInteger(n) || n < 0) throw new OptionError("n", n, "must be a whole number >= 0");
    const dim = this.options.dim,
      chunk = Math.max(this.capacity, this.options.evalSamples);
    for (let done = 0; done < n; done += chunk) {
      const rows = Math.min(chunk, n - done);
      yield this.engine.arena.read(this.fakes(rows), rows * dim);
    }
  }

  /** D(x) for samples x [rows, dim]: the probability that each is real (LSGAN: D's raw score). */
  discriminate(x: ArrayLike<number>): Float32Array {
    const dim = this.options.dim,
      rows = x.length / dim;
    if (!Number.isInteger(rows)) throw new OptionError("x", `${x.length} values`, `must hold whole rows of ${dim}`);
    if (x.length > MAX_VALUES) throw new OptionError("x", `${x.length} values`, `at most ${MAX_VALUES} per call`);
    checkValues("x", x);
    // In chunks of the rows D's buffers already hold: scoring never lays out more memory.
    const out = new Float32Array(rows),
      chunk = 2 * this.capacity,
      arena = this.engine.arena;
    for (let from = 0; from < rows; from += chunk) {
      const n = Math.min(chunk, rows - from);
      arena.write(this.dInput, sliceOf(x, from * dim, (from + n) * dim));
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
      G = this.generator,
      D = this.discriminator,
      loss = this.objective;
    const d = o.dim,
      skip = wantLoss ? 0 : 1,
      dOut = D.output.dz;
    let fake = 0,
      dLoss = 0;
    for (let s = 0; s < o.dSteps; s++) {
      if (drawNoise || s > 0) this.drawNoise(m * o.noiseDim);
      fake = G.forward(this.noiseBuf, m);
      const at = (this.dInput >> 2) + m * d;
      this.engine.arena.f32.copyWithin(at, fake >> 2, (fake >> 2) + m * d);

      // D step on concat(real, fake), targets realLabel then fakeLabel.
      dLoss = loss.discriminator(dOut, D.forward(this.dInput, 2 * m), 2 * m, m, skip);
      D.backward(this.dInput, 2 * m, dOut, true, false);
      this.dOptimizer.step();
      this.checkFinite(D, "discriminator");
    }

    // G step through the updated, frozen D: D's gradients stop at its input.
    const gLoss = loss.generator(dOut, D.forward(fake, m), m, skip);
    D.backward(fake, m, dOut, false, true);
    G.backward(this.noiseBuf, m, D.inputGrad, true, false);
    this.gOptimizer.step();
    this.checkFinite(G, "generator");
    if (wantLoss) {
      this.dLoss = dLoss;
      this.gLoss = gLoss;
      if (!Number.isFinite(dLoss)) throw new DivergenceError(this.epoch, "the discriminator loss");
      if (!Number.isFinite(gLoss)) throw new DivergenceError(this.epoch, "the generator loss");
    }
  }

  // After each update: one wasm sum over the model's weights is non-finite when any weight is (a
  // non-finite gradient or loss reaches the weights through the update). Allocates nothing.
  private checkFinite(model: MLP, name: string): void {
    const k = this.engine.kernels;
    k.sum_rows(this.sums, model.params, model.size, 1, 0);
    if (Number.isFinite(this.engine.arena.f32[this.sums >> 2]!)) return;
    k.sum_rows(this.sums, model.grads, model.size, 1, 0);
    const grads = !Number.isFinite(this.engine.arena.f32[this.sums >> 2]!);
    throw new DivergenceError(this.epoch, `the ${name}'s ${grads ? "gradient" : "weights"}`);
  }

  private drawNoise(count: number): void {
    if (this.options.noise === "uniform") this.rng.uniform(this.noiseBuf, count, -1, 1);
    else this.rng.normal(this.noiseBuf, count, 0, 1);
  }

  // n fresh fakes in G's output buffer; n is at most max(capacity, evalSamples), the rows G's buffers hold.
  private fakes(n: number): number {
    this.drawNoise(n * this.options.noiseDim);
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
    this.dInput = arena.alloc(2 * m * o.dim);
    this.noiseBuf = arena.alloc(Math.max(rowsG * o.noiseDim, 2 * m));
    this.capacity = m;
  }
}

// Values [from, to) of an array or typed array, without copying a typed array.
function sliceOf(x: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  if (ArrayBuffer.isView(x)) return (x as unknown as Float32Array).subarray(from, to);
  return Array.prototype.slice.call(x, from, to) as number[];
}
