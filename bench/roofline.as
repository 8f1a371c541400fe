// The roofline of `npm run bench`: the most f32 arithmetic this CPU does in wasm SIMD, measured rather
// than taken from a datasheet. AssemblyScript, compiled by asc in a process of its own when the bench
// starts (bench/roofline-build.ts); it is not part of the library's module.
//
// Registers only, no memory traffic in the loop: twelve independent chains of acc = acc*m + c keep both
// the multiply and the add pipes busy (12 x 4 lanes x 2 FLOPs = 96 FLOPs per iteration). m and c go
// through memory once before the loop: built by splat from the arguments, V8 re-broadcasts them inside
// the loop under this register pressure, and those two shuffles cost about a tenth of the throughput.

const CONSTANTS = memory.data(32, 16);

export function chains(iters: i32, mv: f32, cv: f32): f32 {
  v128.store(CONSTANTS, f32x4.splat(mv));
  v128.store(CONSTANTS, f32x4.splat(cv), 16);
  const m = v128.load(CONSTANTS), c = v128.load(CONSTANTS, 16);
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
