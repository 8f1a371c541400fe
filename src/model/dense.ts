import type { Engine } from "../wasm/load.js";
import { fusesIntoProducts } from "../kernels/planner.js";
import type { Activation } from "./activation.js";

/** Where a Dense layer's weights and their gradients sit inside its model's parameter buffers. */
export interface DenseSlots {
  kernel: number; // W [in, out], row-major as Keras and tfjs store it
  bias: number; // b [out]
  kernelGrad: number;
  biasGrad: number;
}

// y = act(x·W + b): the layout of one layer, its weights' slots and activation buffers sized for
// `capacity` rows, laid out once. Which kernels run on them is the planner's (src/kernels/planner.ts).
export class Dense {
  private capacity = 0;
  /** Pre-activation z [rows, out]; the same buffer as y when the activation runs inside the product or is linear. */
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
  ) {}

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const { arena } = this.engine;
    const n = rows * this.units;
    this.y = arena.alloc(n);
    this.z = fusesIntoProducts(this.activation) || this.activation.name === "linear" ? this.y : arena.alloc(n);
    this.dz = arena.alloc(n);
    this.capacity = rows;
  }
}
