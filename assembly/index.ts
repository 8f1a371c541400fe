// The module's exports: every kernel family, plus where free linear memory begins.
export * from "./gemm";
export * from "./critic";
export * from "./activations";
export * from "./loss";
export * from "./softmax";
export * from "./optim";
export * from "./random";

// The host lays out its buffers from here up; the kernels themselves never allocate.
export function heap_base(): usize {
  return (__heap_base + 15) & ~15;
}
