import type { Kernels } from "./kernels.js";

export const PAGE = 65536;
/** Pages a wasm32 memory can hold: 4 GiB. */
export const MAX_PAGES = 65536;

/** Something whose failure makes the memory untrustworthy (the thread pool). */
interface Guard {
  readonly failure: Error | null;
}

// A bump allocator over the module's linear memory. Buffers are laid out once, when a model is planned,
// and never freed: steady-state training touches only what is already here. Typed views are rebuilt
// lazily whenever memory has grown, since growth detaches the old ArrayBuffer.
export class Arena {
  private top: number;
  private buffer: ArrayBuffer | SharedArrayBuffer | null = null;
  private f32View = new Float32Array(0);
  private u32View = new Uint32Array(0);

  /** `limit`: the bytes the memory may grow to (a shared memory's declared maximum). */
  constructor(
    readonly kernels: Kernels,
    readonly limit = MAX_PAGES * PAGE,
    private readonly guard: Guard | null = null,
  ) {
    this.top = kernels.heap_base();
  }

  /** Reserves room for `count` 32-bit values, 16-byte aligned for SIMD; returns the byte offset. */
  alloc(count: number): number {
    const ptr = this.top,
      top = ptr + ((count * 4 + 15) & ~15);
    if (top > this.limit) {
      const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
      throw new RangeError(
        `simdgan: linear memory would reach ${mib(top)}, past its maximum of ${mib(this.limit)}` +
          (this.guard ? " (declared from the model's plan for the thread pool; use fewer rows per call)" : ""),
      );
    }
    this.top = top;
    const memory = this.kernels.memory;
    const short = this.top - memory.buffer.byteLength;
    if (short > 0) memory.grow(Math.ceil(short / PAGE));
    new Float32Array(memory.buffer, ptr, count).fill(0);
    return ptr;
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
    // After a pool failure the memory may be half-updated: nothing reads or writes it any more.
    if (this.guard?.failure) throw this.guard.failure;
    const buffer = this.kernels.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.f32View = new Float32Array(buffer);
      this.u32View = new Uint32Array(buffer);
    }
  }
}
