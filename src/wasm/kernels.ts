// The wasm module's exports as the host sees them. Pointers are byte offsets into linear memory;
// booleans travel as 0/1.
export interface Kernels {
  readonly memory: WebAssembly.Memory;
  heap_base(): number;

  /** act: 0 none, 1 relu, 2 leaky relu with slope alpha in [0, 1], applied as the result is stored. */
  gemm_nn(
    c: number,
    a: number,
    b: number,
    bias: number,
    M: number,
    K: number,
    N: number,
    accumulate: number,
    act?: number,
    alpha?: number,
  ): void;
  gemm_tn(c: number, a: number, b: number, M: number, K: number, N: number, accumulate: number): void;
  /** Rows [k0, k1) of gemm_tn's C (N > 1), summed as gemm_tn sums them: a thread's share. */
  gemm_tn_rows(
    c: number,
    a: number,
    b: number,
    M: number,
    K: number,
    N: number,
    accumulate: number,
    k0: number,
    k1: number,
  ): void;
  /** mask != 0: the result passes through relu / leaky relu (slope alpha) backward, mask being its output. */
  gemm_nt(
    c: number,
    a: number,
    b: number,
    M: number,
    K: number,
    N: number,
    accumulate: number,
    mask?: number,
    alpha?: number,
  ): void;
  /** The backward of a one-unit layer: dw (+)= xᵀ·dz unless dw = 0 and, unless dx = 0, dx = dz·wᵀ, masked on x when mask != 0. */
  unit_backward(
    dw: number,
    dx: number,
    x: number,
    dz: number,
    w: number,
    M: number,
    K: number,
    accumulate: number,
    mask: number,
    alpha: number,
  ): void;
  /** The forward of a 1 -> relu (H units, h) -> 1 critic: z = relu(x ⊗ w1 + b1)·w2 + b2, storing h. */
  critic1d_forward(
    z: number,
    h: number,
    x: number,
    w1: number,
    b1: number,
    w2: number,
    b2: number,
    M: number,
    H: number,
  ): void;
  /** Its parameter gradients from dz: dw2 = hᵀ·dz, dw1 and db1 through the relu (db2 is sum_rows'). */
  critic1d_backward(
    dw1: number,
    db1: number,
    dw2: number,
    x: number,
    h: number,
    dz: number,
    w2: number,
    M: number,
    H: number,
  ): void;
  /** dx = dz ⊙ (gate(h)·(w1 ∘ w2)): the input gradient of a frozen 1 -> relu/leaky (h) -> 1 block. */
  unit_input_grad(dx: number, h: number, dz: number, w1: number, w2: number, M: number, H: number, alpha: number): void;
  sum_rows(out: number, a: number, M: number, N: number, accumulate: number): void;

  relu_forward(y: number, x: number, n: number): void;
  relu_backward(dx: number, dy: number, x: number, n: number): void;
  leaky_relu_forward(y: number, x: number, n: number, alpha: number): void;
  leaky_relu_backward(dx: number, dy: number, x: number, n: number, alpha: number): void;
  sigmoid_forward(y: number, x: number, n: number): void;
  sigmoid_backward(dx: number, dy: number, y: number, n: number): void;
  tanh_forward(y: number, x: number, n: number): void;
  tanh_backward(dx: number, dy: number, y: number, n: number): void;

  sigmoid_bce(dz: number, z: number, n: number, split: number, yHead: number, yTail: number, skipLoss?: number): number;
  squared_error(
    dz: number,
    z: number,
    n: number,
    split: number,
    yHead: number,
    yTail: number,
    skipLoss?: number,
  ): number;

  adam_update(
    w: number,
    g: number,
    m: number,
    v: number,
    n: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    c1: number,
    c2: number,
  ): void;
  rmsprop_update(
    w: number,
    g: number,
    ms: number,
    mom: number,
    n: number,
    lr: number,
    rho: number,
    momentum: number,
    eps: number,
  ): void;
  sgd_update(w: number, g: number, acc: number, n: number, lr: number, momentum: number): void;

  rng_seed(state: number, seed: number, stream: number): void;
  rng_uniform(state: number, out: number, n: number, lo: number, hi: number): void;
  rng_normal(state: number, out: number, n: number, mean: number, std: number): void;
}
