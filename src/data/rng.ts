import type { Engine } from "../wasm/load.js";
import { OptionError } from "../errors.js";

/** Independent streams drawn from one seed: changing the model never changes the data, and vice versa. */
export const Stream = { model: 0, data: 1 } as const;

const STATE_WORDS = 16;

// A seeded xoshiro128** generator whose 64-byte state lives in linear memory, so kernels fill buffers
// in place and a checkpoint can save and restore it exactly.
export class Rng {
  readonly state: number;

  constructor(
    private readonly engine: Engine,
    seed: number,
    stream: number,
  ) {
    this.state = engine.arena.alloc(STATE_WORDS);
    engine.kernels.rng_seed(this.state, seed >>> 0, stream);
  }

  uniform(out: number, count: number, lo: number, hi: number): void {
    this.engine.kernels.rng_uniform(this.state, out, count, lo, hi);
  }

  normal(out: number, count: number, mean: number, std: number): void {
    this.engine.kernels.rng_normal(this.state, out, count, mean, std);
  }

  getState(): Uint32Array {
    const at = this.state >> 2;
    return this.engine.arena.u32.slice(at, at + STATE_WORDS);
  }

  setState(words: ArrayLike<number>): void {
    if (words?.length !== STATE_WORDS)
      throw new OptionError("rng state", `${words?.length} words`, `must hold ${STATE_WORDS}`);
    for (let i = 0; i < STATE_WORDS; i++) {
      const w = words[i]!;
      if (!Number.isInteger(w) || w < 0 || w > 0xffffffff)
        throw new OptionError(`rng state[${i}]`, w, "must be a whole number in [0, 4294967295]");
    }
    this.engine.arena.u32.set(words, this.state >> 2);
  }
}
