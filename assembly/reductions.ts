// Reductions over the rows of a matrix: the bias gradient db = 1ᵀ·dz of a layer, whose forward is the bias
// added in gemm_nn's tile start (products.ts); and the check that a model's weights are all finite.

import { hsum } from "./lanes";

const F = 4;

// out[N] (+)= sum over rows of A[M,N]: the bias gradient, 1ᵀ·dy. Sixteen columns per sweep down the rows,
// two rows per step, so four sums in registers each wait on one add per two rows.
// reference: sumRowsNaive in test/reference.ts
export function sum_rows(out: usize, a: usize, M: i32, N: i32, accumulate: bool): void {
  sumColumns(out, a, M, N, accumulate, 0, N);
}

// Columns [n0, n1) of sum_rows(out, a, M, N), each summed exactly as the whole call sums it: a thread's share
// of a bias gradient (src/wasm/pool.ts). n0 is a multiple of 16, n1 too unless it is N, so every column
// falls in the same kind of sweep (pairs of rows, or one row at a time) as in the whole call.
// reference: sumRowsNaive in test/reference.ts
export function sum_rows_cols(out: usize, a: usize, M: i32, N: i32, accumulate: bool, n0: i32, n1: i32): void {
  sumColumns(out, a, M, N, accumulate, n0, n1);
}

function sumColumns(out: usize, a: usize, M: i32, N: i32, accumulate: bool, n0: i32, n1: i32): void {
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
  let j = n0;
  for (; j + 16 <= n1; j += 16) {
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
  for (; j + 4 <= n1; j += 4) {
    const oj = out + <usize>j * F;
    let s = f32x4.splat(0);
    let p = a + <usize>j * F;
    for (let m = 0; m < M; m++) { s = f32x4.add(s, v128.load(p)); p += row; }
    v128.store(oj, accumulate ? f32x4.add(s, v128.load(oj)) : s);
  }
  for (; j < n1; j++) {
    const oj = out + <usize>j * F;
    let s: f32 = 0;
    let p = a + <usize>j * F;
    for (let m = 0; m < M; m++) { s += load<f32>(p); p += row; }
    store<f32>(oj, accumulate ? s + load<f32>(oj) : s);
  }
}

// Whether all n values at x are finite: the f32 at out is 0 when they are, NaN (all bits set) when any is
// infinite or NaN (its exponent bits all ones). Bits, not a sum: a sum of large finite weights can overflow,
// and flags combine in any order, so a call splits anywhere (src/wasm/pool.ts runs it again over the
// shares' flags). The training loop runs it after every update.
// reference: Number.isFinite over the values (test/gemm.test.ts)
export function finite_check(out: usize, x: usize, n: i32): void {
  const EXP = i32x4.splat(0x7f800000);
  let bad = i32x4.splat(0), i = 0;
  for (; i + 4 <= n; i += 4) bad = v128.or(bad, i32x4.eq(v128.and(v128.load(x + <usize>i * F), EXP), EXP));
  let any = v128.any_true(bad);
  for (; i < n; i++) any = any || (load<u32>(x + <usize>i * F) & 0x7f800000) == 0x7f800000;
  store<u32>(out, any ? 0xffffffff : 0);
}
