import type { Engine } from "../wasm/load.js";
import { type Activation, activationBackward, activationForward } from "./activation.js";

/** Where a Dense layer's weights and their gradients sit inside its model's parameter buffers. */
export interface DenseSlots {
  kernel: number; // W [in, out], row-major as Keras and tfjs store it
  bias: number; // b [out]
  kernelGrad: number;
  biasGrad: number;
}

// y = act(x·W + b). Activations live in buffers sized for `capacity` rows, laid out once.
export class Dense {
  private capacity = 0;
  /** Pre-activation z [rows, out]. */
  z = 0;
  /** Output y [rows, out]; the same buffer as z when the activation is linear. */
  y = 0;
  /** Gradient with respect to y [rows, out], turned into the gradient w.r.t. z in place by backward. */
  dy = 0;

  constructor(
    private readonly engine: Engine,
    readonly inputs: number,
    readonly units: number,
    readonly activation: Activation,
    readonly slots: DenseSlots,
  ) {}

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const { arena } = this.engine;
    const n = rows * this.units;
    this.z = arena.alloc(n);
    this.y = this.activation.name === "linear" ? this.z : arena.alloc(n);
    this.dy = arena.alloc(n);
    this.capacity = rows;
  }

  // x [rows, in] -> y [rows, out]
  forward(x: number, rows: number): number {
    const k = this.engine.kernels, s = this.slots;
    k.gemm_nn(this.z, x, s.kernel, s.bias, rows, this.inputs, this.units, 0);
    activationForward(k, this.activation, this.y, this.z, rows * this.units);
    return this.y;
  }

  // dy [rows, out] (consumed in place) -> dW [in, out], db [out] when paramGrads, dx [rows, in] when dx != 0
  backward(x: number, rows: number, dy: number, dx: number, paramGrads: boolean): void {
    const k = this.engine.kernels, s = this.slots;
    activationBackward(k, this.activation, dy, this.z, this.y, rows * this.units);
    if (paramGrads) {
      k.gemm_tn(s.kernelGrad, x, dy, rows, this.inputs, this.units, 0);
      k.sum_rows(s.biasGrad, dy, rows, this.units, 0);
    }
    if (dx) k.gemm_nt(dx, dy, s.kernel, rows, this.inputs, this.units, 0);
  }
}
