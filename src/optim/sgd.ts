import type { Engine } from "../wasm/load.js";
import { type Optimizer, SlotOptimizer } from "./base.js";
import { OPTIMIZER_PARAMS } from "./params.js";

export interface SGDSpec {
  type: "sgd";
  learningRate: number;
  momentum?: number;
}

// SGD with (non-Nesterov) momentum as tfjs's MomentumOptimizer; momentum 0 is plain SGD.
export class SGD extends SlotOptimizer implements Optimizer {
  readonly spec: Required<SGDSpec>;

  constructor(engine: Engine, spec: SGDSpec, params: number, grads: number, size: number) {
    super(engine, params, grads, size, 1);
    this.spec = { ...OPTIMIZER_PARAMS.sgd, ...spec };
  }

  step(): void {
    this.engine.kernels.sgd_update(
      this.params,
      this.grads,
      this.ptrs[0]!,
      this.size,
      this.spec.learningRate,
      this.spec.momentum,
    );
    this.t++;
  }
}
