// A small MLP classifier with softmax cross-entropy, trained with simdgan's own kernels (products, relu,
// the fused softmax_ce, Adam): the judge behind the image metrics, since no pretrained network is at hand.
// Its classes are the label values it was trained on; inputs are samples as the GAN sees them.
import { createEngine, type Engine, type WasmSource } from "../wasm/load.js";
import { Rng, Stream } from "../data/rng.js";
import { RowShuffler } from "../data/shuffle.js";
import { Adam } from "../optim/adam.js";
import { OptionError } from "../errors.js";
import { MLP } from "./mlp.js";

export interface ClassifierSpec {
  inputs: number;
  /** The label value of each class, increasing (class c is values[c]). */
  classes: readonly number[];
  /** Hidden relu layers; the last one's activations are the features of the Frechet distance. */
  hidden?: readonly number[];
  seed?: number;
  learningRate?: number;
}

export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  /** After each epoch: its number (from 1) and the mean training loss over its batches. */
  onEpoch?: (epoch: number, loss: number) => void;
}

const CHUNK = 500; // rows per inference pass

export async function createClassifier(spec: ClassifierSpec, wasm?: WasmSource): Promise<Classifier> {
  return new Classifier(await createEngine(wasm), spec);
}

export class Classifier {
  readonly mlp: MLP;
  readonly optimizer: Adam;
  readonly spec: Required<ClassifierSpec>;
  private readonly dataRng: Rng;
  private x = 0; // [capacity, inputs]
  private labels = 0; // i32 [capacity]
  private capacity = 0;

  constructor(
    readonly engine: Engine,
    spec: ClassifierSpec,
  ) {
    this.spec = { hidden: [128, 64], seed: 1, learningRate: 1e-3, ...spec };
    const s = this.spec;
    if (!Number.isInteger(s.inputs) || s.inputs < 1)
      throw new OptionError("inputs", s.inputs, "must be a whole number >= 1");
    if (s.classes.length < 2) throw new OptionError("classes", s.classes, "must name at least 2 classes");
    if (s.hidden.length < 1 || s.hidden.some((w) => !Number.isInteger(w) || w < 1))
      throw new OptionError("hidden", s.hidden, "must be a list of one or more whole numbers >= 1");
    this.mlp = new MLP(engine, {
      inputs: s.inputs,
      hidden: s.hidden,
      activation: "relu",
      outputs: s.classes.length,
      outputActivation: "linear",
    });
    this.mlp.initialize(new Rng(engine, s.seed, Stream.model));
    this.dataRng = new Rng(engine, s.seed, Stream.data);
    this.optimizer = new Adam(
      engine,
      { type: "adam", learningRate: s.learningRate },
      this.mlp.params,
      this.mlp.grads,
      this.mlp.size,
    );
  }

  get classes(): readonly number[] {
    return this.spec.classes;
  }
  get classCount(): number {
    return this.spec.classes.length;
  }
  /** Width of the penultimate layer: the features. */
  get featureDim(): number {
    return this.spec.hidden[this.spec.hidden.length - 1]!;
  }

  /** Trains on rows x [n, inputs] with classes [n] (indices into spec.classes); returns each epoch's mean loss. */
  fit(x: ArrayLike<number>, classes: ArrayLike<number>, options: FitOptions = {}): number[] {
    const { epochs = 10, batchSize = 64 } = options,
      d = this.spec.inputs,
      n = classes.length;
    if (x.length !== n * d) throw new OptionError("x", `${x.length} values`, `must hold ${n} rows of ${d}`);
    for (let i = 0; i < n; i++)
      if (!(classes[i]! >= 0 && classes[i]! < this.classCount && Number.isInteger(classes[i])))
        throw new OptionError(`classes[${i}]`, classes[i], `must be a class index in [0, ${this.classCount})`);
    const arena = this.engine.arena,
      k = this.engine.kernels,
      w = d + 1;
    // The rows with their class as one more column, so one shuffle moves both.
    const table = arena.alloc(n * w);
    {
      const f32 = arena.f32,
        at = table >> 2;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) f32[at + i * w + j] = x[i * d + j]!;
        f32[at + i * w + d] = classes[i]!;
      }
    }
    const shuffler = new RowShuffler(this.engine, this.dataRng, n);
    this.reserve(Math.min(batchSize, n));
    const out = this.mlp.output,
      losses: number[] = [];
    for (let e = 1; e <= epochs; e++) {
      shuffler.shuffle(table, n, w);
      let total = 0,
        batches = 0;
      for (let from = 0; from < n; from += batchSize) {
        const m = Math.min(batchSize, n - from),
          f32 = arena.f32,
          u32 = arena.u32;
        for (let r = 0; r < m; r++) {
          const src = (table >> 2) + (from + r) * w;
          f32.copyWithin((this.x >> 2) + r * d, src, src + d);
          u32[(this.labels >> 2) + r] = f32[src + d]!;
        }
        const logits = this.mlp.forward(this.x, m);
        total += k.softmax_ce(out.dz, logits, this.labels, m, this.classCount, 0);
        batches++;
        this.mlp.backward(this.x, m, out.dz, true, false);
        this.optimizer.step();
      }
      losses.push(total / batches);
      options.onEpoch?.(e, total / batches);
    }
    return losses;
  }

  /** p(y|x) [rows, classes] for samples x [rows, inputs]. */
  probabilities(x: ArrayLike<number>): Float32Array {
    return this.infer(x, this.classCount, (rows) => {
      const logits = this.mlp.forward(this.x, rows);
      this.engine.kernels.softmax_forward(logits, logits, rows, this.classCount);
      return logits;
    });
  }

  /** The penultimate layer's activations [rows, featureDim]. */
  features(x: ArrayLike<number>): Float32Array {
    const layer = this.mlp.layers[this.mlp.layers.length - 2]!;
    // The whole forward pass (the planner's): the penultimate layer's output is left in its buffer.
    return this.infer(x, this.featureDim, (rows) => {
      this.mlp.forward(this.x, rows);
      return layer.y;
    });
  }

  /** The share of rows whose most probable class is the given one. */
  accuracy(x: ArrayLike<number>, classes: ArrayLike<number>): number {
    const p = this.probabilities(x),
      C = this.classCount;
    let hit = 0;
    for (let i = 0; i < classes.length; i++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (p[i * C + c]! > p[i * C + best]!) best = c;
      if (best === classes[i]) hit++;
    }
    return hit / classes.length;
  }

  private infer(x: ArrayLike<number>, width: number, pass: (rows: number) => number): Float32Array {
    const d = this.spec.inputs,
      n = x.length / d;
    if (!Number.isInteger(n)) throw new OptionError("x", `${x.length} values`, `must hold whole rows of ${d}`);
    this.reserve(CHUNK);
    const result = new Float32Array(n * width);
    for (let from = 0; from < n; from += CHUNK) {
      const rows = Math.min(CHUNK, n - from);
      const part =
        x instanceof Float32Array
          ? x.subarray(from * d, (from + rows) * d)
          : Array.prototype.slice.call(x, from * d, (from + rows) * d);
      this.engine.arena.write(this.x, part as ArrayLike<number>);
      result.set(this.engine.arena.read(pass(rows), rows * width), from * width);
    }
    return result;
  }

  private reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.mlp.reserve(rows);
    this.x = this.engine.arena.alloc(rows * this.spec.inputs);
    this.labels = this.engine.arena.alloc(rows);
    this.capacity = rows;
  }
}
