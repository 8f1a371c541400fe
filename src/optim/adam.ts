import type { Engine } from "../wasm/load.js";
import { OptionError } from "../errors.js";
import { type Optimizer, type OptimizerState, type OptimizerStateInput, SlotOptimizer } from "./base.js";
import { OPTIMIZER_PARAMS } from "./params.js";

/** Steps a state without its beta powers may replay to rebuild them (older checkpoints); about 30 ms. */
export const MAX_REPLAY = 10_000_000;

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

  // The powers are part of the state: rebuilding them takes one multiplication per step ever taken.
  override getState(): OptimizerState {
    return { ...super.getState(), scalars: [this.pow1, this.pow2] };
  }

  override setState(state: OptimizerStateInput): void {
    const s = state.scalars;
    if (s !== undefined) {
      if (!Array.isArray(s) || s.length !== 2) throw new OptionError("scalars", s, "must be [beta1^step, beta2^step]");
      s.forEach((v, i) => {
        if (!(typeof v === "number" && v >= 0 && v <= 1 && Math.fround(v) === v))
          throw new OptionError(`scalars[${i}]`, v, "must be a float32 number in [0, 1]");
      });
    } else if (state.step > MAX_REPLAY)
      throw new OptionError("step", state.step, `at most ${MAX_REPLAY} without the beta powers (scalars) beside it`);
    super.setState(state);
    if (s !== undefined) [this.pow1, this.pow2] = s as [number, number];
    else this.replay(this.t);
  }

  // b^t as step() accumulates it; stops early once both powers stop changing (they reach 0 or a fixed point).
  private replay(steps: number): void {
    const b1 = Math.fround(this.spec.beta1),
      b2 = Math.fround(this.spec.beta2);
    let p1 = 1,
      p2 = 1;
    for (let i = 0; i < steps; i++) {
      const n1 = Math.fround(p1 * b1),
        n2 = Math.fround(p2 * b2);
      if (n1 === p1 && n2 === p2) break;
      p1 = n1;
      p2 = n2;
    }
    this.pow1 = p1;
    this.pow2 = p2;
  }
}
