import type { Engine } from "../wasm/load.js";
import { type Activation, activationBackward, activationForward, fusedCode } from "./activation.js";

/** Where a Dense layer's weights and their gradients sit inside its model's parameter buffers. */
export interface DenseSlots {
  kernel: number; // W [in, out], row-major as Keras and tfjs store it
  bias: number; // b [out]
  kernelGrad: number;
  biasGrad: number;
}

// y = act(x·W + b). Activations live in buffers sized for `capacity` rows, laid out once.
// relu and leaky relu run inside the product's store, and their backward inside the product that
// produces this layer's input gradient, so neither costs a pass of its own; the output alone tells where
// the pre-activation was positive.
export class Dense {
  private capacity = 0;
  /** Gemm epilogue code of the activation, 0 when it runs as a separate kernel. */
  readonly fused: number;
  /** Pre-activation z [rows, out]; the same buffer as y when the activation is fused or linear. */
  z = 0;
  /** Output y [rows, out]. */
  y = 0;
  /** Gradient with respect to z [rows, out], written by the layer above (or the loss). */
  dz = 0;

  constructor(
    private readonly engine: Engine,
    readonly inputs: number,
    readonly units: number,
    readonly activation: Activation,
    readonly slots: DenseSlots,
  ) {
    this.fused = fusedCode(activation);
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const { arena } = this.engine;
    const n = rows * this.units;
    this.y = arena.alloc(n);
    this.z = this.fused || this.activation.name === "linear" ? this.y : arena.alloc(n);
    this.dz = arena.alloc(n);
    this.capacity = rows;
  }

  // x [rows, in] -> y [rows, out]
  forward(x: number, rows: number): number {
    const k = this.engine.kernels,
      s = this.slots;
    k.gemm_nn(this.z, x, s.kernel, s.bias, rows, this.inputs, this.units, 0, this.fused, this.activation.alpha);
    if (!this.fused) activationForward(k, this.activation, this.y, this.z, rows * this.units);
    return this.y;
  }

  // dz [rows, out] -> dW [in, out], db [out] when paramGrads; dx [rows, in] when dx != 0, where `below`
  // is the layer that produced x: its activation's backward is applied too, so dx is below's dz.
  backward(x: number, rows: number, dz: number, dx: number, paramGrads: boolean, below: Dense | null): void {
    const k = this.engine.kernels,
      s = this.slots;
    // x is below's output: a fused relu / leaky relu below is undone by masking on it.
    const masked = below !== null && below.fused !== 0,
      alpha = masked ? below.activation.alpha * (below.fused - 1) : 0;
    if (this.units === 1) {
      // One unit (a logit, a 1-D sample): dW and dx share one sweep over x.
      if (paramGrads || dx)
        k.unit_backward(
          paramGrads ? s.kernelGrad : 0,
          dx,
          x,
          dz,
          s.kernel,
          rows,
          this.inputs,
          0,
          masked ? 1 : 0,
          alpha,
        );
      if (paramGrads) k.sum_rows(s.biasGrad, dz, rows, 1, 0);
    } else {
      if (paramGrads) {
        k.gemm_tn(s.kernelGrad, x, dz, rows, this.inputs, this.units, 0);
        k.sum_rows(s.biasGrad, dz, rows, this.units, 0);
      }
      if (dx) k.gemm_nt(dx, dz, s.kernel, rows, this.inputs, this.units, 0, masked ? x : 0, alpha);
    }
    if (dx && below && !below.fused) activationBackward(k, below.activation, dx, below.z, below.y, rows * this.inputs);
  }
}
