// A one-unit layer z = x·w + b (a logit, a one-dimensional sample): x [M,K], w [K], z and dz [M]. Its
// products are dot and outer products, which the blocked GEMM tiles would mostly waste; forward beside backward.
// The reference workload's whole discriminator, one input through a relu layer to one logit, has fused
// kernels in critic.ts.

import { dot, sum4 } from "./lanes";
import { finish, finish1, slopeOf } from "./activations";

const F = 4;

// The forward: C[M] (+)= A[M,K] · b[K] + b0, then act: one dot product along K per row. gemm_nn runs it for
// N = 1, gemm_nt for K = 1 (the input gradient of a one-dimensional sample, through one row of W).
// reference: gemmNNNaive (N = 1) in test/reference.ts
export function rowDots(c: usize, a: usize, b: usize, b0: f32, M: i32, K: i32, accumulate: bool, act: i32,
                        alpha: f32): void {
  const K4 = K & ~3, row = <usize>K * F, s1 = slopeOf(act, alpha), sl = f32x4.splat(s1);
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    // Four rows at once: four independent sums, reduced together.
    const a0 = a + <usize>i * row;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let k = 0;
    for (; k + 8 <= K; k += 8) {
      // Eight columns per step, added in pairs first: each sum waits on one add per eight columns.
      const o = <usize>k * F, w = v128.load(b + o), v = v128.load(b + o, 16);
      const r0 = a0 + o, r1 = r0 + row, r2 = r1 + row, r3 = r2 + row;
      s0 = f32x4.add(s0, f32x4.add(f32x4.mul(v128.load(r0), w), f32x4.mul(v128.load(r0, 16), v)));
      s1 = f32x4.add(s1, f32x4.add(f32x4.mul(v128.load(r1), w), f32x4.mul(v128.load(r1, 16), v)));
      s2 = f32x4.add(s2, f32x4.add(f32x4.mul(v128.load(r2), w), f32x4.mul(v128.load(r2, 16), v)));
      s3 = f32x4.add(s3, f32x4.add(f32x4.mul(v128.load(r3), w), f32x4.mul(v128.load(r3, 16), v)));
    }
    for (; k < K4; k += 4) {
      const o = <usize>k * F, w = v128.load(b + o);
      s0 = f32x4.add(s0, f32x4.mul(v128.load(a0 + o), w));
      s1 = f32x4.add(s1, f32x4.mul(v128.load(a0 + row + o), w));
      s2 = f32x4.add(s2, f32x4.mul(v128.load(a0 + 2 * row + o), w));
      s3 = f32x4.add(s3, f32x4.mul(v128.load(a0 + 3 * row + o), w));
    }
    let sums = f32x4.add(sum4(s0, s1, s2, s3), f32x4.splat(b0));
    const ci = c + <usize>i * F;
    if (accumulate) sums = f32x4.add(sums, v128.load(ci));
    for (let k = K4; k < K; k++) {
      const w = load<f32>(b + <usize>k * F), o = <usize>k * F;
      sums = f32x4.add(sums, f32x4.mul(f32x4.splat(w), f32x4(load<f32>(a0 + o), load<f32>(a0 + row + o),
        load<f32>(a0 + 2 * row + o), load<f32>(a0 + 3 * row + o))));
    }
    v128.store(ci, finish(sums, sl));
  }
  for (; i < M; i++) {
    const ci = c + <usize>i * F;
    store<f32>(ci, finish1((accumulate ? load<f32>(ci) : 0) + b0 + dot(a + <usize>i * K * F, b, K), s1));
  }
}


// unit_backward's sweeps down the rows, eight columns each.
@inline function unitColumns(dw: usize, dx: usize, x: usize, dz: usize, w: usize, M: i32, K: i32,
                             accumulate: bool, relu: bool, a: f32, k0: i32, k1: i32): void {
  const lo = f32x4.splat(a), rise = f32x4.splat(1 - a), zero = f32x4.splat(0), row = <usize>K * F;
  for (let j = k0; j + 8 <= k1; j += 8) {
    const o = <usize>j * F, w0 = v128.load(w + o), w1 = v128.load(w + o, 16);
    let s0 = zero, s1 = zero, px = x + o, pd = dx + o;
    for (let i = 0; i < M; i++) {
      const g = v128.load32_splat(dz + <usize>i * F), x0 = v128.load(px), x1 = v128.load(px, 16);
      s0 = f32x4.add(s0, f32x4.mul(x0, g));
      s1 = f32x4.add(s1, f32x4.mul(x1, g));
      unitGate(pd, g, x0, x1, w0, w1, dx, relu, lo, rise);
      px += row; pd += row;
    }
    const dj = dw + o;
    if (!dw) continue;
    if (accumulate) { s0 = f32x4.add(s0, v128.load(dj)); s1 = f32x4.add(s1, v128.load(dj, 16)); }
    v128.store(dj, s0); v128.store(dj, s1, 16);
  }
}

// One row's eight dx values g·w, gated on x.
@inline function unitGate(pd: usize, g: v128, x0: v128, x1: v128, w0: v128, w1: v128, dx: usize, relu: bool,
                          lo: v128, rise: v128): void {
  const zero = f32x4.splat(0);
  if (relu) {
    v128.store(pd, v128.and(f32x4.mul(g, w0), f32x4.gt(x0, zero)));
    v128.store(pd, v128.and(f32x4.mul(g, w1), f32x4.gt(x1, zero)), 16);
  } else if (dx) {
    v128.store(pd, f32x4.mul(f32x4.mul(g, w0), f32x4.add(lo, v128.and(rise, f32x4.gt(x0, zero)))));
    v128.store(pd, f32x4.mul(f32x4.mul(g, w1), f32x4.add(lo, v128.and(rise, f32x4.gt(x1, zero)))), 16);
  }
}

// The backward: dw[K] (+)= xᵀ·dz and, when dx != 0, dx[M,K] = dz · wᵀ, in one sweep over x, which both
// products read (gemm_tn and gemm_nt with N = 1). Unless act is ACT_NONE, dx passes through the backward of
// the activation that produced x (relu, or leaky relu with slope alpha), gated on x itself. dw = 0 asks for
// dx alone (the gradient through a frozen layer). Sweeps of eight columns: wider ones run out of registers
// and spill the sums.
// reference: gemmTNNaive and gemmNTNaive (N = 1, mask x) in test/reference.ts
export function unit_backward(dw: usize, dx: usize, x: usize, dz: usize, w: usize, M: i32, K: i32,
                              accumulate: bool, act: i32, alpha: f32): void {
  unitBackward(dw, dx, x, dz, w, M, K, accumulate, act, alpha, 0, K);
}

// Columns [k0, k1) of unit_backward's dw and dx, each computed exactly as the whole call computes it: a
// thread's share of a one-unit layer's backward (src/wasm/pool.ts). k0 is a multiple of 8, k1 too unless
// it is K, so every column falls in the same kind of sweep as in the whole call.
// reference: gemmTNNaive and gemmNTNaive (N = 1, mask x) in test/reference.ts
export function unit_backward_cols(dw: usize, dx: usize, x: usize, dz: usize, w: usize, M: i32, K: i32,
                                   accumulate: bool, act: i32, alpha: f32, k0: i32, k1: i32): void {
  unitBackward(dw, dx, x, dz, w, M, K, accumulate, act, alpha, k0, k1);
}

function unitBackward(dw: usize, dx: usize, x: usize, dz: usize, w: usize, M: i32, K: i32,
                      accumulate: bool, act: i32, alpha: f32, k0: i32, k1: i32): void {
  const a = slopeOf(act, alpha);
  // Behind a relu the gate is a bitwise and; otherwise its factor is a + (1 - a)·[x > 0]: 1 where the
  // activation passed x, alpha elsewhere, and 1 everywhere without one.
  if (a == 0 && dx) unitColumns(dw, dx, x, dz, w, M, K, accumulate, true, 0, k0, k1);
  else unitColumns(dw, dx, x, dz, w, M, K, accumulate, false, a, k0, k1);
  const row = <usize>K * F;
  for (let j = k0 + ((k1 - k0) & ~7); j < k1; j++) {
    // The last (k1 - k0) mod 8 columns one at a time.
    const o = <usize>j * F, wj = load<f32>(w + o);
    let s: f32 = accumulate ? load<f32>(dw + o) : 0, px = x + o;
    for (let i = 0; i < M; i++) {
      const g = load<f32>(dz + <usize>i * F), xv = load<f32>(px), d = g * wj;
      s += xv * g;
      if (dx) store<f32>(dx + <usize>i * row + o, xv > 0 ? d : d * a);
      px += row;
    }
    if (dw) store<f32>(dw + o, s);
  }
}
