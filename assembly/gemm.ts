// Dense-layer products on row-major f32 matrices addressed by byte pointers.
// Three forms, so training never materialises a transpose:
//   gemm_nn  C[M,N] (+)= A[M,K] · B[K,N] (+ bias)   forward:   y = x·W + b
//   gemm_tn  C[K,N] (+)= A[M,K]ᵀ · B[M,N]           backward:  dW = xᵀ·dy
//   gemm_nt  C[M,K] (+)= A[M,N] · B[K,N]ᵀ           backward:  dx = dy·Wᵀ
// There is no FMA outside relaxed-simd, so every engine rounds mul and add the same way.

const F = 4; // bytes per f32

// Tile start: what C held (when accumulating) plus the bias, or zero.
@inline function start(c: usize, bias: usize, accumulate: bool): v128 {
  let v = accumulate ? v128.load(c) : f32x4.splat(0);
  if (bias) v = f32x4.add(v, v128.load(bias));
  return v;
}

@inline function start1(c: usize, bias: usize, accumulate: bool): f32 {
  let v: f32 = accumulate ? load<f32>(c) : 0;
  if (bias) v += load<f32>(bias);
  return v;
}

@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) +
         (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// The shared engine of gemm_nn and gemm_tn. Row i of C is sum over l of A(i,l) · B[l,:], where A(i,l)
// sits at a + (i*rs + l*ls)*4: (rs, ls) = (K, 1) reads A, (1, K) reads Aᵀ. Tiles of 4 rows x 8 columns keep
// eight accumulators in registers; wider tiles spill on V8's sixteen xmm registers.
function rowsTimesB(c: usize, a: usize, rs: i32, ls: i32, b: usize, bias: usize,
                    rows: i32, L: i32, N: i32, accumulate: bool): void {
  const rstep = <usize>rs * F, lstep = <usize>ls * F, bstep = <usize>N * F, cstep = <usize>N * F;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const ai = a + <usize>i * rstep, ci = c + <usize>i * cstep;
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      const cj = ci + <usize>j * F, bj = bias ? bias + <usize>j * F : 0;
      let c00 = start(cj, bj, accumulate), c01 = start(cj + 16, bj ? bj + 16 : 0, accumulate);
      let c10 = start(cj + cstep, bj, accumulate), c11 = start(cj + cstep + 16, bj ? bj + 16 : 0, accumulate);
      let c20 = start(cj + 2 * cstep, bj, accumulate), c21 = start(cj + 2 * cstep + 16, bj ? bj + 16 : 0, accumulate);
      let c30 = start(cj + 3 * cstep, bj, accumulate), c31 = start(cj + 3 * cstep + 16, bj ? bj + 16 : 0, accumulate);
      let pa = ai, pb = b + <usize>j * F;
      for (let l = 0; l < L; l++) {
        const b0 = v128.load(pb), b1 = v128.load(pb, 16);
        let s = f32x4.splat(load<f32>(pa));
        c00 = f32x4.add(c00, f32x4.mul(s, b0)); c01 = f32x4.add(c01, f32x4.mul(s, b1));
        s = f32x4.splat(load<f32>(pa + rstep));
        c10 = f32x4.add(c10, f32x4.mul(s, b0)); c11 = f32x4.add(c11, f32x4.mul(s, b1));
        s = f32x4.splat(load<f32>(pa + 2 * rstep));
        c20 = f32x4.add(c20, f32x4.mul(s, b0)); c21 = f32x4.add(c21, f32x4.mul(s, b1));
        s = f32x4.splat(load<f32>(pa + 3 * rstep));
        c30 = f32x4.add(c30, f32x4.mul(s, b0)); c31 = f32x4.add(c31, f32x4.mul(s, b1));
        pa += lstep; pb += bstep;
      }
      v128.store(cj, c00); v128.store(cj, c01, 16);
      v128.store(cj + cstep, c10); v128.store(cj + cstep, c11, 16);
      v128.store(cj + 2 * cstep, c20); v128.store(cj + 2 * cstep, c21, 16);
      v128.store(cj + 3 * cstep, c30); v128.store(cj + 3 * cstep, c31, 16);
    }
    for (; j + 4 <= N; j += 4) {
      const cj = ci + <usize>j * F, bj = bias ? bias + <usize>j * F : 0;
      let c0 = start(cj, bj, accumulate), c1 = start(cj + cstep, bj, accumulate);
      let c2 = start(cj + 2 * cstep, bj, accumulate), c3 = start(cj + 3 * cstep, bj, accumulate);
      let pa = ai, pb = b + <usize>j * F;
      for (let l = 0; l < L; l++) {
        const b0 = v128.load(pb);
        c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(load<f32>(pa)), b0));
        c1 = f32x4.add(c1, f32x4.mul(f32x4.splat(load<f32>(pa + rstep)), b0));
        c2 = f32x4.add(c2, f32x4.mul(f32x4.splat(load<f32>(pa + 2 * rstep)), b0));
        c3 = f32x4.add(c3, f32x4.mul(f32x4.splat(load<f32>(pa + 3 * rstep)), b0));
        pa += lstep; pb += bstep;
      }
      v128.store(cj, c0); v128.store(cj + cstep, c1);
      v128.store(cj + 2 * cstep, c2); v128.store(cj + 3 * cstep, c3);
    }
    if (j < N) narrowColumns(ci, ai, rstep, lstep, b, bias, 4, L, N, j, accumulate);
  }
  for (; i < rows; i++) {
    const ai = a + <usize>i * rstep, ci = c + <usize>i * cstep;
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      const cj = ci + <usize>j * F, bj = bias ? bias + <usize>j * F : 0;
      let c0 = start(cj, bj, accumulate), c1 = start(cj + 16, bj ? bj + 16 : 0, accumulate);
      let pa = ai, pb = b + <usize>j * F;
      for (let l = 0; l < L; l++) {
        const s = f32x4.splat(load<f32>(pa));
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(pb)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(pb, 16)));
        pa += lstep; pb += bstep;
      }
      v128.store(cj, c0); v128.store(cj, c1, 16);
    }
    for (; j + 4 <= N; j += 4) {
      const cj = ci + <usize>j * F;
      let c0 = start(cj, bias ? bias + <usize>j * F : 0, accumulate);
      let pa = ai, pb = b + <usize>j * F;
      for (let l = 0; l < L; l++) {
        c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(load<f32>(pa)), v128.load(pb)));
        pa += lstep; pb += bstep;
      }
      v128.store(cj, c0);
    }
    if (j < N) narrowColumns(ci, ai, rstep, lstep, b, bias, 1, L, N, j, accumulate);
  }
}

// The last N-j (< 4) columns of `rows` rows, one scalar dot product each.
function narrowColumns(ci: usize, ai: usize, rstep: usize, lstep: usize, b: usize, bias: usize,
                       rows: i32, L: i32, N: i32, j0: i32, accumulate: bool): void {
  const bstep = <usize>N * F;
  for (let r = 0; r < rows; r++) {
    for (let j = j0; j < N; j++) {
      const cij = ci + (<usize>r * N + j) * F;
      let s = start1(cij, bias ? bias + <usize>j * F : 0, accumulate);
      let pa = ai + <usize>r * rstep, pb = b + <usize>j * F;
      for (let l = 0; l < L; l++) { s += load<f32>(pa) * load<f32>(pb); pa += lstep; pb += bstep; }
      store<f32>(cij, s);
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

// C[M,N] (+)= A[M,K] · B[K,N] (+ bias[N]); bias = 0 means none.
export function gemm_nn(c: usize, a: usize, b: usize, bias: usize, M: i32, K: i32, N: i32, accumulate: bool): void {
  if (N == 1) {
    // A single output column (a logit, a 1-D sample): a dot product along K per row.
    const b0: f32 = bias ? load<f32>(bias) : 0;
    for (let i = 0; i < M; i++) {
      const ci = c + <usize>i * F;
      store<f32>(ci, (accumulate ? load<f32>(ci) : 0) + b0 + dot(a + <usize>i * K * F, b, K));
    }
    return;
  }
  rowsTimesB(c, a, K, 1, b, bias, M, K, N, accumulate);
}

// C[K,N] (+)= A[M,K]ᵀ · B[M,N].
export function gemm_tn(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, accumulate: bool): void {
  if (N == 1) {
    // Aᵀ·b with one column: sweep the rows of A, four outputs per lane group.
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      const ck = c + <usize>k * F;
      let acc = accumulate ? v128.load(ck) : f32x4.splat(0);
      let pa = a + <usize>k * F;
      for (let m = 0; m < M; m++) {
        acc = f32x4.add(acc, f32x4.mul(v128.load(pa), f32x4.splat(load<f32>(b + <usize>m * F))));
        pa += <usize>K * F;
      }
      v128.store(ck, acc);
    }
    for (; k < K; k++) {
      const ck = c + <usize>k * F;
      let s: f32 = accumulate ? load<f32>(ck) : 0;
      for (let m = 0; m < M; m++) s += load<f32>(a + (<usize>m * K + k) * F) * load<f32>(b + <usize>m * F);
      store<f32>(ck, s);
    }
    return;
  }
  rowsTimesB(c, a, 1, K, b, 0, K, M, N, accumulate);
}

// C[M,K] (+)= A[M,N] · B[K,N]ᵀ: every output is a dot product of two contiguous rows.
export function gemm_nt(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, accumulate: bool): void {
  if (N == 1) {
    // An outer product: row i of C is a[i] times the column b.
    for (let i = 0; i < M; i++) {
      const ci = c + <usize>i * K * F, s = f32x4.splat(load<f32>(a + <usize>i * F));
      let k = 0;
      for (; k + 4 <= K; k += 4) {
        const p = ci + <usize>k * F;
        const v = f32x4.mul(s, v128.load(b + <usize>k * F));
        v128.store(p, accumulate ? f32x4.add(v128.load(p), v) : v);
      }
      for (; k < K; k++) {
        const p = ci + <usize>k * F;
        const v = f32x4.extract_lane(s, 0) * load<f32>(b + <usize>k * F);
        store<f32>(p, accumulate ? load<f32>(p) + v : v);
      }
    }
    return;
  }
  const rowA = <usize>N * F, rowC = <usize>K * F;
  const N4 = N & ~3;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const ai = a + <usize>i * rowA, ci = c + <usize>i * rowC;
    let k = 0;
    for (; k + 2 <= K; k += 2) {
      // Four rows of A against two rows of B: eight lane-wise partial sums, reduced once at the end.
      const bk = b + <usize>k * rowA;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      for (let n = 0; n < N4; n += 4) {
        const o = <usize>n * F;
        const b0 = v128.load(bk + o), b1 = v128.load(bk + rowA + o);
        let x = v128.load(ai + o);
        s00 = f32x4.add(s00, f32x4.mul(x, b0)); s01 = f32x4.add(s01, f32x4.mul(x, b1));
        x = v128.load(ai + rowA + o);
        s10 = f32x4.add(s10, f32x4.mul(x, b0)); s11 = f32x4.add(s11, f32x4.mul(x, b1));
        x = v128.load(ai + 2 * rowA + o);
        s20 = f32x4.add(s20, f32x4.mul(x, b0)); s21 = f32x4.add(s21, f32x4.mul(x, b1));
        x = v128.load(ai + 3 * rowA + o);
        s30 = f32x4.add(s30, f32x4.mul(x, b0)); s31 = f32x4.add(s31, f32x4.mul(x, b1));
      }
      ntStore(ci, k, hsum(s00), ai, bk, N4, N, accumulate);
      ntStore(ci, k + 1, hsum(s01), ai, bk + rowA, N4, N, accumulate);
      ntStore(ci + rowC, k, hsum(s10), ai + rowA, bk, N4, N, accumulate);
      ntStore(ci + rowC, k + 1, hsum(s11), ai + rowA, bk + rowA, N4, N, accumulate);
      ntStore(ci + 2 * rowC, k, hsum(s20), ai + 2 * rowA, bk, N4, N, accumulate);
      ntStore(ci + 2 * rowC, k + 1, hsum(s21), ai + 2 * rowA, bk + rowA, N4, N, accumulate);
      ntStore(ci + 3 * rowC, k, hsum(s30), ai + 3 * rowA, bk, N4, N, accumulate);
      ntStore(ci + 3 * rowC, k + 1, hsum(s31), ai + 3 * rowA, bk + rowA, N4, N, accumulate);
    }
    for (; k < K; k++) {
      for (let r = 0; r < 4; r++) ntDot(ci + <usize>r * rowC, k, ai + <usize>r * rowA, b + <usize>k * rowA, N, accumulate);
    }
  }
  for (; i < M; i++) {
    const ai = a + <usize>i * rowA, ci = c + <usize>i * rowC;
    for (let k = 0; k < K; k++) ntDot(ci, k, ai, b + <usize>k * rowA, N, accumulate);
  }
}

// Finish one gemm_nt output: the lane sum plus the scalar tail past the last multiple of four.
@inline function ntStore(ci: usize, k: i32, s: f32, arow: usize, brow: usize, n4: i32, N: i32, accumulate: bool): void {
  for (let n = n4; n < N; n++) s += load<f32>(arow + <usize>n * F) * load<f32>(brow + <usize>n * F);
  const p = ci + <usize>k * F;
  store<f32>(p, accumulate ? load<f32>(p) + s : s);
}

@inline function ntDot(ci: usize, k: i32, arow: usize, brow: usize, N: i32, accumulate: bool): void {
  const p = ci + <usize>k * F, s = dot(arow, brow, N);
  store<f32>(p, accumulate ? load<f32>(p) + s : s);
}

// out[N] (+)= sum over rows of A[M,N]: the bias gradient, 1ᵀ·dy.
export function sum_rows(out: usize, a: usize, M: i32, N: i32, accumulate: bool): void {
  const row = <usize>N * F;
  let j = 0;
  for (; j + 4 <= N; j += 4) {
    const oj = out + <usize>j * F;
    let s = accumulate ? v128.load(oj) : f32x4.splat(0);
    let p = a + <usize>j * F;
    for (let m = 0; m < M; m++) { s = f32x4.add(s, v128.load(p)); p += row; }
    v128.store(oj, s);
  }
  for (; j < N; j++) {
    const oj = out + <usize>j * F;
    let s: f32 = accumulate ? load<f32>(oj) : 0;
    let p = a + <usize>j * F;
    for (let m = 0; m < M; m++) { s += load<f32>(p); p += row; }
    store<f32>(oj, s);
  }
}
