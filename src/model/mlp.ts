import type { Engine } from "../wasm/load.js";
import type { Rng } from "../data/rng.js";
import { type ModelPlan, packScratch, planModel } from "../kernels/planner.js";
import { type ActivationSpec, resolveActivation } from "./activation.js";
import { Dense } from "./dense.js";
import { OptionError } from "../errors.js";

export interface MLPSpec {
  inputs: number;
  hidden: readonly number[];
  /** Activation of every hidden layer. */
  activation: ActivationSpec;
  outputs: number;
  outputActivation: ActivationSpec;
}

// A stack of Dense layers whose parameters form one contiguous buffer (W1 b1 W2 b2 ...), gradients a
// second buffer of the same layout, so one optimizer call updates the whole model. Its passes are planned
// once, here, by src/kernels/planner.ts, which says which kernels run for which layer shape.
export class MLP {
  readonly layers: Dense[] = [];
  /** Number of parameters, and the byte offsets of the parameter and gradient buffers. */
  readonly size: number;
  readonly params: number;
  readonly grads: number;
  /** Gradient with respect to the input [capacity, inputs], filled by backward on request. */
  inputGrad = 0;
  /** Scratch of the packed products: B's panels and a block of A per thread (0 when no layer packs). */
  readonly panels: number;
  readonly ablocks: number;
  /** The kernels of every pass, chosen once for these layer shapes. */
  readonly plan: ModelPlan;
  private capacity = 0;

  constructor(
    private readonly engine: Engine,
    readonly spec: MLPSpec,
  ) {
    const widths = [spec.inputs, ...spec.hidden, spec.outputs];
    this.size = widths.slice(1).reduce((n, w, i) => n + widths[i]! * w + w, 0);
    this.params = engine.arena.alloc(this.size);
    this.grads = engine.arena.alloc(this.size);
    const hiddenAct = resolveActivation(spec.activation),
      outAct = resolveActivation(spec.outputActivation);
    let offset = 0;
    for (let i = 1; i < widths.length; i++) {
      const inputs = widths[i - 1]!,
        units = widths[i]!;
      const at = (n: number) => offset + n * 4;
      this.layers.push(
        new Dense(engine, inputs, units, i === widths.length - 1 ? outAct : hiddenAct, {
          kernel: this.params + at(0),
          bias: this.params + at(inputs * units),
          kernelGrad: this.grads + at(0),
          biasGrad: this.grads + at(inputs * units),
        }),
      );
      offset += (inputs * units + units) * 4;
    }
    const scratch = packScratch(this.layers, engine.threads);
    this.panels = scratch.panels ? engine.arena.alloc(scratch.panels) : 0;
    this.ablocks = scratch.ablocks ? engine.arena.alloc(scratch.ablocks) : 0;
    this.plan = planModel(engine.kernels, this.layers, this);
  }

  get inputs(): number {
    return this.spec.inputs;
  }
  get outputs(): number {
    return this.spec.outputs;
  }
  get output(): Dense {
    return this.layers[this.layers.length - 1]!;
  }

  /** Lays out activation buffers for batches of up to `rows` rows (no-op when they already fit). */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    for (const layer of this.layers) layer.reserve(rows);
    this.inputGrad = this.engine.arena.alloc(rows * this.spec.inputs);
    this.capacity = rows;
  }

  /** Glorot-uniform kernels and zero biases, the Keras and tfjs Dense defaults. */
  initialize(rng: Rng): void {
    const f32 = this.engine.arena.f32;
    for (const layer of this.layers) {
      const limit = Math.sqrt(6 / (layer.inputs + layer.units));
      rng.uniform(layer.slots.kernel, layer.inputs * layer.units, -limit, limit);
      f32.fill(0, layer.slots.bias >> 2, (layer.slots.bias >> 2) + layer.units);
    }
  }

  // x [rows, inputs] -> [rows, outputs]; returns the output's byte offset.
  forward(x: number, rows: number): number {
    return this.plan.forward(x, rows);
  }

  // dOut [rows, outputs], the gradient w.r.t. the output (consumed) -> parameter gradients and, when
  // asked, inputGrad [rows, inputs]. Needs the activations of the forward pass on the same x.
  backward(x: number, rows: number, dOut: number, paramGrads: boolean, inputGrad: boolean): void {
    this.plan.backward(x, rows, dOut, paramGrads, inputGrad);
  }

  /** Copies of the weights in Keras/tfjs order: kernel [in, out] row-major, then bias, layer by layer. */
  getWeights(): Float32Array[] {
    const arena = this.engine.arena;
    return this.layers.flatMap((l) => [
      arena.read(l.slots.kernel, l.inputs * l.units),
      arena.read(l.slots.bias, l.units),
    ]);
  }

  setWeights(weights: readonly ArrayLike<number>[]): void {
    const expected = this.layers.flatMap((l) => [l.inputs * l.units, l.units]);
    if (!Array.isArray(weights) || weights.length !== expected.length)
      throw new OptionError("weights", weights?.length, `must be ${expected.length} arrays, kernel and bias per layer`);
    expected.forEach((n, i) => {
      const w = weights[i];
      const l = this.layers[i >> 1]!;
      const what = i % 2 === 0 ? `kernel [${l.inputs}, ${l.units}]` : `bias [${l.units}]`;
      if (w?.length !== n)
        throw new OptionError(`weights[${i}]`, `${w?.length} values`, `layer ${(i >> 1) + 1} ${what} holds ${n}`);
      for (let j = 0; j < n; j++)
        if (typeof w[j] !== "number" || !Number.isFinite(w[j]))
          throw new OptionError(`weights[${i}][${j}]`, w[j], "must be a finite number");
    });
    const arena = this.engine.arena;
    this.layers.forEach((l, i) => {
      arena.write(l.slots.kernel, weights[2 * i]!);
      arena.write(l.slots.bias, weights[2 * i + 1]!);
    });
  }
}
