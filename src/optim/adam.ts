import type { Engine } from "../wasm/load.js";
import { type Optimizer, SlotOptimizer } from "./base.js";
import { OPTIMIZER_PARAMS } from "./params.js";

export interface AdamSpec {
  type: "adam";
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

// Adam as tfjs implements it (epsilon 1e-7 outside the square root). The bias corrections use b^t
// accumulated by f32 multiplication, as tfjs does, not Math.pow, whose last bit may differ between
// engines and would break bit-identical runs across browsers.
export class Adam extends SlotOptimizer implements Optimizer {
  readonly spec: Required<AdamSpec>;
  private pow1 = 1;
  private pow2 = 1;

  constructor(engine: Engine, spec: AdamSpec, params: number, grads: number, size: number) {
    super(engine, params, grads, size, 2);
    this.spec = { ...OPTIMIZER_PARAMS.adam, ...spec };
  }

  step(): void {
    const s = this.spec;
    this.t++;
    this.pow1 = Math.fround(this.pow1 * Math.fround(s.beta1));
    this.pow2 = Math.fround(this.pow2 * Math.fround(s.beta2));
    this.engine.kernels.adam_update(
      this.params,
      this.grads,
      this.ptrs[0]!,
      this.ptrs[1]!,
      this.size,
      s.learningRate,
      s.beta1,
      s.beta2,
      s.epsilon,
      1 - this.pow1,
      1 - this.pow2,
    );
  }

  override setState(state: { step: number; slots: readonly ArrayLike<number>[] }): void {
    super.setState(state);
    this.pow1 = this.pow2 = 1;
    for (let i = 0; i < this.t; i++) {
      this.pow1 = Math.fround(this.pow1 * Math.fround(this.spec.beta1));
      this.pow2 = Math.fround(this.pow2 * Math.fround(this.spec.beta2));
    }
  }
}
