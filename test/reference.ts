// Plain reference kernels for the tests, in the spirit of llm.c's `_naive` functions: no tiling, no SIMD,
// no cleverness, each forward beside its backward. Products and transcendental functions run in float64;
// the optimizers mirror tfjs op by op in float32 (Math.fround after every operation), because tfjs rounds
// every tensor op to float32 and "exactly as tfjs" means the same roundings.

const f = Math.fround;

export type Act = "none" | "relu" | "leaky_relu";

// ---------------------------------------------------------------------------------------------- products

/** A reference product and, per output, the sum of the magnitudes of everything added into it
 *  (Σ|a·b| + |bias| + |c0|): the scale that bounds the rounding error of any summation order. */
export interface Product {
  c: Float64Array;
  mag: Float64Array;
}

function epilogue(v: number, act: Act, alpha: number): number {
  if (act === "none" || v > 0) return v;
  return act === "relu" ? 0 : f(v * f(alpha));
}

// C[M,N] (+)= A[M,K]·B[K,N] (+ bias[N]), then act. The plain form of gemm_nn (assembly/products.ts) and of
// rowDots, its N = 1 path (assembly/unit.ts).
export function gemmNNNaive(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  bias: ArrayLike<number> | null,
  c0: ArrayLike<number> | null,
  M: number,
  K: number,
  N: number,
  act: Act = "none",
  alpha = 0,
): Product {
  const c = new Float64Array(M * N),
    mag = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0,
        m = 0;
      if (c0) {
        s += c0[i * N + j]!;
        m += Math.abs(c0[i * N + j]!);
      }
      if (bias) {
        s += bias[j]!;
        m += Math.abs(bias[j]!);
      }
      for (let l = 0; l < K; l++) {
        const p = a[i * K + l]! * b[l * N + j]!;
        s += p;
        m += Math.abs(p);
      }
      c[i * N + j] = epilogue(s, act, alpha);
      mag[i * N + j] = m;
    }
  }
  return { c, mag };
}

// C[K,N] (+)= A[M,K]ᵀ·B[M,N]: dW = xᵀ·dz. The plain form of gemm_tn (assembly/products.ts).
export function gemmTNNaive(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c0: ArrayLike<number> | null,
  M: number,
  K: number,
  N: number,
): Product {
  const c = new Float64Array(K * N),
    mag = new Float64Array(K * N);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < N; j++) {
      let s = c0 ? c0[k * N + j]! : 0,
        m = Math.abs(s);
      for (let i = 0; i < M; i++) {
        const p = a[i * K + k]! * b[i * N + j]!;
        s += p;
        m += Math.abs(p);
      }
      c[k * N + j] = s;
      mag[k * N + j] = m;
    }
  }
  return { c, mag };
}

// C[M,K] (+)= A[M,N]·B[K,N]ᵀ: dx = dz·Wᵀ; with a mask (the output of the relu / leaky relu below), each
// result is then multiplied by that activation's derivative: 1 where mask > 0, alpha elsewhere. The plain
// form of gemm_nt (assembly/products.ts).
export function gemmNTNaive(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c0: ArrayLike<number> | null,
  M: number,
  K: number,
  N: number,
  mask: ArrayLike<number> | null = null,
  alpha = 0,
): Product {
  const c = new Float64Array(M * K),
    mag = new Float64Array(M * K);
  for (let i = 0; i < M; i++) {
    for (let k = 0; k < K; k++) {
      let s = c0 ? c0[i * K + k]! : 0,
        m = Math.abs(s);
      for (let n = 0; n < N; n++) {
        const p = a[i * N + n]! * b[k * N + n]!;
        s += p;
        m += Math.abs(p);
      }
      if (mask && !(mask[i * K + k]! > 0)) s = f(s * f(alpha));
      c[i * K + k] = s;
      mag[i * K + k] = m;
    }
  }
  return { c, mag };
}

// out[N] (+)= Σ_rows A[M,N]: db = 1ᵀ·dz. The plain form of sum_rows (assembly/reductions.ts).
export function sumRowsNaive(a: ArrayLike<number>, c0: ArrayLike<number> | null, M: number, N: number): Product {
  const c = new Float64Array(N),
    mag = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    let s = c0 ? c0[j]! : 0,
      m = Math.abs(s);
    for (let i = 0; i < M; i++) {
      s += a[i * N + j]!;
      m += Math.abs(a[i * N + j]!);
    }
    c[j] = s;
    mag[j] = m;
  }
  return { c, mag };
}

// ------------------------------------------------------------------------------ one-unit layers, critic
// The fused kernels of assembly/unit.ts and assembly/critic.ts as the plain products they replace.

/** The plain form of unit_backward: dw (+)= xᵀ·dz and dx = dz·wᵀ for x [M,K], w [K], dz [M]; with a slope,
 *  dx passes through the backward of the activation whose output is x (1 where x > 0, slope elsewhere). */
export function unitBackwardNaive(
  x: ArrayLike<number>,
  dz: ArrayLike<number>,
  w: ArrayLike<number>,
  c0: ArrayLike<number> | null,
  M: number,
  K: number,
  slope: number | null,
): { dw: Product; dx: Product } {
  return {
    dw: gemmTNNaive(x, dz, c0, M, K, 1),
    dx: gemmNTNaive(dz, w, null, M, K, 1, slope === null ? null : x, slope ?? 0),
  };
}

/** The plain form of critic1d_forward: h = relu(x ⊗ w1 + b1) [M,H], z = h·w2 + b2 [M]. */
export function critic1dForwardNaive(
  x: ArrayLike<number>,
  w1: ArrayLike<number>,
  b1: ArrayLike<number>,
  w2: ArrayLike<number>,
  b2: ArrayLike<number>,
  M: number,
  H: number,
): { h: Product; z: Product } {
  const h = gemmNNNaive(x, w1, b1, null, M, 1, H, "relu");
  return { h, z: gemmNNNaive(Float32Array.from(h.c), w2, b2, null, M, H, 1) };
}

/**
 * The plain form of critic1d_backward: dw2 = hᵀ·dz; dz1 = dz·w2ᵀ where h > 0; dw1 = xᵀ·dz1; db1 = 1ᵀ·dz1.
 */
export function critic1dBackwardNaive(
  x: ArrayLike<number>,
  h: ArrayLike<number>,
  dz: ArrayLike<number>,
  w2: ArrayLike<number>,
  M: number,
  H: number,
): { dw1: Product; db1: Product; dw2: Product } {
  const dz1 = Float32Array.from(gemmNTNaive(dz, w2, null, M, H, 1, h, 0).c);
  return {
    dw1: gemmTNNaive(x, dz1, null, M, 1, H),
    db1: sumRowsNaive(dz1, null, M, H),
    dw2: gemmTNNaive(h, dz, null, M, H, 1),
  };
}

/** The plain form of unit_input_grad: dz1 = dz·w2ᵀ gated on h (slope below zero), then dx = dz1·w1ᵀ. */
export function unitInputGradNaive(
  h: ArrayLike<number>,
  dz: ArrayLike<number>,
  w1: ArrayLike<number>,
  w2: ArrayLike<number>,
  M: number,
  H: number,
  slope: number,
): Product {
  const dz1 = gemmNTNaive(dz, w2, null, M, H, 1, h, slope).c;
  return gemmNTNaive(dz1, w1, null, M, 1, H);
}

// ------------------------------------------------------------------------------------------- activations

export type ActivationName = "relu" | "leaky_relu" | "sigmoid" | "tanh" | "linear";

// The plain forms of the elementwise kernels *_forward and *_backward (assembly/activations.ts).
export function activationForwardNaive(name: ActivationName, x: number, alpha = 0.2): number {
  switch (name) {
    case "relu":
      return x > 0 ? x : 0;
    case "leaky_relu":
      return x > 0 ? x : x * alpha;
    case "sigmoid":
      return 1 / (1 + Math.exp(-x));
    case "tanh":
      return Math.tanh(x);
    case "linear":
      return x;
  }
}

// dx = dy·f'(x). relu and leaky relu read the pre-activation x; sigmoid and tanh the output y, as tfjs does
// (f'(0) of relu is 0, of leaky relu alpha: tfjs's step(x) and where(x > 0) conventions).
export function activationBackwardNaive(name: ActivationName, dy: number, x: number, y: number, alpha = 0.2): number {
  switch (name) {
    case "relu":
      return x > 0 ? dy : 0;
    case "leaky_relu":
      return x > 0 ? dy : dy * alpha;
    case "sigmoid":
      return dy * y * (1 - y);
    case "tanh":
      return dy * (1 - y * y);
    case "linear":
      return dy;
  }
}

// ------------------------------------------------------------------------------------------------ losses

export const BCE_EPS = 1e-7;

/** The plain form of sigmoid_bce (assembly/loss.ts). Keras/tfjs binary cross-entropy on sigmoid(z): p clipped to
 *  [1e-7, 1 - 1e-7], mean over the n rows; rows [0, split) have target yHead, the rest yTail. The gradient is
 *  d(mean loss)/dz, 0 where the clip holds. */
export function sigmoidBCENaive(
  z: ArrayLike<number>,
  split: number,
  yHead: number,
  yTail: number,
): { loss: number; grad: Float64Array } {
  const n = z.length,
    grad = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const y = i < split ? yHead : yTail;
    const raw = 1 / (1 + Math.exp(-z[i]!));
    const p = Math.min(Math.max(raw, BCE_EPS), 1 - BCE_EPS);
    total += -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
    grad[i] = p === raw ? (p - y) / n : 0;
  }
  return { loss: total / n, grad };
}

/** Least squares on a raw score: mean (z - y)², gradient 2 (z - y) / n. The plain form of squared_error
 *  (assembly/loss.ts). */
export function squaredErrorNaive(
  z: ArrayLike<number>,
  split: number,
  yHead: number,
  yTail: number,
): { loss: number; grad: Float64Array } {
  const n = z.length,
    grad = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = z[i]! - (i < split ? yHead : yTail);
    total += d * d;
    grad[i] = (2 * d) / n;
  }
  return { loss: total / n, grad };
}

/** Softmax of logits z [M, C] by rows and the mean cross-entropy against class labels, with its gradient
 *  (p - onehot) / M: the reference of assembly/softmax.ts. */
export function softmaxCENaive(
  z: ArrayLike<number>,
  labels: ArrayLike<number>,
  M: number,
  C: number,
): { loss: number; grad: Float64Array; p: Float64Array } {
  const p = new Float64Array(M * C),
    grad = new Float64Array(M * C);
  let total = 0;
  for (let i = 0; i < M; i++) {
    let m = -Infinity,
      s = 0;
    for (let j = 0; j < C; j++) m = Math.max(m, z[i * C + j]!);
    for (let j = 0; j < C; j++) s += Math.exp(z[i * C + j]! - m);
    const y = labels[i]!;
    total += Math.log(s) - (z[i * C + y]! - m);
    for (let j = 0; j < C; j++) {
      p[i * C + j] = Math.exp(z[i * C + j]! - m) / s;
      grad[i * C + j] = (p[i * C + j]! - (j === y ? 1 : 0)) / M;
    }
  }
  return { loss: total / M, grad, p };
}

// -------------------------------------------------------------------------------------------- optimizers
// Each class holds its slots as tfjs's optimizer does and updates w in place. Scalars enter as tfjs makes
// them: a JS number such as `1 - beta1` is computed in float64, then becomes a float32 scalar tensor.

/** tf.train.adam: accBeta starts at beta (float32) and is multiplied by beta after each step. The plain form
 *  of adam_update (assembly/optim.ts). */
export class AdamNaive {
  readonly m: Float32Array;
  readonly v: Float32Array;
  private accBeta1: number;
  private accBeta2: number;

  constructor(
    n: number,
    readonly lr: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-7,
  ) {
    this.m = new Float32Array(n);
    this.v = new Float32Array(n);
    this.accBeta1 = f(beta1);
    this.accBeta2 = f(beta2);
  }

  step(w: Float32Array, g: ArrayLike<number>): void {
    const b1 = f(this.beta1),
      b2 = f(this.beta2),
      a1 = f(1 - this.beta1),
      a2 = f(1 - this.beta2);
    const c1 = f(1 - this.accBeta1),
      c2 = f(1 - this.accBeta2),
      eps = f(this.eps),
      negLr = f(-this.lr);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const m = f(f(this.m[i]! * b1) + f(gi * a1));
      const v = f(f(this.v[i]! * b2) + f(f(gi * gi) * a2));
      const step = f(f(m / c1) / f(f(Math.sqrt(f(v / c2))) + eps));
      this.m[i] = m;
      this.v[i] = v;
      w[i] = f(f(step * negLr) + w[i]!);
    }
    this.accBeta1 = f(this.accBeta1 * f(this.beta1));
    this.accBeta2 = f(this.accBeta2 * f(this.beta2));
  }
}

/** tf.train.rmsprop, uncentred: ms = rho ms + (1-rho) g²; mom = momentum mom + lr g / sqrt(ms + eps); w -= mom.
 *  The plain form of rmsprop_update (assembly/optim.ts). */
export class RMSpropNaive {
  readonly ms: Float32Array;
  readonly mom: Float32Array;

  constructor(
    n: number,
    readonly lr: number,
    readonly rho = 0.9,
    readonly momentum = 0,
    readonly eps = 1e-7,
  ) {
    this.ms = new Float32Array(n);
    this.mom = new Float32Array(n);
  }

  step(w: Float32Array, g: ArrayLike<number>): void {
    const rho = f(this.rho),
      a = f(1 - this.rho),
      mu = f(this.momentum),
      lr = f(this.lr),
      eps = f(this.eps);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const ms = f(f(this.ms[i]! * rho) + f(f(gi * gi) * a));
      const mom = f(f(this.mom[i]! * mu) + f(f(gi * lr) / f(Math.sqrt(f(ms + eps)))));
      this.ms[i] = ms;
      this.mom[i] = mom;
      w[i] = f(w[i]! - mom);
    }
  }
}

/** tf.train.momentum (not Nesterov): acc = momentum acc + g; w += (-lr) acc. The plain form of sgd_update
 *  (assembly/optim.ts). */
export class MomentumNaive {
  readonly acc: Float32Array;

  constructor(
    n: number,
    readonly lr: number,
    readonly momentum = 0,
  ) {
    this.acc = new Float32Array(n);
  }

  step(w: Float32Array, g: ArrayLike<number>): void {
    const mu = f(this.momentum),
      negLr = f(-this.lr);
    for (let i = 0; i < w.length; i++) {
      const acc = f(f(mu * this.acc[i]!) + g[i]!);
      this.acc[i] = acc;
      w[i] = f(f(negLr * acc) + w[i]!);
    }
  }
}

// ------------------------------------------------------------------------------------------------- PRNG

/** Scalar xoshiro128** (Blackman & Vigna, 2018) on four 32-bit words: one lane of rng_seed / rng_uniform /
 *  rng_normal (assembly/random.ts). */
export class Xoshiro128ss {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 >>> 0;
    this.s1 = s1 >>> 0;
    this.s2 = s2 >>> 0;
    this.s3 = s3 >>> 0;
  }

  next(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

// ------------------------------------------------------------------------------------ float64 MLP forward

export interface Layer64 {
  inputs: number;
  units: number;
  activation: ActivationName;
  alpha: number;
}

/** y = act(x·W + b) layer by layer in float64, weights in Keras order (kernel [in, out] row-major, bias).
 *  onPre sees each layer's pre-activation, for tests that must stay clear of relu's kink. */
export function mlpForward64(
  weights: readonly ArrayLike<number>[],
  layers: readonly Layer64[],
  x: ArrayLike<number>,
  rows: number,
  onPre?: (layer: number, z: Float64Array) => void,
): Float64Array {
  let h: ArrayLike<number> = x;
  layers.forEach((l, i) => {
    const { c } = gemmNNNaive(h, weights[2 * i]!, weights[2 * i + 1]!, null, rows, l.inputs, l.units);
    onPre?.(i, c);
    h = c.map((v) => activationForwardNaive(l.activation, v, l.alpha));
  });
  return Float64Array.from(h);
}
