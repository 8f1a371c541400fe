// e^x in four lanes, shared by the fused losses (loss.ts, softmax.ts); not exported from the module.

const LOG2E: f32 = 1.4426950408889634;
const LN2_HI: f32 = 0.693145751953125; // ln 2 split so that k * LN2_HI is exact for small k
const LN2_LO: f32 = 1.428606765330187e-6;

// e^x for x <= 0, four lanes: x = k ln2 + r with |r| <= ln2 / 2, e^r by its Taylor series to r^7
// (truncation below 2e-9 relative), and 2^k built directly in the exponent bits.
@inline export function exp4(x: v128): v128 {
  const k = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(k, f32x4.splat(LN2_HI))), f32x4.mul(k, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(<f32>(1.0 / 5040));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 720)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 120)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 24)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 6)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(k), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}
