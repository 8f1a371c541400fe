import type { Engine } from "../wasm/load.js";
import { type Optimizer, SlotOptimizer } from "./base.js";
import { OPTIMIZER_PARAMS } from "./params.js";

export interface RMSpropSpec {
  type: "rmsprop";
  learningRate: number;
  rho?: number;
  momentum?: number;
  epsilon?: number;
}

// RMSprop as tfjs implements it, uncentred; defaults are Keras's rho 0.9 and tfjs's epsilon 1e-7.
export class RMSprop extends SlotOptimizer implements Optimizer {
  readonly spec: Required<RMSpropSpec>;

  constructor(engine: Engine, spec: RMSpropSpec, params: number, grads: number, size: number) {
    super(engine, params, grads, size, 2);
    this.spec = { ...OPTIMIZER_PARAMS.rmsprop, ...spec };
  }

  step(): void {
    const s = this.spec;
    this.engine.kernels.rmsprop_update(
      this.params,
      this.grads,
      this.ptrs[0]!,
      this.ptrs[1]!,
      this.size,
      s.learningRate,
      s.rho,
      s.momentum,
      s.epsilon,
    );
    this.t++;
  }
}
