// Reshuffling the real rows between epochs, and batches of a fixed size: the alternatives to the reference workload's
// fixed order and fixed batch count (batches.ts). Both are deterministic given the seed.
import type { Engine } from "../wasm/load.js";
import { OptionError } from "../errors.js";
import type { Rng } from "./rng.js";

/**
 * Fisher-Yates on `rows` rows of `dim` values stored from element `start` of `values`, in place.
 * uniforms[uStart + r] (in [0, 1)) is used for i = rows - 1 - r: row i swaps with row
 * floor(u * (i + 1)). Needs rows - 1 uniforms. Pure apart from the writes to `values`.
 */
export function shuffleRows(
  values: Float32Array,
  start: number,
  rows: number,
  dim: number,
  uniforms: ArrayLike<number>,
  uStart = 0,
): void {
  for (let i = rows - 1, r = uStart; i > 0; i--, r++) {
    const j = Math.min(i, Math.floor(uniforms[r]! * (i + 1)));
    if (j === i) continue;
    const a = start + i * dim,
      b = start + j * dim;
    for (let d = 0; d < dim; d++) {
      const t = values[a + d]!;
      values[a + d] = values[b + d]!;
      values[b + d] = t;
    }
  }
}

// Shuffles rows that live in linear memory with the library's PRNG. The uniforms go to a scratch
// buffer reserved once, so a shuffle per epoch allocates nothing. A float32 uniform has 24 random bits,
// so floor(u * n) favours some picks by at most n / 2^24 relative (6e-5 for 1000 rows).
export class RowShuffler {
  private readonly scratch: number;

  /** Reserves room for the uniforms of up to `maxRows` rows; `rng` is best the data stream (Stream.data). */
  constructor(
    private readonly engine: Engine,
    private readonly rng: Rng,
    readonly maxRows: number,
  ) {
    if (!Number.isInteger(maxRows) || maxRows < 1)
      throw new OptionError("maxRows", maxRows, "must be a whole number >= 1");
    this.scratch = engine.arena.alloc(maxRows);
  }

  /** Shuffles the `rows` rows of `dim` floats at byte offset `ptr`; draws rows - 1 uniforms. */
  shuffle(ptr: number, rows: number, dim: number): void {
    if (rows > this.maxRows) throw new OptionError("rows", rows, `room for ${this.maxRows} was laid out`);
    if (rows < 2) return;
    this.rng.uniform(this.scratch, rows - 1, 0, 1);
    const f32 = this.engine.arena.f32;
    shuffleRows(f32, ptr >> 2, rows, dim, f32, this.scratch >> 2);
  }
}

/**
 * Mini-batches of `size` consecutive rows, in the format of splitBatches: [from0, to0, from1, to1, ...].
 * The last batch takes what remains, 1 to `size` rows; a size beyond `rows` gives a single batch.
 */
export function batchBounds(rows: number, size: number): Int32Array {
  if (!Number.isInteger(rows) || rows < 1) throw new OptionError("rows", rows, "must be a whole number >= 1");
  if (!Number.isInteger(size) || size < 1) throw new OptionError("batchSize", size, "must be a whole number >= 1");
  const count = Math.ceil(rows / size);
  const bounds = new Int32Array(2 * count);
  for (let n = 0; n < count; n++) {
    bounds[2 * n] = n * size;
    bounds[2 * n + 1] = Math.min(rows, n * size + size);
  }
  return bounds;
}
