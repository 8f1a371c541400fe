// xoshiro128** (Blackman & Vigna) run as four independent lanes in one v128 per state word, so a call
// yields four 32-bit outputs. A generator's whole state is 64 bytes of linear memory owned by the host:
// it can be saved, restored and kept per model, and no call depends on hidden globals.
//   state layout: s0, s1, s2, s3 as four v128, lane k of each belonging to stream k.

const F = 4;
const INV24: f32 = 1.0 / 16777216.0; // 2^-24: the top 24 bits of a draw become a float in [0, 1)

// splitmix64 (Steele, Lea & Flood) expands (stream, seed) into sixteen nonzero state words. The pair is
// the 64-bit counter's start, so the eight counter values of two pairs coincide only for streams billions
// apart. (A 32-bit counter started at seed ^ stream * 0x9e3779b9 gave streams 0 and 1 of every seed with
// no bit in common with that constant, 0, 2, 4, ..., the same words shifted by one: three lanes shared.)
@inline function mix64(x: u64): u64 {
  x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9;
  x = (x ^ (x >>> 27)) * 0x94d049bb133111eb;
  return x ^ (x >>> 31);
}

// reference: Xoshiro128ss in test/reference.ts (the generator each lane runs)
export function rng_seed(state: usize, seed: u32, stream: u32): void {
  let x: u64 = (<u64>stream << 32) | <u64>seed;
  for (let i = 0; i < 16; i += 2) {
    x += 0x9e3779b97f4a7c15;
    const w = mix64(x);
    let lo = <u32>w, hi = <u32>(w >>> 32);
    // No word is zero, so no lane starts in xoshiro's one forbidden state, all zeros.
    if (lo == 0) lo = 0x6a09e667;
    if (hi == 0) hi = 0xbb67ae85;
    store<u32>(state + <usize>i * F, lo);
    store<u32>(state + <usize>(i + 1) * F, hi);
  }
}

@inline function rotl(x: v128, k: i32): v128 {
  return v128.or(i32x4.shl(x, k), i32x4.shr_u(x, 32 - k));
}

// xoshiro128**'s scrambler, rotl(s1 · 5, 7) · 9, with each multiply as a shift and an add (the same
// bits mod 2^32): a lane multiply is slow on x86, and V8 rebuilds its constant operand on every use.
@inline function scramble(s1: v128): v128 {
  const t = rotl(i32x4.add(i32x4.shl(s1, 2), s1), 7);
  return i32x4.add(i32x4.shl(t, 3), t);
}

// One step of all four lanes from the state in memory: their outputs. Used where draws are few.
function draw(state: usize): v128 {
  let s0 = v128.load(state), s1 = v128.load(state, 16), s2 = v128.load(state, 32), s3 = v128.load(state, 48);
  const out = scramble(s1);
  const t = i32x4.shl(s1, 9);
  s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1);
  s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
  s2 = v128.xor(s2, t); s3 = rotl(s3, 11);
  v128.store(state, s0); v128.store(state, s1, 16); v128.store(state, s2, 32); v128.store(state, s3, 48);
  return out;
}

// The top 24 bits of each lane as a whole number of 2^-24ths. They fit a signed lane, whose conversion is
// one instruction on x86 (the unsigned one takes several).
@inline function top24(bits: v128): v128 {
  return f32x4.convert_i32x4_s(i32x4.shr_u(bits, 8));
}

// The top 24 bits of each lane as a float in [0, 1).
@inline function unit(bits: v128): v128 {
  return f32x4.mul(top24(bits), f32x4.splat(INV24));
}

// out[i] = lo + (hi - lo) u, u uniform in [0, 1). The same steps as draw(), with the state held in
// locals for the whole fill, because noise for every batch comes through here.
// reference: Xoshiro128ss in test/reference.ts, lane by lane
export function rng_uniform(state: usize, out: usize, n: i32, lo: f32, hi: f32): void {
  // (hi - lo) u = (hi - lo) 2^-24 k for the integer k: scaling by a power of two is exact, so folding it
  // into the width changes no bit and saves a multiply per draw.
  const LO = f32x4.splat(lo), W = f32x4.splat(hi - lo), WK = f32x4.splat((hi - lo) * INV24);
  let s0 = v128.load(state), s1 = v128.load(state, 16), s2 = v128.load(state, 32), s3 = v128.load(state, 48);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const bits = scramble(s1);
    const t = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1);
    s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
    s2 = v128.xor(s2, t); s3 = rotl(s3, 11);
    v128.store(out + <usize>i * F, f32x4.add(LO, f32x4.mul(top24(bits), WK)));
  }
  v128.store(state, s0); v128.store(state, s1, 16); v128.store(state, s2, 32); v128.store(state, s3, 48);
  if (n4 < n) {
    // The unused lanes of the last draw are dropped, so the sequence depends only on n.
    const v = f32x4.add(LO, f32x4.mul(W, unit(draw(state))));
    store<f32>(out + <usize>n4 * F, f32x4.extract_lane(v, 0));
    if (n4 + 1 < n) store<f32>(out + <usize>(n4 + 1) * F, f32x4.extract_lane(v, 1));
    if (n4 + 2 < n) store<f32>(out + <usize>(n4 + 2) * F, f32x4.extract_lane(v, 2));
  }
}

// out[i] ~ N(mean, std²) by Marsaglia's polar method: a point (u, v) uniform in the square [-1, 1)² is kept
// when it falls inside the unit disc, and gives two normals. No sine or cosine, which keeps the module small;
// each draw of four uniforms offers two candidate points, taken in lane order.
// reference: Xoshiro128ss in test/reference.ts for the draws; the distribution by its statistics
export function rng_normal(state: usize, out: usize, n: i32, mean: f32, std: f32): void {
  let i = 0;
  while (i < n) {
    const p = f32x4.sub(f32x4.mul(unit(draw(state)), f32x4.splat(2)), f32x4.splat(1));
    i = polar(out, i, n, mean, std, f32x4.extract_lane(p, 0), f32x4.extract_lane(p, 1));
    i = polar(out, i, n, mean, std, f32x4.extract_lane(p, 2), f32x4.extract_lane(p, 3));
  }
}

// Writes the pair from (u, v) if the point is accepted; returns the next index to fill.
@inline function polar(out: usize, i: i32, n: i32, mean: f32, std: f32, u: f32, v: f32): i32 {
  const s = u * u + v * v;
  if (i >= n || s >= 1 || s == 0) return i;
  const f = Mathf.sqrt(<f32>-2 * Mathf.log(s) / s);
  store<f32>(out + <usize>i * F, mean + std * u * f);
  if (i + 1 < n) store<f32>(out + <usize>(i + 1) * F, mean + std * v * f);
  return i + 2;
}
