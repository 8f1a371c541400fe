// Dense-layer products on row-major f32 matrices addressed by byte pointers. Three forms, so training
// never materialises a transpose; each is the forward or a backward product of a layer y = act(x·W + b):
//   gemm_nn  C[M,N] (+)= A[M,K] · B[K,N] (+ bias)   forward:   y = act(x·W + b)
//   gemm_tn  C[K,N] (+)= A[M,K]ᵀ · B[M,N]           backward:  dW = xᵀ·dz
//   gemm_nt  C[M,K] (+)= A[M,N] · B[K,N]ᵀ           backward:  dx = dz·Wᵀ, through the activation below
// The bias gradient db = 1ᵀ·dz is reductions.ts', a one-unit layer's backward unit.ts'. Which product runs
// for which layer shape is decided by the host (src/kernels/planner.ts), never here.
// There is no FMA outside relaxed-simd, so every engine rounds mul and add the same way.

import { dot, sum4 } from "./lanes";
import { ACT_NONE, finish, finish1, slope, slopeOf } from "./activations";
import { rowDots } from "./unit";

const F = 4; // bytes per f32

// Tile start: what C held (when accumulating) plus the bias vector bv (zero without a bias). The bias is
// loaded once per tile for all its rows, and a fresh tile starts from it without an add.
@inline function start(c: usize, bv: v128, accumulate: bool): v128 {
  return accumulate ? f32x4.add(v128.load(c), bv) : bv;
}

// The bias vector at column offset o, or zeros.
@inline function biasAt(bias: usize, o: usize): v128 {
  return bias ? v128.load(bias + o) : f32x4.splat(0);
}

@inline function start1(c: usize, bias: usize, accumulate: bool): f32 {
  let v: f32 = accumulate ? load<f32>(c) : 0;
  if (bias) v += load<f32>(bias);
  return v;
}

// C[M,N] (+)= A[M,K] · B[K,N] (+ bias[N]), then the fused activation act (ACT_*; alpha: leaky relu's slope):
// a layer's forward y = act(x·W + b). bias = 0 means none. N = 1 (one unit) runs as one dot product per row.
// reference: gemmNNNaive in test/reference.ts
export function gemm_nn(c: usize, a: usize, b: usize, bias: usize, M: i32, K: i32, N: i32, accumulate: bool,
                        act: i32, alpha: f32): void {
  if (N == 1) rowDots(c, a, b, bias ? load<f32>(bias) : 0, M, K, accumulate, act, alpha);
  else blockedRowsTimesB(c, a, K, 1, b, bias, M, K, N, accumulate, act, alpha);
}

// Large products sweep the inner dimension in slices, so the slice of B that every row block reads again
// (L_BLOCK rows of B) stays in the L2 cache instead of streaming from memory once per block of four rows.
// The activation is applied with the last slice, when the sums are complete.
const L_BLOCK = 128;

function blockedRowsTimesB(c: usize, a: usize, rs: i32, ls: i32, b: usize, bias: usize,
                           rows: i32, L: i32, N: i32, accumulate: bool, act: i32, alpha: f32): void {
  if (L <= 2 * L_BLOCK || N < 64) {
    rowsTimesB(c, a, rs, ls, b, bias, rows, L, N, accumulate, act, alpha);
    return;
  }
  for (let l = 0; l < L; l += L_BLOCK) {
    const len = min(L_BLOCK, L - l);
    rowsTimesB(c, a + <usize>l * <usize>ls * F, rs, ls, b + <usize>l * <usize>N * F, l == 0 ? bias : 0,
      rows, len, N, accumulate || l > 0, l + len == L ? act : ACT_NONE, alpha);
  }
}

// The shared engine of gemm_nn and gemm_tn. Row i of C is sum over l of A(i,l) · B[l,:], where A(i,l)
// sits at a + (i*rs + l*ls)*4: (rs, ls) = (K, 1) reads A, (1, K) reads Aᵀ. Tiles of 4 rows x 8 columns keep
// eight accumulators in registers; wider tiles spill on V8's sixteen xmm registers.
function rowsTimesB(c: usize, a: usize, rs: i32, ls: i32, b: usize, bias: usize,
                    rows: i32, L: i32, N: i32, accumulate: bool, act: i32, alpha: f32): void {
  const al = slope(act, alpha);
  const rstep = <usize>rs * F, lstep = <usize>ls * F, bstep = <usize>N * F, cstep = <usize>N * F;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const ai = a + <usize>i * rstep, ci = c + <usize>i * cstep;
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      const cj = ci + <usize>j * F, v0 = biasAt(bias, <usize>j * F), v1 = biasAt(bias, <usize>j * F + 16);
      let c00 = start(cj, v0, accumulate), c01 = start(cj + 16, v1, accumulate);
      let c10 = start(cj + cstep, v0, accumulate), c11 = start(cj + cstep + 16, v1, accumulate);
      let c20 = start(cj + 2 * cstep, v0, accumulate), c21 = start(cj + 2 * cstep + 16, v1, accumulate);
      let c30 = start(cj + 3 * cstep, v0, accumulate), c31 = start(cj + 3 * cstep + 16, v1, accumulate);
      let pa = ai, pb = b + <usize>j * F;
      for (let l = 0; l < L; l++) {
        const b0 = v128.load(pb), b1 = v128.load(pb, 16);
        let s = v128.load32_splat(pa);
        c00 = f32x4.add(c00, f32x4.mul(s, b0)); c01 = f32x4.add(c01, f32x4.mul(s, b1));
        s = v128.load32_splat(pa + rstep);
        c10 = f32x4.add(c10, f32x4.mul(s, b0)); c11 = f32x4.add(c11, f32x4.mul(s, b1));
        s = v128.load32_splat(pa + 2 * rstep);
        c20 = f32x4.add(c20, f32x4.mul(s, b0)); c21 = f32x4.add(c21, f32x4.mul(s, b1));
        s = v128.load32_splat(pa + 3 * rstep);
        c30 = f32x4.add(c30, f32x4.mul(s, b0)); c31 = f32x4.add(c31, f32x4.mul(s, b1));
        pa += lstep; pb += bstep;
      }
      v128.store(cj, finish(c00, al)); v128.store(cj, finish(c01, al), 16);
      v128.store(cj + cstep, finish(c10, al)); v128.store(cj + cstep, finish(c11, al), 16);
      v128.store(cj + 2 * cstep, finish(c20, al)); v128.store(cj + 2 * cstep, finish(c21, al), 16);
      v128.store(cj + 3 * cstep, finish(c30, al)); v128.store(cj + 3 * cstep, finish(c31, al), 16);
    }
    for (; j + 4 <= N; j += 4) {
      const cj = ci + <usize>j * F, v0 = biasAt(bias, <usize>j * F);
      let c0 = start(cj, v0, accumulate), c1 = start(cj + cstep, v0, accumulate);
      let c2 = start(cj + 2 * cstep, v0, accumulate), c3 = start(cj + 3 * cstep, v0, accumulate);
      let pa = ai, pb = b + <usize>j * F;
      for (let l = 0; l < L; l++) {
        const b0 = v128.load(pb);
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), b0));
        c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(pa + rstep), b0));
        c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(pa + 2 * rstep), b0));
        c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(pa + 3 * rstep), b0));
        pa += lstep; pb += bstep;
      }
      v128.store(cj, finish(c0, al)); v128.store(cj + cstep, finish(c1, al));
      v128.store(cj + 2 * cstep, finish(c2, al)); v128.store(cj + 3 * cstep, finish(c3, al));
    }
    if (j < N) narrowColumns(ci, ai, rstep, lstep, b, bias, 4, L, N, j, accumulate, act, alpha);
  }
  for (; i < rows; i++) {
    const ai = a + <usize>i * rstep, ci = c + <usize>i * cstep;
    let j = 0;
    for (; j + 16 <= N; j += 16) {
      // A single row (a one-dimensional input's weight gradient): 16 columns keep four independent sums
      // in flight, where 8 would wait on the adder's latency.
      const cj = ci + <usize>j * F, o = <usize>j * F;
      let c0 = start(cj, biasAt(bias, o), accumulate), c1 = start(cj + 16, biasAt(bias, o + 16), accumulate);
      let c2 = start(cj + 32, biasAt(bias, o + 32), accumulate), c3 = start(cj + 48, biasAt(bias, o + 48), accumulate);
      let pa = ai, pb = b + <usize>j * F;
      for (let l = 0; l < L; l++) {
        const s = v128.load32_splat(pa);
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(pb)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(pb, 16)));
        c2 = f32x4.add(c2, f32x4.mul(s, v128.load(pb, 32)));
        c3 = f32x4.add(c3, f32x4.mul(s, v128.load(pb, 48)));
        pa += lstep; pb += bstep;
      }
      v128.store(cj, finish(c0, al)); v128.store(cj, finish(c1, al), 16);
      v128.store(cj, finish(c2, al), 32); v128.store(cj, finish(c3, al), 48);
    }
    for (; j + 8 <= N; j += 8) {
      const cj = ci + <usize>j * F, o = <usize>j * F;
      let c0 = start(cj, biasAt(bias, o), accumulate), c1 = start(cj + 16, biasAt(bias, o + 16), accumulate);
      let pa = ai, pb = b + <usize>j * F;
      for (let l = 0; l < L; l++) {
        const s = v128.load32_splat(pa);
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(pb)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(pb, 16)));
        pa += lstep; pb += bstep;
      }
      v128.store(cj, finish(c0, al)); v128.store(cj, finish(c1, al), 16);
    }
    for (; j + 4 <= N; j += 4) {
      const cj = ci + <usize>j * F;
      let c0 = start(cj, biasAt(bias, <usize>j * F), accumulate);
      let pa = ai, pb = b + <usize>j * F;
      for (let l = 0; l < L; l++) {
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), v128.load(pb)));
        pa += lstep; pb += bstep;
      }
      v128.store(cj, finish(c0, al));
    }
    if (j < N) narrowColumns(ci, ai, rstep, lstep, b, bias, 1, L, N, j, accumulate, act, alpha);
  }
}

// The last N-j (< 4) columns of `rows` rows, one scalar dot product each.
function narrowColumns(ci: usize, ai: usize, rstep: usize, lstep: usize, b: usize, bias: usize,
                       rows: i32, L: i32, N: i32, j0: i32, accumulate: bool, act: i32, alpha: f32): void {
  const bstep = <usize>N * F;
  for (let r = 0; r < rows; r++) {
    for (let j = j0; j < N; j++) {
      const cij = ci + (<usize>r * N + j) * F;
      let s = start1(cij, bias ? bias + <usize>j * F : 0, accumulate);
      let pa = ai + <usize>r * rstep, pb = b + <usize>j * F;
      for (let l = 0; l < L; l++) { s += load<f32>(pa) * load<f32>(pb); pa += lstep; pb += bstep; }
      store<f32>(cij, finish1(s, slopeOf(act, alpha)));
    }
  }
}

// C[K,N] (+)= A[M,K]ᵀ · B[M,N]: the weight gradient dW = xᵀ·dz of a layer of N units (one unit: unit.ts).
// reference: gemmTNNaive in test/reference.ts
export function gemm_tn(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, accumulate: bool): void {
  blockedRowsTimesB(c, a, 1, K, b, 0, K, M, N, accumulate, ACT_NONE, 0);
}

// C[M,K] (+)= A[M,N] · B[K,N]ᵀ: the input gradient dx = dz·Wᵀ; every output is a dot product of two
// contiguous rows. Unless act is ACT_NONE, each output then passes through the backward of that activation
// (relu, or leaky relu with slope alpha), whose forward output is mask [M,K] (the layer's input x): dx and
// the activation below it in one pass. mask is read only then. (One unit, N = 1: unit_backward, unit.ts.)
// reference: gemmNTNaive in test/reference.ts
export function gemm_nt(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, accumulate: bool,
                        mask: usize, act: i32, alpha: f32): void {
  if (K == 1 && act == ACT_NONE) {
    // One row of B (the input gradient of a one-dimensional sample): the dot products of gemm_nn's N = 1.
    rowDots(c, a, b, 0, M, N, accumulate, ACT_NONE, 0);
    return;
  }
  // From here on mask != 0 means gated, with the activation's slope below zero.
  if (act == ACT_NONE) mask = 0;
  alpha = slopeOf(act, alpha);
  const rowA = <usize>N * F, rowC = <usize>K * F;
  const N4 = N & ~3;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const ai = a + <usize>i * rowA, ci = c + <usize>i * rowC, mi = mask + <usize>i * rowC;
    let k = 0;
    for (; k + 2 <= K; k += 2) {
      // Four rows of A against two rows of B: eight lane-wise partial sums, reduced once at the end.
      const bk = b + <usize>k * rowA, bk1 = bk + rowA;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      for (let n = 0; n < N4; n += 4) {
        const o = <usize>n * F;
        const b0 = v128.load(bk + o), b1 = v128.load(bk1 + o);
        let x = v128.load(ai + o);
        s00 = f32x4.add(s00, f32x4.mul(x, b0)); s01 = f32x4.add(s01, f32x4.mul(x, b1));
        x = v128.load(ai + rowA + o);
        s10 = f32x4.add(s10, f32x4.mul(x, b0)); s11 = f32x4.add(s11, f32x4.mul(x, b1));
        x = v128.load(ai + 2 * rowA + o);
        s20 = f32x4.add(s20, f32x4.mul(x, b0)); s21 = f32x4.add(s21, f32x4.mul(x, b1));
        x = v128.load(ai + 3 * rowA + o);
        s30 = f32x4.add(s30, f32x4.mul(x, b0)); s31 = f32x4.add(s31, f32x4.mul(x, b1));
      }
      // Column k's four sums as the lanes of one vector, then column k + 1's.
      let v0 = sum4(s00, s10, s20, s30), v1 = sum4(s01, s11, s21, s31);
      if (N4 < N) {
        const a1 = ai + rowA, a2 = a1 + rowA, a3 = a2 + rowA;
        v0 = f32x4.add(v0, f32x4(tail(ai, bk, N4, N), tail(a1, bk, N4, N), tail(a2, bk, N4, N), tail(a3, bk, N4, N)));
        v1 = f32x4.add(v1, f32x4(tail(ai, bk1, N4, N), tail(a1, bk1, N4, N), tail(a2, bk1, N4, N),
          tail(a3, bk1, N4, N)));
      }
      ntPut4(ci, mi, k, rowC, v0, accumulate, mask, alpha);
      ntPut4(ci, mi, k + 1, rowC, v1, accumulate, mask, alpha);
    }
    for (; k < K; k++) {
      for (let r = 0; r < 4; r++) {
        const o = <usize>r * rowC;
        ntDot(ci + o, mi + o, k, ai + <usize>r * rowA, b + <usize>k * rowA, N, accumulate, mask, alpha);
      }
    }
  }
  for (; i < M; i++) {
    const ai = a + <usize>i * rowA, ci = c + <usize>i * rowC, mi = mask + <usize>i * rowC;
    for (let k = 0; k < K; k++) ntDot(ci, mi, k, ai, b + <usize>k * rowA, N, accumulate, mask, alpha);
  }
}

// The scalar part of a row-by-row dot product past the last multiple of four.
function tail(arow: usize, brow: usize, n4: i32, N: i32): f32 {
  let s: f32 = 0;
  for (let n = n4; n < N; n++) s += load<f32>(arow + <usize>n * F) * load<f32>(brow + <usize>n * F);
  return s;
}

// Column k of four consecutive rows of C, one lane of v each.
function ntPut4(ci: usize, mi: usize, k: i32, rowC: usize, v: v128, accumulate: bool, mask: usize, alpha: f32): void {
  ntPut(ci, mi, k, f32x4.extract_lane(v, 0), accumulate, mask, alpha);
  ntPut(ci + rowC, mi + rowC, k, f32x4.extract_lane(v, 1), accumulate, mask, alpha);
  ntPut(ci + 2 * rowC, mi + 2 * rowC, k, f32x4.extract_lane(v, 2), accumulate, mask, alpha);
  ntPut(ci + 3 * rowC, mi + 3 * rowC, k, f32x4.extract_lane(v, 3), accumulate, mask, alpha);
}

// One gemm_nt output as a dot product of a row of A and a row of B (the leftover rows and columns).
function ntDot(ci: usize, mi: usize, k: i32, arow: usize, brow: usize, N: i32, accumulate: bool, mask: usize,
               alpha: f32): void {
  ntPut(ci, mi, k, dot(arow, brow, N), accumulate, mask, alpha);
}

// Store one gemm_nt output at column k of row ci, accumulating and masking as asked.
@inline function ntPut(ci: usize, mi: usize, k: i32, s: f32, accumulate: bool, mask: usize, alpha: f32): void {
  const p = ci + <usize>k * F;
  if (accumulate) s += load<f32>(p);
  if (mask && !(load<f32>(mi + <usize>k * F) > 0)) s *= alpha;
  store<f32>(p, s);
}
