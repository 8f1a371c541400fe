import type { Engine } from "../wasm/load.js";
import { OptionError } from "../errors.js";

export interface OptimizerState {
  step: number;
  slots: Float32Array[];
  /** Scalars carried between steps besides the count (Adam's running beta powers); absent when none. */
  scalars?: number[];
}

/** What setState takes: a state as getState gives it (scalars may be left out; see Adam). */
export interface OptimizerStateInput {
  step: number;
  slots: readonly ArrayLike<number>[];
  scalars?: readonly number[];
}

/** Steps counted at most: 2^53, where whole numbers stop being exact doubles. */
export const MAX_STEP = Number.MAX_SAFE_INTEGER;

/** Updates one contiguous parameter buffer from the gradient buffer of the same layout. */
export interface Optimizer {
  readonly spec: { readonly type: string; readonly learningRate: number };
  step(): void;
  /** Everything the optimizer carries between steps, for checkpoints. */
  getState(): OptimizerState;
  setState(state: OptimizerStateInput): void;
}

// What every optimizer here shares: state buffers shaped like the parameters (Adam's moments, RMSprop's
// mean square, momentum), laid out in linear memory once next to the model, and a step count.
export abstract class SlotOptimizer {
  protected readonly ptrs: number[];
  protected t = 0;

  constructor(
    protected readonly engine: Engine,
    protected readonly params: number,
    protected readonly grads: number,
    protected readonly size: number,
    slotCount: number,
  ) {
    this.ptrs = Array.from({ length: slotCount }, () => engine.arena.alloc(size));
  }

  getState(): OptimizerState {
    return { step: this.t, slots: this.ptrs.map((p) => this.engine.arena.read(p, this.size)) };
  }

  setState(state: OptimizerStateInput): void {
    if (!Array.isArray(state.slots) || state.slots.length !== this.ptrs.length)
      throw new OptionError("slots", state.slots?.length, `must be ${this.ptrs.length} arrays of ${this.size} values`);
    state.slots.forEach((v, i) => {
      if (v?.length !== this.size)
        throw new OptionError(`slots[${i}]`, `${v?.length} values`, `must hold ${this.size}`);
      for (let j = 0; j < v.length; j++)
        if (!Number.isFinite(v[j])) throw new OptionError(`slots[${i}][${j}]`, v[j], "must be a finite number");
    });
    if (!Number.isInteger(state.step) || state.step < 0 || state.step > MAX_STEP)
      throw new OptionError("step", state.step, `must be a whole number in [0, ${MAX_STEP}]`);
    this.ptrs.forEach((p, i) => this.engine.arena.write(p, state.slots[i]!));
    this.t = state.step;
  }
}
