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
// engines and would break bit-identical runs across browsers. The powers live in linear memory, where
// adam_update advances them, so a step makes no float of its own to hand over (see SlotOptimizer).
export class Adam extends SlotOptimizer implements Optimizer {
  readonly spec: Required<AdamSpec>;
  private readonly pows: number; // [beta1^t, beta2^t], f32
  private readonly update: () => void;

  constructor(engine: Engine, spec: AdamSpec, params: number, grads: number, size: number) {
    super(engine, params, grads, size, 2);
    this.spec = { ...OPTIMIZER_PARAMS.adam, ...spec };
    this.pows = engine.arena.alloc(2);
    this.setPowers(1, 1);
    const { learningRate, beta1, beta2, epsilon } = this.spec,
      [m, v] = this.ptrs as [number, number],
      pows = this.pows,
      k = engine.kernels;
    this.update = () => k.adam_update(params, grads, m, v, size, learningRate, beta1, beta2, epsilon, pows);
  }

  step(): void {
    this.t++;
    this.update();
  }

  // The powers are part of the state: rebuilding them takes one multiplication per step ever taken.
  override getState(): OptimizerState {
    const at = this.pows >> 2,
      f32 = this.engine.arena.f32;
    return { ...super.getState(), scalars: [f32[at]!, f32[at + 1]!] };
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
    if (s !== undefined) this.setPowers(s[0]!, s[1]!);
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
    this.setPowers(p1, p2);
  }

  private setPowers(p1: number, p2: number): void {
    const at = this.pows >> 2,
      f32 = this.engine.arena.f32;
    f32[at] = p1;
    f32[at + 1] = p2;
  }
}
