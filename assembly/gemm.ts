// Dense-layer products on row-major f32 matrices addressed by byte pointers.
// Three forms, so training never materialises a transpose:
//   gemm_nn  C[M,N] (+)= A[M,K] · B[K,N] (+ bias)   forward:   y = x·W + b
//   gemm_tn  C[K,N] (+)= A[M,K]ᵀ · B[M,N]           backward:  dW = xᵀ·dy
//   gemm_nt  C[M,K] (+)= A[M,N] · B[K,N]ᵀ           backward:  dx = dy·Wᵀ
// and unit_backward, both backward products of a one-unit layer (a logit) in one sweep. The seed's
// discriminator, one input to one logit, has fused kernels of its own in critic.ts.
// There is no FMA outside relaxed-simd, so every engine rounds mul and add the same way.

import { hsum, sum4 } from "./lanes";

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

// Activations fused into the forward product's store: 0 none, 1 relu, 2 leaky relu (slope alpha).
// The output alone then tells where the pre-activation was positive, for the backward pass.
export const ACT_NONE = 0, ACT_RELU = 1, ACT_LEAKY = 2;

// Every fused activation is max(v, s·v + 0) for a slope s of 1, 0 or alpha <= 1 (the host fuses no leakier
// one): three operations and no branch. Branches on act per store cost more, as the optimiser evaluates
// every arm and selects. The + 0 makes relu's zero positive; pmax is the plain maxps (f32x4.max's NaN and
// signed-zero rules take several instructions on x86).
@inline function slope1(act: i32, alpha: f32): f32 {
  return act == ACT_NONE ? 1 : act == ACT_RELU ? 0 : alpha;
}

@inline function slope(act: i32, alpha: f32): v128 {
  return f32x4.splat(slope1(act, alpha));
}

@inline function finish(v: v128, s: v128): v128 {
  return f32x4.pmax(f32x4.add(f32x4.mul(v, s), f32x4.splat(0)), v);
}

@inline function finish1(v: f32, s: f32): f32 {
  const w = v * s + 0;
  return w < v ? v : w;
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
      store<f32>(cij, finish1(s, slope1(act, alpha)));
    }
  }
}

// Dot product of n contiguous floats, four lanes at a time.
@inline function dot(x: usize, y: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let k = 0;
  for (; k + 4 <= n; k += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(x + <usize>k * F), v128.load(y + <usize>k * F)));
  let s = hsum(acc);
  for (; k < n; k++) s += load<f32>(x + <usize>k * F) * load<f32>(y + <usize>k * F);
  return s;
}

// C[M] (+)= A[M,K] · b[K] + b0, then act: one dot product along K per row (a logit, a 1-D sample).
function rowDots(c: usize, a: usize, b: usize, b0: f32, M: i32, K: i32, accumulate: bool, act: i32, alpha: f32): void {
  const K4 = K & ~3, row = <usize>K * F, s1 = slope1(act, alpha), sl = f32x4.splat(s1);
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

// C[M,N] (+)= A[M,K] · B[K,N] (+ bias[N]), then the fused activation act (ACT_*); bias = 0 means none.
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

// C[K,N] (+)= A[M,K]ᵀ · B[M,N].
export function gemm_tn(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, accumulate: bool): void {
  // Aᵀ·b with one column is the weight gradient of a one-unit layer.
  if (N == 1) unit_backward(c, 0, a, b, a, M, K, accumulate, false, 0);
  else blockedRowsTimesB(c, a, 1, K, b, 0, K, M, N, accumulate, ACT_NONE, 0);
}

// Rows [k0, k1) of gemm_tn's C (N > 1), each summed exactly as gemm_tn sums it: the thread pool's share of
// a weight gradient, split over the output because the reduction over M must stay in one order.
export function gemm_tn_rows(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, accumulate: bool,
                             k0: i32, k1: i32): void {
  blockedRowsTimesB(c + <usize>k0 * <usize>N * F, a + <usize>k0 * F, 1, K, b, 0, k1 - k0, M, N, accumulate,
    ACT_NONE, 0);
}

// C[M,K] (+)= A[M,N] · B[K,N]ᵀ: every output is a dot product of two contiguous rows.
// With mask != 0, each output then passes through the backward of a relu / leaky relu (slope alpha) whose
// forward output is mask [M,K]: dx = dy·Wᵀ and the activation below it, fused in one pass.
export function gemm_nt(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, accumulate: bool,
                        mask: usize, alpha: f32): void {
  if (K == 1 && !mask) {
    // One row of B (the input gradient of a one-dimensional sample): the dot products of gemm_nn's N = 1.
    rowDots(c, a, b, 0, M, N, accumulate, ACT_NONE, 0);
    return;
  }
  if (N == 1 && !accumulate) {
    // An outer product a ⊗ b, the input gradient of a one-unit layer: unit_backward without its dw.
    unit_backward(0, c, mask ? mask : c, a, b, M, K, false, mask != 0, alpha);
    return;
  }
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
        v1 = f32x4.add(v1, f32x4(tail(ai, bk1, N4, N), tail(a1, bk1, N4, N), tail(a2, bk1, N4, N), tail(a3, bk1, N4, N)));
      }
      ntPut4(ci, mi, k, rowC, v0, accumulate, mask, alpha);
      ntPut4(ci, mi, k + 1, rowC, v1, accumulate, mask, alpha);
    }
    for (; k < K; k++) {
      for (let r = 0; r < 4; r++) ntDot(ci + <usize>r * rowC, mi + <usize>r * rowC, k, ai + <usize>r * rowA, b + <usize>k * rowA, N, accumulate, mask, alpha);
    }
  }
  for (; i < M; i++) {
    const ai = a + <usize>i * rowA, ci = c + <usize>i * rowC, mi = mask + <usize>i * rowC;
    for (let k = 0; k < K; k++) ntDot(ci, mi, k, ai, b + <usize>k * rowA, N, accumulate, mask, alpha);
  }
}

// unit_backward's sweeps down the rows, eight columns each.
@inline function unitColumns(dw: usize, dx: usize, x: usize, dz: usize, w: usize, M: i32, K: i32,
                             accumulate: bool, relu: bool, a: f32): void {
  const lo = f32x4.splat(a), rise = f32x4.splat(1 - a), zero = f32x4.splat(0), row = <usize>K * F;
  for (let j = 0; j + 8 <= K; j += 8) {
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

// The backward of a one-unit layer z = x·w + b (x [M,K], w [K], dz [M]) in one sweep over x, which both
// products read: dw[K] (+)= xᵀ·dz (gemm_tn with N = 1) and, when dx != 0, dx[M,K] = dz · wᵀ (gemm_nt with
// N = 1), passed through the backward of the relu / leaky relu (slope alpha) that produced x when mask is set.
// dw = 0 asks for dx alone (the gradient through a frozen layer). Sweeps of eight columns: wider ones run
// out of registers and spill the sums.
export function unit_backward(dw: usize, dx: usize, x: usize, dz: usize, w: usize, M: i32, K: i32,
                              accumulate: bool, mask: bool, alpha: f32): void {
  const a: f32 = mask ? alpha : 1;
  // Behind a relu the gate is a bitwise and; otherwise its factor is a + (1 - a)·[x > 0]: 1 where the
  // activation passed x, alpha elsewhere, and 1 everywhere without one.
  if (mask && alpha == 0 && dx) unitColumns(dw, dx, x, dz, w, M, K, accumulate, true, 0);
  else unitColumns(dw, dx, x, dz, w, M, K, accumulate, false, a);
  const row = <usize>K * F;
  for (let j = K & ~7; j < K; j++) {
    // The last K mod 8 columns one at a time.
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
function ntDot(ci: usize, mi: usize, k: i32, arow: usize, brow: usize, N: i32, accumulate: bool, mask: usize, alpha: f32): void {
  ntPut(ci, mi, k, dot(arow, brow, N), accumulate, mask, alpha);
}

// Store one gemm_nt output at column k of row ci, accumulating and masking as asked.
@inline function ntPut(ci: usize, mi: usize, k: i32, s: f32, accumulate: bool, mask: usize, alpha: f32): void {
  const p = ci + <usize>k * F;
  if (accumulate) s += load<f32>(p);
  if (mask && !(load<f32>(mi + <usize>k * F) > 0)) s *= alpha;
  store<f32>(p, s);
}

// out[N] (+)= sum over rows of A[M,N]: the bias gradient, 1ᵀ·dy. Sixteen columns per sweep down the rows,
// two rows per step, so four sums in registers each wait on one add per two rows.
export function sum_rows(out: usize, a: usize, M: i32, N: i32, accumulate: bool): void {
  if (N == 1) {
    // One contiguous column (the gradient of a one-unit layer's bias): four rows per add.
    let v = f32x4.splat(0), m = 0;
    for (; m + 4 <= M; m += 4) v = f32x4.add(v, v128.load(a + <usize>m * F));
    let s = hsum(v);
    for (; m < M; m++) s += load<f32>(a + <usize>m * F);
    store<f32>(out, accumulate ? s + load<f32>(out) : s);
    return;
  }
  const row = <usize>N * F;
  let j = 0;
  for (; j + 16 <= N; j += 16) {
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let p = a + <usize>j * F, m = 0;
    for (; m + 2 <= M; m += 2) {
      const q = p + row;
      s0 = f32x4.add(s0, f32x4.add(v128.load(p), v128.load(q)));
      s1 = f32x4.add(s1, f32x4.add(v128.load(p, 16), v128.load(q, 16)));
      s2 = f32x4.add(s2, f32x4.add(v128.load(p, 32), v128.load(q, 32)));
      s3 = f32x4.add(s3, f32x4.add(v128.load(p, 48), v128.load(q, 48)));
      p += 2 * row;
    }
    if (m < M) {
      s0 = f32x4.add(s0, v128.load(p)); s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32)); s3 = f32x4.add(s3, v128.load(p, 48));
    }
    const oj = out + <usize>j * F;
    if (accumulate) {
      s0 = f32x4.add(s0, v128.load(oj)); s1 = f32x4.add(s1, v128.load(oj, 16));
      s2 = f32x4.add(s2, v128.load(oj, 32)); s3 = f32x4.add(s3, v128.load(oj, 48));
    }
    v128.store(oj, s0); v128.store(oj, s1, 16); v128.store(oj, s2, 32); v128.store(oj, s3, 48);
  }
  for (; j + 4 <= N; j += 4) {
    const oj = out + <usize>j * F;
    let s = f32x4.splat(0);
    let p = a + <usize>j * F;
    for (let m = 0; m < M; m++) { s = f32x4.add(s, v128.load(p)); p += row; }
    v128.store(oj, accumulate ? f32x4.add(s, v128.load(oj)) : s);
  }
  for (; j < N; j++) {
    const oj = out + <usize>j * F;
    let s: f32 = 0;
    let p = a + <usize>j * F;
    for (let m = 0; m < M; m++) { s += load<f32>(p); p += row; }
    store<f32>(oj, accumulate ? s + load<f32>(oj) : s);
  }
}
