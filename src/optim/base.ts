import type { Engine } from "../wasm/load.js";

export interface OptimizerState {
  step: number;
  slots: Float32Array[];
}

/** Updates one contiguous parameter buffer from the gradient buffer of the same layout. */
export interface Optimizer {
  readonly spec: { readonly type: string; readonly learningRate: number };
  step(): void;
  /** Everything the optimizer carries between steps, for checkpoints. */
  getState(): OptimizerState;
  setState(state: { step: number; slots: readonly ArrayLike<number>[] }): void;
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

  setState(state: { step: number; slots: readonly ArrayLike<number>[] }): void {
    if (state.slots.length !== this.ptrs.length || state.slots.some((v) => v.length !== this.size)) {
      throw new RangeError(`optimizer state must be ${this.ptrs.length} arrays of ${this.size} values`);
    }
    if (!Number.isInteger(state.step) || state.step < 0)
      throw new RangeError(`optimizer step must be a whole number >= 0, got ${state.step}`);
    this.ptrs.forEach((p, i) => this.engine.arena.write(p, state.slots[i]!));
    this.t = state.step;
  }
}
