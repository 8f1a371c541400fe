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
    fourRowsTail(ci, ai, rstep, lstep, b, bias, L, N, j, accumulate, act, alpha);
  }
  for (; i < rows; i++)
    oneRow(c + <usize>i * cstep, a + <usize>i * rstep, lstep, b, bias, L, N, 0, N, accumulate, act, alpha);
}

// Columns [j0, N) of a 4-row block past its 8-column tiles (fewer than 8): a 4-column tile, then scalars.
function fourRowsTail(ci: usize, ai: usize, rstep: usize, lstep: usize, b: usize, bias: usize, L: i32, N: i32,
                      j0: i32, accumulate: bool, act: i32, alpha: f32): void {
  const al = slope(act, alpha), bstep = <usize>N * F, cstep = <usize>N * F;
  let j = j0;
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
  if (j < N) narrowFour(ci, ai, rstep, lstep, b, bias, L, N, j, accumulate, act, alpha);
}

// Columns [n0, n1) of one row (n0 a multiple of 8; n1 too unless it is N).
function oneRow(ci: usize, ai: usize, lstep: usize, b: usize, bias: usize, L: i32, N: i32, n0: i32, n1: i32,
                accumulate: bool, act: i32, alpha: f32): void {
  const al = slope(act, alpha), bstep = <usize>N * F;
  let j = n0;
  for (; j + 16 <= n1; j += 16) {
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
  for (; j + 8 <= n1; j += 8) {
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
  for (; j + 4 <= n1; j += 4) {
    const cj = ci + <usize>j * F;
    let c0 = start(cj, biasAt(bias, <usize>j * F), accumulate);
    let pa = ai, pb = b + <usize>j * F;
    for (let l = 0; l < L; l++) {
      c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), v128.load(pb)));
      pa += lstep; pb += bstep;
    }
    v128.store(cj, finish(c0, al));
  }
  if (j < n1) narrowColumns(ci, ai, 0, lstep, b, bias, 1, L, N, j, accumulate, act, alpha);
}

// Packed panels. On large products the plain engine reads B down its columns, one row of B (N*4 bytes
// apart) per step: every load lands in another cache line and, at power-of-two widths, in the same few L1
// sets. The packed engine first copies each slice of B into panels of 8 columns, [L][8] contiguous, and
// the four rows of A of a tile into [L][4], so the inner loop reads two sequential streams at fixed
// offsets. One engine serves all three forms, C[rows, W] (+)= A·B' over an inner length L, with
//   A(i, l) at a + (i*rs + l*ls)*4:   (rs, ls) = (K, 1) reads A, (1, K) reads Aᵀ (as rowsTimesB does),
//   B'(l, j) at b + (l*bl + j*bj)*4:  (bl, bj) = (W, 1) reads B, (1, L) reads Bᵀ (gemm_nt_packed).
// Every output is the plain sum: its start (what C held, plus the bias), then the terms in order over l,
// then the epilogue (the fused activation, or the gate of the activation below). A slice ends in C and the
// next one starts from there, so slicing keeps that order; that is also the order of every path of the
// plain engine, so gemm_nn_packed and gemm_tn_packed give gemm_nn's and gemm_tn's bits.

// Rows of B in one packed slice: the whole inner length up to 2 * L_BLOCK, else L_BLOCK (as the plain engine
// slices, blockedRowsTimesB), so a product's panels never need more than 2 * L_BLOCK rows of scratch.
function packedSlice(L: i32): i32 {
  return L <= 2 * L_BLOCK ? L : L_BLOCK;
}

// Columns [n0, n1) of C (n0 a multiple of 8; n1 too unless it is W), slice by slice. mask != 0 gates the
// outputs on it (see tile); the epilogue (act, mask) runs with the last slice, the bias with the first.
function packedRowsTimesB(c: usize, a: usize, rs: i32, ls: i32, b: usize, bl: i32, bj: i32, bias: usize,
                          mask: usize, rows: i32, L: i32, W: i32, accumulate: bool, act: i32, alpha: f32,
                          panels: usize, ablock: usize, n0: i32, n1: i32): void {
  const S = packedSlice(L);
  for (let l = 0; l < L; l += S) {
    const len = min(S, L - l), last = l + len == L;
    panelSlice(c, a + <usize>l * <usize>ls * F, rs, ls, b + <usize>l * <usize>bl * F, bj, l == 0 ? bias : 0,
      last ? mask : 0, rows, len, W, accumulate || l > 0, last ? act : ACT_NONE, alpha, panels, ablock, n0, n1);
  }
}

// One slice: B' packed into panels, then every 4-row block of A packed and run against each panel. The
// last panel and the last block may be partial: they are padded with zeros, and their tiles load and store
// only what lies inside C.
function panelSlice(c: usize, a: usize, rs: i32, ls: i32, b: usize, bj: i32, bias: usize, mask: usize,
                    rows: i32, L: i32, W: i32, accumulate: bool, act: i32, alpha: f32, panels: usize,
                    ablock: usize, n0: i32, n1: i32): void {
  const pstep = <usize>L * 32, cstep = <usize>W * F, rstep = <usize>rs * F;
  packPanels(panels, b, bj, L, W, n0, n1);
  const al = slope(act, alpha);
  for (let i = 0; i < rows; i += 4) {
    const h = min(4, rows - i);
    packBlock(ablock, a + <usize>i * rstep, rstep, <usize>ls * F, L, h);
    for (let j = n0; j < n1; j += 8) {
      const o = (<usize>i * W + j) * F, pb = panels + <usize>((j - n0) >> 3) * pstep;
      const bv = bias ? bias + <usize>j * F : 0, mv = mask ? mask + o : 0;
      if (h == 4 && j + 8 <= n1) tile(c + o, cstep, ablock, pb, pstep, bv, mv, 4, 8, accumulate, al, true);
      else edgeTile(c + o, cstep, ablock, pb, pstep, bv, mv, h, min(8, n1 - j), accumulate, al);
    }
  }
}

// B'[0:L, j:j+8] -> panel (j - n0) / 8, [L][8], columns past n1 zero. bj == 1: B's rows, eight columns of
// each; otherwise (Bᵀ, bl == 1) eight rows of B, each contiguous over l, turned by 4x4 transposes.
function packPanels(panels: usize, b: usize, bj: i32, L: i32, W: i32, n0: i32, n1: i32): void {
  const pstep = <usize>L * 32, zero = f32x4.splat(0);
  for (let j = n0; j < n1; j += 8) {
    const w = min(8, n1 - j), dst = panels + <usize>((j - n0) >> 3) * pstep;
    if (bj == 1) {
      const bstep = <usize>W * F;
      let src = b + <usize>j * F, d = dst;
      if (w == 8) {
        for (let l = 0; l < L; l++) {
          v128.store(d, v128.load(src)); v128.store(d, v128.load(src, 16), 16);
          src += bstep; d += 32;
        }
      } else {
        for (let l = 0; l < L; l++) {
          v128.store(d, loadLanes(src, w)); v128.store(d, loadLanes(src + 16, w - 4), 16);
          src += bstep; d += 32;
        }
      }
    } else {
      const row = <usize>bj * F, r = b + <usize>j * row;
      let l = 0;
      for (; l + 4 <= L; l += 4) {
        const o = <usize>l * F, d = dst + <usize>l * 32;
        storeTransposed(d, v128.load(r + o), w > 1 ? v128.load(r + row + o) : zero,
          w > 2 ? v128.load(r + 2 * row + o) : zero, w > 3 ? v128.load(r + 3 * row + o) : zero);
        storeTransposed(d + 16, w > 4 ? v128.load(r + 4 * row + o) : zero, w > 5 ? v128.load(r + 5 * row + o) : zero,
          w > 6 ? v128.load(r + 6 * row + o) : zero, w > 7 ? v128.load(r + 7 * row + o) : zero);
      }
      for (; l < L; l++) {
        const d = dst + <usize>l * 32;
        for (let q = 0; q < 8; q++) {
          store<f32>(d + <usize>q * F, q < w ? load<f32>(r + <usize>q * row + <usize>l * F) : 0);
        }
      }
    }
  }
}

// Four vectors of four steps of l each (one row of B each) as four of one step each, 32 bytes apart.
@inline function storeTransposed(d: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(d, i32x4.shuffle(t0, t1, 0, 1, 4, 5)); v128.store(d + 32, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
  v128.store(d + 64, i32x4.shuffle(t2, t3, 0, 1, 4, 5)); v128.store(d + 96, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
}

// The h (<= 4) rows of A of a block, A(i..i+3, l) side by side in [L][4] (Aᵀ holds them so, K apart), the
// rows past h zero.
function packBlock(ablock: usize, ai: usize, rstep: usize, lstep: usize, L: i32, h: i32): void {
  let src = ai, dst = ablock;
  if (h == 4 && rstep == F) {
    for (let l = 0; l < L; l++) { v128.store(dst, v128.load(src)); src += lstep; dst += 16; }
  } else if (h == 4) {
    for (let l = 0; l < L; l++) {
      store<f32>(dst, load<f32>(src)); store<f32>(dst, load<f32>(src + rstep), 4);
      store<f32>(dst, load<f32>(src + 2 * rstep), 8); store<f32>(dst, load<f32>(src + 3 * rstep), 12);
      src += lstep; dst += 16;
    }
  } else {
    for (let l = 0; l < L; l++) {
      for (let r = 0; r < 4; r++) store<f32>(dst + <usize>r * F, r < h ? load<f32>(src + <usize>r * rstep) : 0);
      src += lstep; dst += 16;
    }
  }
}

// The 4x8 tile of C at cj (rows cstep apart), h rows and w columns of it inside C, from a packed block of
// A (pa) and a panel (pb, len bytes); eight accumulators in registers, as rowsTimesB's tiles. The epilogue
// is the fused activation of slope al below zero, or, when mask != 0 (mask's tile, laid out as C), the
// backward of the activation below: where mask is not > 0 the output is scaled by al (as ntShort gates).
// A whole tile (whole, a constant: h = 4, w = 8) takes the plain loads and stores; lane by lane, or with
// both kinds of code in the loop's function, the engine runs a tenth slower.
@inline function tile(cj: usize, cstep: usize, pa: usize, pb: usize, len: usize, bias: usize, mask: usize,
                      h: i32, w: i32, accumulate: bool, al: v128, whole: bool): void {
  // Lanes inside C of each vector of the tile: w0 and w1 in each half of a row, none past row h.
  const w0 = min(w, 4), w1 = w - 4;
  const n1 = h > 1 ? w0 : 0, n2 = h > 2 ? w0 : 0, n3 = h > 3 ? w0 : 0;
  const q1 = h > 1 ? w1 : 0, q2 = h > 2 ? w1 : 0, q3 = h > 3 ? w1 : 0;
  const c1 = cj + cstep, c2 = c1 + cstep, c3 = c2 + cstep;
  let c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128;
  if (whole) {
    const v0 = biasAt(bias, 0), v1 = biasAt(bias, 16);
    c00 = start(cj, v0, accumulate); c01 = start(cj + 16, v1, accumulate);
    c10 = start(c1, v0, accumulate); c11 = start(c1 + 16, v1, accumulate);
    c20 = start(c2, v0, accumulate); c21 = start(c2 + 16, v1, accumulate);
    c30 = start(c3, v0, accumulate); c31 = start(c3 + 16, v1, accumulate);
  } else {
    const v0 = bias ? loadLanes(bias, w0) : f32x4.splat(0), v1 = bias ? loadLanes(bias + 16, w1) : f32x4.splat(0);
    c00 = startLanes(cj, w0, v0, accumulate); c01 = startLanes(cj + 16, w1, v1, accumulate);
    c10 = startLanes(c1, n1, v0, accumulate); c11 = startLanes(c1 + 16, q1, v1, accumulate);
    c20 = startLanes(c2, n2, v0, accumulate); c21 = startLanes(c2 + 16, q2, v1, accumulate);
    c30 = startLanes(c3, n3, v0, accumulate); c31 = startLanes(c3 + 16, q3, v1, accumulate);
  }
  const end = pb + len;
  while (pb < end) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let s = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(s, b0)); c01 = f32x4.add(c01, f32x4.mul(s, b1));
    s = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(s, b0)); c11 = f32x4.add(c11, f32x4.mul(s, b1));
    s = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(s, b0)); c21 = f32x4.add(c21, f32x4.mul(s, b1));
    s = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(s, b0)); c31 = f32x4.add(c31, f32x4.mul(s, b1));
    pa += 16; pb += 32;
  }
  const m1 = mask + cstep, m2 = m1 + cstep, m3 = m2 + cstep;
  if (whole) {
    if (mask) {
      put(cj, mask, c00, al); put(cj + 16, mask + 16, c01, al); put(c1, m1, c10, al); put(c1 + 16, m1 + 16, c11, al);
      put(c2, m2, c20, al); put(c2 + 16, m2 + 16, c21, al); put(c3, m3, c30, al); put(c3 + 16, m3 + 16, c31, al);
    } else {
      v128.store(cj, finish(c00, al)); v128.store(cj, finish(c01, al), 16);
      v128.store(c1, finish(c10, al)); v128.store(c1, finish(c11, al), 16);
      v128.store(c2, finish(c20, al)); v128.store(c2, finish(c21, al), 16);
      v128.store(c3, finish(c30, al)); v128.store(c3, finish(c31, al), 16);
    }
  } else {
    putLanes(cj, mask, c00, w0, al); putLanes(cj + 16, mask ? mask + 16 : 0, c01, w1, al);
    putLanes(c1, mask ? m1 : 0, c10, n1, al); putLanes(c1 + 16, mask ? m1 + 16 : 0, c11, q1, al);
    putLanes(c2, mask ? m2 : 0, c20, n2, al); putLanes(c2 + 16, mask ? m2 + 16 : 0, c21, q2, al);
    putLanes(c3, mask ? m3 : 0, c30, n3, al); putLanes(c3 + 16, mask ? m3 + 16 : 0, c31, q3, al);
  }
}

// A tile at the last rows or columns of C.
function edgeTile(cj: usize, cstep: usize, pa: usize, pb: usize, len: usize, bias: usize, mask: usize, h: i32,
                  w: i32, accumulate: bool, al: v128): void {
  tile(cj, cstep, pa, pb, len, bias, mask, h, w, accumulate, al, false);
}

// The backward of the activation below, where mask (its output) is not > 0: v scaled by its slope al.
@inline function gate(v: v128, m: v128, al: v128): v128 {
  return v128.bitselect(v, f32x4.mul(v, al), f32x4.gt(m, f32x4.splat(0)));
}

@inline function put(p: usize, mask: usize, v: v128, al: v128): void {
  v128.store(p, gate(v, v128.load(mask), al));
}

// The first n lanes at p (all four from n = 4 on, none from n = 0 down), the others zero.
@inline function loadLanes(p: usize, n: i32): v128 {
  if (n >= 4) return v128.load(p);
  let v = f32x4.splat(0);
  if (n > 0) v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

@inline function startLanes(c: usize, n: i32, bv: v128, accumulate: bool): v128 {
  return accumulate ? f32x4.add(loadLanes(c, n), bv) : bv;
}

// The first n lanes of a finished vector through the epilogue into C at p (mask: the gate's, or 0).
@inline function putLanes(p: usize, mask: usize, v: v128, n: i32, al: v128): void {
  if (n <= 0) return;
  v = mask ? gate(v, loadLanes(mask, n), al) : finish(v, al);
  if (n >= 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

// C[M,N] (+)= A[M,K] · B[K,N] (+ bias[N]), then act, exactly as gemm_nn computes it, for columns [n0, n1)
// of C (n0 a multiple of 8, n1 too unless it is N), through packed panels (above): panels holds
// packed_panel_floats(K, n1 - n0) floats, block 4 * a slice's rows (packed_panel_floats(K, 8) / 2).
// reference: gemmNNNaive in test/reference.ts
export function gemm_nn_packed(c: usize, a: usize, b: usize, bias: usize, M: i32, K: i32, N: i32,
                               accumulate: bool, act: i32, alpha: f32, panels: usize, block: usize,
                               n0: i32, n1: i32): void {
  if (N == 1) rowDots(c, a, b, bias ? load<f32>(bias) : 0, M, K, accumulate, act, alpha);
  else packedRowsTimesB(c, a, K, 1, b, N, 1, bias, 0, M, K, N, accumulate, act, alpha, panels, block, n0, n1);
}

// C[K,N] (+)= A[M,K]ᵀ · B[M,N] exactly as gemm_tn computes it, for columns [n0, n1) of C, through packed
// panels of B: panels holds packed_panel_floats(M, n1 - n0) floats, block 4 * a slice's rows.
// reference: gemmTNNaive in test/reference.ts
export function gemm_tn_packed(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, accumulate: bool,
                               panels: usize, block: usize, n0: i32, n1: i32): void {
  packedRowsTimesB(c, a, 1, K, b, N, 1, 0, 0, K, M, N, accumulate, ACT_NONE, 0, panels, block, n0, n1);
}

// C[M,K] (+)= A[M,N] · B[K,N]ᵀ, gated on mask as gemm_nt is (act, alpha: the activation below), for
// columns [k0, k1) of C (k0 a multiple of 8, k1 too unless it is K), through panels of Bᵀ: the input
// gradient dx = dz·Wᵀ with the forward's 4x8 tiles. Each output is summed in order over n from what C held
// (when accumulating), not in gemm_nt's lanes. panels holds packed_panel_floats(N, k1 - k0) floats,
// block 4 * a slice's rows (packed_panel_floats(N, 8) / 2).
// reference: gemmNTNaive in test/reference.ts
export function gemm_nt_packed(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, accumulate: bool,
                               mask: usize, act: i32, alpha: f32, panels: usize, block: usize,
                               k0: i32, k1: i32): void {
  packedRowsTimesB(c, a, N, 1, b, 1, N, 0, act == ACT_NONE ? 0 : mask, M, N, K, accumulate, act, alpha, panels,
    block, k0, k1);
}

// The floats of panel scratch a packed product of inner length L needs for `cols` columns of C.
export function packed_panel_floats(L: i32, cols: i32): i32 {
  return packedSlice(L) * ((cols + 7) & ~7);
}

// The last N - j0 (< 4) columns of a 4-row block (a layer of 1-3 units, such as a 2-D sample's): one
// vector per column, whose lanes are the four rows, each summed as narrowColumns sums it, term by term.
function narrowFour(ci: usize, ai: usize, rstep: usize, lstep: usize, b: usize, bias: usize, L: i32, N: i32,
                    j0: i32, accumulate: bool, act: i32, alpha: f32): void {
  const bstep = <usize>N * F, cstep = <usize>N * F, al = slope(act, alpha), w = N - j0, zero = f32x4.splat(0);
  const cj = ci + <usize>j0 * F, bj = bias ? bias + <usize>j0 * F : 0;
  let s0 = narrowStart(cj, cstep, bj, accumulate);
  let s1 = w > 1 ? narrowStart(cj + 4, cstep, bj ? bj + 4 : 0, accumulate) : zero;
  let s2 = w > 2 ? narrowStart(cj + 8, cstep, bj ? bj + 8 : 0, accumulate) : zero;
  let pa = ai, pb = b + <usize>j0 * F, l = 0;
  if (lstep == F) {
    // A's rows: four steps of l at a time, the 4x4 block of A transposed so each vector holds one step.
    for (; l + 4 <= L; l += 4) {
      const r0 = v128.load(pa), r1 = v128.load(pa + rstep), r2 = v128.load(pa + 2 * rstep);
      const r3 = v128.load(pa + 3 * rstep);
      const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const a0 = i32x4.shuffle(t0, t1, 0, 1, 4, 5), a1 = i32x4.shuffle(t0, t1, 2, 3, 6, 7);
      const a2 = i32x4.shuffle(t2, t3, 0, 1, 4, 5), a3 = i32x4.shuffle(t2, t3, 2, 3, 6, 7);
      s0 = f32x4.add(s0, f32x4.mul(a0, v128.load32_splat(pb)));
      if (w > 1) s1 = f32x4.add(s1, f32x4.mul(a0, v128.load32_splat(pb, 4)));
      if (w > 2) s2 = f32x4.add(s2, f32x4.mul(a0, v128.load32_splat(pb, 8)));
      pb += bstep;
      s0 = f32x4.add(s0, f32x4.mul(a1, v128.load32_splat(pb)));
      if (w > 1) s1 = f32x4.add(s1, f32x4.mul(a1, v128.load32_splat(pb, 4)));
      if (w > 2) s2 = f32x4.add(s2, f32x4.mul(a1, v128.load32_splat(pb, 8)));
      pb += bstep;
      s0 = f32x4.add(s0, f32x4.mul(a2, v128.load32_splat(pb)));
      if (w > 1) s1 = f32x4.add(s1, f32x4.mul(a2, v128.load32_splat(pb, 4)));
      if (w > 2) s2 = f32x4.add(s2, f32x4.mul(a2, v128.load32_splat(pb, 8)));
      pb += bstep;
      s0 = f32x4.add(s0, f32x4.mul(a3, v128.load32_splat(pb)));
      if (w > 1) s1 = f32x4.add(s1, f32x4.mul(a3, v128.load32_splat(pb, 4)));
      if (w > 2) s2 = f32x4.add(s2, f32x4.mul(a3, v128.load32_splat(pb, 8)));
      pa += 16; pb += bstep;
    }
  }
  for (; l < L; l++) {
    // A(i..i+3, l): side by side in Aᵀ, K apart in A.
    const av = rstep == F ? v128.load(pa)
      : f32x4(load<f32>(pa), load<f32>(pa + rstep), load<f32>(pa + 2 * rstep), load<f32>(pa + 3 * rstep));
    s0 = f32x4.add(s0, f32x4.mul(av, v128.load32_splat(pb)));
    if (w > 1) s1 = f32x4.add(s1, f32x4.mul(av, v128.load32_splat(pb, 4)));
    if (w > 2) s2 = f32x4.add(s2, f32x4.mul(av, v128.load32_splat(pb, 8)));
    pa += lstep; pb += bstep;
  }
  narrowStore(cj, cstep, finish(s0, al));
  if (w > 1) narrowStore(cj + 4, cstep, finish(s1, al));
  if (w > 2) narrowStore(cj + 8, cstep, finish(s2, al));
}

// A column's start over four rows: what C held (when accumulating) or 0, then plus its bias (start1's sums).
@inline function narrowStart(c: usize, cstep: usize, bias: usize, accumulate: bool): v128 {
  let v = accumulate
    ? f32x4(load<f32>(c), load<f32>(c + cstep), load<f32>(c + 2 * cstep), load<f32>(c + 3 * cstep))
    : f32x4.splat(0);
  if (bias) v = f32x4.add(v, v128.load32_splat(bias));
  return v;
}

@inline function narrowStore(c: usize, cstep: usize, v: v128): void {
  store<f32>(c, f32x4.extract_lane(v, 0)); store<f32>(c + cstep, f32x4.extract_lane(v, 1));
  store<f32>(c + 2 * cstep, f32x4.extract_lane(v, 2)); store<f32>(c + 3 * cstep, f32x4.extract_lane(v, 3));
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

// Rows [k0, k1) of gemm_tn's C, each summed exactly as gemm_tn sums it: a thread's share of a weight
// gradient (src/wasm/pool.ts), split over the output because the sum over the M rows keeps one order.
// reference: gemmTNNaive in test/reference.ts
export function gemm_tn_rows(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, accumulate: bool,
                             k0: i32, k1: i32): void {
  blockedRowsTimesB(c + <usize>k0 * <usize>N * F, a + <usize>k0 * F, 1, K, b, 0, k1 - k0, M, N, accumulate,
    ACT_NONE, 0);
}

// Columns [n0, n1) of gemm_tn's C, each summed exactly as gemm_tn sums it (its start, then the terms in order
// over the M rows): a thread's share of the weight gradient of a layer of fewer than 4 inputs, whose dW has no
// 4-row block for gemm_tn_rows to hand out (src/wasm/pool.ts). n0 a multiple of 16, n1 too unless it is N.
// Sliced over the rows as gemm_tn is, so a slice of B serves every row of C from the cache.
// reference: gemmTNNaive in test/reference.ts
export function gemm_tn_cols(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, accumulate: bool,
                             n0: i32, n1: i32): void {
  const S = M <= 2 * L_BLOCK || N < 64 ? max(M, 1) : L_BLOCK, lstep = <usize>K * F;
  for (let l = 0; l < M; l += S) {
    const len = min(S, M - l);
    for (let i = 0; i < K; i++)
      oneRow(c + <usize>i * <usize>N * F, a + (<usize>l * <usize>K + <usize>i) * F, lstep, b + <usize>l * <usize>N * F,
        0, len, N, n0, n1, accumulate || l > 0, ACT_NONE, 0);
  }
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
  if (N < 4) {
    ntShort(c, a, b, M, K, N, accumulate, mask, alpha);
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

// gemm_nt for N < 4 (the input gradient through a layer of 1-3 units, such as a 2-D sample's): every
// output is then the plain sum ((0 + a0·b0) + a1·b1) + a2·b2 in every path above (their lane sums are all
// zero), so four neighbouring outputs of a row are summed at once from a column block of B gathered once.
function ntShort(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, accumulate: bool, mask: usize,
                 alpha: f32): void {
  const rowA = <usize>N * F, rowC = <usize>K * F, zero = f32x4.splat(0), al = f32x4.splat(alpha);
  let k = 0;
  for (; k + 4 <= K; k += 4) {
    // Column n of B at rows k..k+3, as one vector per n (missing n stay zero and are never used).
    const bk = b + <usize>k * rowA;
    const b0 = f32x4(load<f32>(bk), load<f32>(bk + rowA), load<f32>(bk + 2 * rowA), load<f32>(bk + 3 * rowA));
    const b1 = N > 1 ? f32x4(load<f32>(bk, 4), load<f32>(bk + rowA, 4), load<f32>(bk + 2 * rowA, 4),
      load<f32>(bk + 3 * rowA, 4)) : zero;
    const b2 = N > 2 ? f32x4(load<f32>(bk, 8), load<f32>(bk + rowA, 8), load<f32>(bk + 2 * rowA, 8),
      load<f32>(bk + 3 * rowA, 8)) : zero;
    for (let i = 0; i < M; i++) {
      const ai = a + <usize>i * rowA, p = c + <usize>i * rowC + <usize>k * F;
      let s = f32x4.add(zero, f32x4.mul(v128.load32_splat(ai), b0));
      if (N > 1) s = f32x4.add(s, f32x4.mul(v128.load32_splat(ai, 4), b1));
      if (N > 2) s = f32x4.add(s, f32x4.mul(v128.load32_splat(ai, 8), b2));
      if (accumulate) s = f32x4.add(s, v128.load(p));
      if (mask) {
        const m = v128.load(mask + <usize>i * rowC + <usize>k * F);
        s = v128.bitselect(s, f32x4.mul(s, al), f32x4.gt(m, zero));
      }
      v128.store(p, s);
    }
  }
  for (; k < K; k++) {
    for (let i = 0; i < M; i++) {
      ntDot(c + <usize>i * rowC, mask + <usize>i * rowC, k, a + <usize>i * rowA, b + <usize>k * rowA, N,
        accumulate, mask, alpha);
    }
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
