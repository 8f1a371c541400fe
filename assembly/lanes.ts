// Lane reductions shared by the kernel families (not exported from the module).

const F = 4;

// The sum of the four lanes, paired as (0 + 1) + (2 + 3).
@inline export function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) +
         (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// The lane sums of four vectors, as the lanes of one: a 4x4 transpose of lanes and three adds.
@inline export function sum4(s0: v128, s1: v128, s2: v128, s3: v128): v128 {
  const t0 = f32x4.add(i32x4.shuffle(s0, s1, 0, 4, 1, 5), i32x4.shuffle(s0, s1, 2, 6, 3, 7));
  const t1 = f32x4.add(i32x4.shuffle(s2, s3, 0, 4, 1, 5), i32x4.shuffle(s2, s3, 2, 6, 3, 7));
  return f32x4.add(i32x4.shuffle(t0, t1, 0, 1, 4, 5), i32x4.shuffle(t0, t1, 2, 3, 6, 7));
}

// Dot product of n contiguous floats, four lanes at a time.
@inline export function dot(x: usize, y: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let k = 0;
  for (; k + 4 <= n; k += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(x + <usize>k * F), v128.load(y + <usize>k * F)));
  let s = hsum(acc);
  for (; k < n; k++) s += load<f32>(x + <usize>k * F) * load<f32>(y + <usize>k * F);
  return s;
}
