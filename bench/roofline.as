// The roofline of `npm run bench`: the most f32 arithmetic this CPU does in wasm SIMD, measured rather
// than taken from a datasheet. AssemblyScript, compiled by asc when the bench starts (it is not part of
// the library's module). Registers only, no memory traffic: twelve independent chains of acc = acc*m + c
// keep both the multiply and the add pipes busy; 8 chains of a GEMM-like 4x2 tile (accumulators fed by
// rotating operands) are the second candidate. Each iteration of either counts 2 FLOPs per lane per
// multiply-add. The bench takes the faster.

// 12 chains x 4 lanes x 2 FLOPs = 96 FLOPs per iteration.
export function chains(iters: i32, mv: f32, cv: f32): f32 {
  const m = f32x4.splat(mv), c = f32x4.splat(cv);
  let a0 = f32x4.splat(1), a1 = f32x4.splat(2), a2 = f32x4.splat(3), a3 = f32x4.splat(4);
  let a4 = f32x4.splat(5), a5 = f32x4.splat(6), a6 = f32x4.splat(7), a7 = f32x4.splat(8);
  let a8 = f32x4.splat(9), a9 = f32x4.splat(10), a10 = f32x4.splat(11), a11 = f32x4.splat(12);
  for (let i = 0; i < iters; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), c); a1 = f32x4.add(f32x4.mul(a1, m), c);
    a2 = f32x4.add(f32x4.mul(a2, m), c); a3 = f32x4.add(f32x4.mul(a3, m), c);
    a4 = f32x4.add(f32x4.mul(a4, m), c); a5 = f32x4.add(f32x4.mul(a5, m), c);
    a6 = f32x4.add(f32x4.mul(a6, m), c); a7 = f32x4.add(f32x4.mul(a7, m), c);
    a8 = f32x4.add(f32x4.mul(a8, m), c); a9 = f32x4.add(f32x4.mul(a9, m), c);
    a10 = f32x4.add(f32x4.mul(a10, m), c); a11 = f32x4.add(f32x4.mul(a11, m), c);
  }
  // The sum keeps every chain live, so none is optimised away.
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(f32x4.add(s, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))), 0);
}

// 8 accumulators x 4 lanes x 2 FLOPs = 64 FLOPs per iteration. The row operands rotate each iteration,
// so no product is loop-invariant; the rotation is register renaming, not arithmetic.
export function tile(iters: i32, mv: f32, cv: f32): f32 {
  let x0 = f32x4.splat(mv), x1 = f32x4.splat(mv + 1), x2 = f32x4.splat(mv + 2), x3 = f32x4.splat(mv + 3);
  const b0 = f32x4.splat(cv), b1 = f32x4.splat(cv * 2);
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let i = 0; i < iters; i++) {
    c00 = f32x4.add(c00, f32x4.mul(x0, b0)); c01 = f32x4.add(c01, f32x4.mul(x0, b1));
    c10 = f32x4.add(c10, f32x4.mul(x1, b0)); c11 = f32x4.add(c11, f32x4.mul(x1, b1));
    c20 = f32x4.add(c20, f32x4.mul(x2, b0)); c21 = f32x4.add(c21, f32x4.mul(x2, b1));
    c30 = f32x4.add(c30, f32x4.mul(x3, b0)); c31 = f32x4.add(c31, f32x4.mul(x3, b1));
    const t = x0; x0 = x1; x1 = x2; x2 = x3; x3 = t;
  }
  const s = f32x4.add(f32x4.add(f32x4.add(c00, c01), f32x4.add(c10, c11)), f32x4.add(f32x4.add(c20, c21), f32x4.add(c30, c31)));
  return f32x4.extract_lane(s, 0);
}
