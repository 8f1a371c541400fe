// The module's exports, family by family (one file each), plus where free linear memory begins. The host's
// typed view of them is src/kernels/boundary.ts; test/boundary.test.ts checks the two agree.
export {
  gemm_nn, gemm_tn, gemm_tn_rows, gemm_tn_cols, gemm_nt, gemm_nn_packed, gemm_tn_packed, gemm_nt_packed,
  packed_panel_floats,
} from "./products";
export { unit_backward, unit_backward_cols } from "./unit";
export { sum_rows, sum_rows_cols, finite_check } from "./reductions";
export { critic1d_forward, critic1d_backward, unit_input_grad } from "./critic";
export {
  ACT_NONE, ACT_RELU, ACT_LEAKY,
  relu_forward, relu_backward, leaky_relu_forward, leaky_relu_backward,
  sigmoid_forward, sigmoid_backward, tanh_forward, tanh_backward,
} from "./activations";
export * from "./loss";
export * from "./softmax";
export * from "./optim";
export * from "./random";

// The host lays out its buffers from here up; the kernels themselves never allocate.
export function heap_base(): usize {
  return (__heap_base + 15) & ~15;
}
