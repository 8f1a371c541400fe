// The reference workload written with the TensorFlow.js layers API the way the Keras note writes it: D and G
// as functional models, the GAN as D(G(z)) compiled while D is frozen, every step a G.predict and two
// trainOnBatch calls. It is the oracle of the parity tests and the contender of the benchmarks.
//
// Everything runs on the backend that is current when the models are built (the caller chooses it with
// tf.setBackend, or with useBackend below): the optimizers read their epsilon from it.
import * as tf from "@tensorflow/tfjs";
import { klDivergence } from "../../src/index.js";

/** Layer widths of the two networks; the reference workload's are REFERENCE_SHAPE. */
export interface TfjsShape {
  dim: number;
  noiseDim: number;
  gHidden: readonly number[];
  dHidden: readonly number[];
  /** Hidden activation of both networks: relu (the default) or leaky relu with its slope. */
  activation?: "relu" | { leakyRelu: number };
  /** G's output activation: linear (the default), or tanh for images in [-1, 1]. */
  gOutput?: "linear" | "tanh";
  /** A conditional GAN's classes: a one-hot label joined to G's noise and to D's input. */
  classes?: number;
}

export const REFERENCE_SHAPE: Readonly<TfjsShape> = { dim: 1, noiseDim: 16, gHidden: [32], dHidden: [32] };

/** The reference workload's hyper-parameters. */
export const REFERENCE_HYPER = { dLearningRate: 0.001, gLearningRate: 0.0005, realLabel: 0.9, fakeLabel: 0.1 } as const;
export type TfjsHyper = { [K in keyof typeof REFERENCE_HYPER]: number } & { beta1?: number };

/** Selects a tfjs backend ('cpu' or 'wasm'), registering the wasm one on first use. */
export async function useBackend(name: "cpu" | "wasm"): Promise<void> {
  if (name === "wasm") await import("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend '${name}' failed to initialise`);
  await tf.ready();
}

function mlp(
  inputs: number,
  hidden: readonly number[],
  outputs: number,
  outputActivation: "sigmoid" | "linear" | "tanh",
  activation: TfjsShape["activation"] = "relu",
): tf.LayersModel {
  const x = tf.input({ batchShape: [null, inputs] });
  let h = x;
  for (const units of hidden) {
    if (activation === "relu") h = tf.layers.dense({ units, activation: "relu" }).apply(h) as tf.SymbolicTensor;
    else {
      h = tf.layers.dense({ units }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.leakyReLU({ alpha: activation.leakyRelu }).apply(h) as tf.SymbolicTensor;
    }
  }
  const y = tf.layers.dense({ units: outputs, activation: outputActivation }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y });
}

/** D: x (++ one-hot) -> relu hidden -> sigmoid, compiled with BCE and its own Adam. */
export function buildDiscriminator(
  shape: TfjsShape = REFERENCE_SHAPE,
  learningRate: number = REFERENCE_HYPER.dLearningRate,
  beta1?: number,
): tf.LayersModel {
  const model = mlp(shape.dim + (shape.classes ?? 0), shape.dHidden, 1, "sigmoid", shape.activation);
  model.compile({ loss: "binaryCrossentropy", optimizer: tf.train.adam(learningRate, beta1) });
  return model;
}

/** G: z (++ one-hot) -> relu hidden -> linear sample; never compiled, trained only through the GAN model. */
export function buildGenerator(shape: TfjsShape = REFERENCE_SHAPE): tf.LayersModel {
  return mlp(
    shape.noiseDim + (shape.classes ?? 0),
    shape.gHidden,
    shape.dim,
    shape.gOutput ?? "linear",
    shape.activation,
  );
}

/**
 * The GAN model D(G(z)), whose Adam state covers G's weights only. tfjs fixes a model's trainable weights
 * when it compiles, but D.trainable = false also marks D's variables untrainable for D's own
 * trainOnBatch; so D is frozen just for the compile and thawed again afterwards.
 */
export function buildGAN(
  D: tf.LayersModel,
  G: tf.LayersModel,
  learningRate: number = REFERENCE_HYPER.gLearningRate,
  classes = 0,
  beta1?: number,
): tf.LayersModel {
  D.trainable = false;
  const z = tf.input({ batchShape: G.inputs[0]!.shape });
  let model: tf.LayersModel;
  if (classes === 0) model = tf.model({ inputs: z, outputs: D.apply(G.apply(z)) as tf.SymbolicTensor });
  else {
    // Conditional: z already holds the one-hot (G's input); D sees the sample joined to the same one-hot.
    const y = tf.input({ batchShape: [null, classes] });
    const x = tf.layers.concatenate().apply([G.apply(z) as tf.SymbolicTensor, y]) as tf.SymbolicTensor;
    model = tf.model({ inputs: [z, y], outputs: D.apply(x) as tf.SymbolicTensor });
  }
  model.compile({ loss: "binaryCrossentropy", optimizer: tf.train.adam(learningRate, beta1) });
  D.trainable = true;
  return model;
}

/** Sets a model's weights from arrays in Keras order (kernel [in, out] row-major, then bias, per layer),
 *  as simdgan's getWeights() returns them. */
export function setModelWeights(model: tf.LayersModel, arrays: readonly ArrayLike<number>[]): void {
  const shapes = model.getWeights().map((w) => w.shape);
  if (arrays.length !== shapes.length)
    throw new RangeError(`expected ${shapes.length} weight arrays, got ${arrays.length}`);
  const tensors = shapes.map((shape, i) => tf.tensor(Float32Array.from(arrays[i]!), shape, "float32"));
  model.setWeights(tensors);
  tf.dispose(tensors);
}

/** Copies of a model's weights in Keras order, comparable with simdgan's getWeights(). */
export function getModelWeights(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

export interface TfjsLosses {
  dLoss: number;
  gLoss: number;
}

/** The three models of the reference workload and its training step. */
export class TfjsGAN {
  readonly discriminator: tf.LayersModel;
  readonly generator: tf.LayersModel;
  readonly gan: tf.LayersModel;

  constructor(
    readonly shape: TfjsShape = REFERENCE_SHAPE,
    readonly hyper: TfjsHyper = REFERENCE_HYPER,
  ) {
    // Keras builds D, then G, then the GAN; kept in that order.
    const { beta1 } = hyper,
      classes = shape.classes ?? 0;
    this.discriminator = buildDiscriminator(shape, hyper.dLearningRate, beta1);
    this.generator = buildGenerator(shape);
    this.gan = buildGAN(this.discriminator, this.generator, hyper.gLearningRate, classes, beta1);
  }

  /**
   * One step (generate, update D, update G) on real rows [m, dim] and noise [m, noiseDim]; losses before
   * updates. A conditional GAN also takes the rows' one-hot labels [m, classes] (its fakes get the same).
   */
  async trainStep(real: Float32Array, noise: Float32Array, onehot?: Float32Array): Promise<TfjsLosses> {
    const { dim, noiseDim } = this.shape,
      classes = this.shape.classes ?? 0,
      m = real.length / dim;
    if (!Number.isInteger(m) || noise.length !== m * noiseDim || (onehot?.length ?? 0) !== m * classes)
      throw new RangeError(`real holds ${real.length} values, noise ${noise.length}, labels ${onehot?.length ?? 0}`);
    const { realLabel, fakeLabel } = this.hyper;
    const by = classes ? tf.tensor2d(onehot!, [m, classes]) : null;
    const join = (t: tf.Tensor) => (by ? tf.concat([t, by], 1) : t);
    const noiseT = tf.tensor2d(noise, [m, noiseDim]),
      bz = join(noiseT);
    const gz = this.generator.predict(bz, { batchSize: m }) as tf.Tensor;
    const bx = tf.tensor2d(real, [m, dim]);
    const realIn = join(bx),
      fakeIn = join(gz);
    const x = tf.concat([realIn, fakeIn]);
    const dTargets = tf.tensor2d(
      Float32Array.from({ length: 2 * m }, (_, i) => (i < m ? realLabel : fakeLabel)),
      [2 * m, 1],
    );
    const dLoss = (await this.discriminator.trainOnBatch(x, dTargets)) as number;
    const gTargets = tf.fill([m, 1], realLabel);
    const gLoss = (await this.gan.trainOnBatch(by ? [bz, by] : bz, gTargets)) as number;
    tf.dispose([noiseT, bz, gz, bx, realIn, fakeIn, x, dTargets, gTargets, ...(by ? [by] : [])]);
    return { dLoss, gLoss };
  }

  /** G(noise) for noise [n, noiseDim]: n samples [n, dim]. */
  generate(noise: Float32Array): Float32Array {
    const n = noise.length / this.shape.noiseDim;
    return tf.tidy(
      () =>
        (
          this.generator.predict(tf.tensor2d(noise, [n, this.shape.noiseDim]), { batchSize: n }) as tf.Tensor
        ).dataSync() as Float32Array,
    );
  }

  /** Sets G's and D's weights from simdgan-ordered arrays. */
  setWeights(weights: { generator: readonly ArrayLike<number>[]; discriminator: readonly ArrayLike<number>[] }): void {
    setModelWeights(this.generator, weights.generator);
    setModelWeights(this.discriminator, weights.discriminator);
  }

  dispose(): void {
    // The GAN model shares G's and D's layers; disposing G and D frees every variable.
    this.generator.dispose();
    this.discriminator.dispose();
  }
}

/**
 * The tfjs run's own seeded generator, standing in for numpy's global one: xorshift128 on 32-bit words,
 * seeded through splitmix32 so nearby seeds give unrelated streams.
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next() | 1; // never all zero
  }

  /** A uniform 32-bit word. */
  word(): number {
    const t = this.s0 ^ (this.s0 << 11);
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.s2 = this.s3;
    this.s3 = (this.s3 ^ (this.s3 >>> 19) ^ t ^ (t >>> 8)) >>> 0;
    return this.s3;
  }

  /** n values uniform in [lo, hi). */
  uniform(n: number, lo: number, hi: number): Float32Array {
    const out = new Float32Array(n),
      scale = (hi - lo) / 4294967296;
    for (let i = 0; i < n; i++) out[i] = lo + this.word() * scale;
    return out;
  }

  /** n values from N(mean, std) by Box-Muller; the 0.5 offset keeps log away from 0. */
  normal(n: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log((this.word() + 0.5) / 4294967296)),
        a = (2 * Math.PI * this.word()) / 4294967296;
      out[i] = mean + std * r * Math.cos(a);
      if (i + 1 < n) out[i + 1] = mean + std * r * Math.sin(a);
    }
    return out;
  }
}

/** A report of the reference workload's loop, the same fields as simdgan's. */
export interface TfjsReport {
  epoch: number;
  dLoss: number;
  gLoss: number;
  kl: number;
}

export interface TfjsReferenceOptions {
  /** Seeds the run's own generator: real data (when not given), initial weights (when not given), noise. */
  seed?: number;
  epochs?: number;
  samples?: number;
  batches?: number;
  logEvery?: number;
  shape?: TfjsShape;
  hyper?: TfjsHyper;
  /** Real data [samples, dim]; default: `samples` rows drawn from N(0, 1). */
  real?: Float32Array;
  /** Initial weights in simdgan's order; default: Glorot-uniform kernels and zero biases from the seed. */
  weights?: { generator: readonly ArrayLike<number>[]; discriminator: readonly ArrayLike<number>[] };
  onReport?: (report: TfjsReport) => void;
  /** Called after every training step (epoch counted from 0, batch index within it). */
  onStep?: (epoch: number, batch: number, losses: TfjsLosses) => void;
}

export interface TfjsReferenceResult {
  reports: TfjsReport[];
  /** Wall-clock seconds of the training loop (model building excluded). */
  seconds: number;
  /** 1000 samples of the trained generator (for moments), drawn after the last epoch. */
  samples: Float32Array;
  real: Float32Array;
}

/** Glorot-uniform kernels and zero biases, the Keras and tfjs Dense defaults, from our generator. */
export function glorotWeights(rng: SeededRandom, widths: readonly number[]): Float32Array[] {
  return widths.slice(1).flatMap((out, i) => {
    const inp = widths[i]!,
      limit = Math.sqrt(6 / (inp + out));
    return [rng.uniform(inp * out, -limit, limit), new Float32Array(out)];
  });
}

/** Mean over dimensions of the reference workload's KL(real || fake) of each marginal (the plain KL for dim 1). */
function marginalKL(real: Float32Array, fake: Float32Array, dim: number): number {
  let kl = 0;
  for (let d = 0; d < dim; d++)
    kl += klDivergence({ values: real, start: d, stride: dim }, { values: fake, start: d, stride: dim });
  return kl / dim;
}

/** The full reference workload on the current tfjs backend: its epochs, batches, reports and KL. */
export async function runTfjsReference(options: TfjsReferenceOptions = {}): Promise<TfjsReferenceResult> {
  const {
    seed = 1,
    epochs = 1000,
    samples = 1000,
    batches = 3,
    logEvery = 10,
    shape = REFERENCE_SHAPE,
    hyper = REFERENCE_HYPER,
  } = options;
  const { dim, noiseDim } = shape;
  const rng = new SeededRandom(seed);
  const real = options.real ?? rng.normal(samples * dim);
  const rows = real.length / dim;
  const model = new TfjsGAN(shape, hyper);
  model.setWeights(
    options.weights ?? {
      discriminator: glorotWeights(rng, [dim, ...shape.dHidden, 1]),
      generator: glorotWeights(rng, [noiseDim, ...shape.gHidden, dim]),
    },
  );
  const size = Math.floor(rows / batches);
  const reports: TfjsReport[] = [];
  let losses: TfjsLosses = { dLoss: NaN, gLoss: NaN };
  const started = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let b = 0; b < batches; b++) {
      const from = b * size,
        to = b === batches - 1 ? rows : from + size;
      losses = await model.trainStep(real.subarray(from * dim, to * dim), rng.uniform((to - from) * noiseDim, -1, 1));
      options.onStep?.(epoch, b, losses);
    }
    if (epoch % logEvery === 0) {
      const fake = model.generate(rng.uniform(rows * noiseDim, -1, 1));
      const report = { epoch, ...losses, kl: marginalKL(real, fake, dim) };
      reports.push(report);
      options.onReport?.(report);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const out = model.generate(rng.uniform(1000 * noiseDim, -1, 1));
  model.dispose();
  return { reports, seconds, samples: out, real };
}
