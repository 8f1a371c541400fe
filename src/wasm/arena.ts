import type { Kernels } from "../kernels/boundary.js";
import { OptionError } from "../errors.js";

const PAGE = 65536;
/** wasm32 addresses 4 GiB at most; an engine may refuse to grow well before that. */
export const MEMORY_LIMIT = 65536 * PAGE;

// A bump allocator over the module's linear memory. Buffers are laid out once, when a model is planned,
// and never freed: steady-state training touches only what is already here. Typed views are rebuilt
// lazily whenever memory has grown, since growth detaches the old ArrayBuffer.
export class Arena {
  private top: number;
  private buffer: ArrayBuffer | null = null;
  private f32View = new Float32Array(0);
  private u32View = new Uint32Array(0);

  constructor(readonly kernels: Kernels) {
    this.top = kernels.heap_base();
  }

  /**
   * Reserves room for `count` 32-bit values, 16-byte aligned for SIMD; returns the byte offset. Sizes are
   * doubles (32-bit arithmetic would wrap at 2 GiB), and memory grows before `top` moves: a request that
   * cannot be met throws an OptionError naming "memory" and leaves the arena and every buffer as they were.
   */
  alloc(count: number): number {
    if (!Number.isInteger(count) || count < 0)
      throw new OptionError("memory", count, "an allocation is a whole number of values >= 0");
    const ptr = this.top,
      end = ptr + Math.ceil((count * 4) / 16) * 16;
    const memory = this.kernels.memory;
    if (end > MEMORY_LIMIT) throw this.refusal(end);
    const short = end - memory.buffer.byteLength;
    if (short > 0) {
      try {
        memory.grow(Math.ceil(short / PAGE));
      } catch {
        throw this.refusal(end);
      }
    }
    new Float32Array(memory.buffer, ptr, count).fill(0);
    this.top = end;
    return ptr;
  }

  private refusal(end: number): OptionError {
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
    return new OptionError(
      "memory",
      `${gib(end)} of wasm memory`,
      `the engine grows it to ${gib(MEMORY_LIMIT)} at most, and may refuse less`,
    );
  }

  /** Bytes laid out so far, from the start of linear memory. */
  get used(): number {
    return this.top;
  }

  get f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }

  get u32(): Uint32Array {
    this.refresh();
    return this.u32View;
  }

  /** A copy of `count` floats starting at byte offset `ptr`. */
  read(ptr: number, count: number): Float32Array {
    return this.f32.slice(ptr >> 2, (ptr >> 2) + count);
  }

  write(ptr: number, values: ArrayLike<number>): void {
    this.f32.set(values, ptr >> 2);
  }

  private refresh(): void {
    const buffer = this.kernels.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.f32View = new Float32Array(buffer);
      this.u32View = new Uint32Array(buffer);
    }
  }
}
