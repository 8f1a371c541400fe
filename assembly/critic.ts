// Fused kernels for the reference workload's discriminator shape, a one-dimensional critic: one input x,
// one hidden layer h = relu(x·w1 + b1) of H units, one logit z = h·w2 + b2. With a single input column
// every product is an outer or a dot product, so a layer's kernels would each sweep an [M,H] matrix for
// little arithmetic; these sweep it once per pass and keep what is in between in registers.
// (unit_input_grad also takes a leaky relu.)

import { sum4 } from "./lanes";
import { slopeOf } from "./activations";

const F = 4;

// z[M] = relu(x ⊗ w1 + b1)·w2 + b2, storing h [M,H] for the backward pass. Four rows at a time: each
// weight is loaded once for the four, each h is summed into its row's logit while still in a register.
// reference: critic1dForwardNaive in test/reference.ts
export function critic1d_forward(z: usize, h: usize, x: usize, w1: usize, b1: usize, w2: usize, b2: usize,
                                 M: i32, H: i32): void {
  const zero = f32x4.splat(0), H4 = H & ~3, row = <usize>H * F, bias = load<f32>(b2);
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const p = x + <usize>i * F, h0 = h + <usize>i * row, h1 = h0 + row, h2 = h1 + row, h3 = h2 + row;
    const x0 = v128.load32_splat(p), x1 = v128.load32_splat(p, 4);
    const x2 = v128.load32_splat(p, 8), x3 = v128.load32_splat(p, 12);
    let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
    for (let k = 0; k < H4; k += 4) {
      const o = <usize>k * F, w = v128.load(w1 + o), b = v128.load(b1 + o), v = v128.load(w2 + o);
      let a = f32x4.pmax(zero, f32x4.add(f32x4.mul(x0, w), b));
      v128.store(h0 + o, a); s0 = f32x4.add(s0, f32x4.mul(a, v));
      a = f32x4.pmax(zero, f32x4.add(f32x4.mul(x1, w), b));
      v128.store(h1 + o, a); s1 = f32x4.add(s1, f32x4.mul(a, v));
      a = f32x4.pmax(zero, f32x4.add(f32x4.mul(x2, w), b));
      v128.store(h2 + o, a); s2 = f32x4.add(s2, f32x4.mul(a, v));
      a = f32x4.pmax(zero, f32x4.add(f32x4.mul(x3, w), b));
      v128.store(h3 + o, a); s3 = f32x4.add(s3, f32x4.mul(a, v));
    }
    let sums = f32x4.add(sum4(s0, s1, s2, s3), f32x4.splat(bias));
    if (H4 < H) {
      sums = f32x4.add(sums, f32x4(forwardTail(h0, load<f32>(p), w1, b1, w2, H4, H),
        forwardTail(h1, load<f32>(p, 4), w1, b1, w2, H4, H), forwardTail(h2, load<f32>(p, 8), w1, b1, w2, H4, H),
        forwardTail(h3, load<f32>(p, 12), w1, b1, w2, H4, H)));
    }
    v128.store(z + <usize>i * F, sums);
  }
  for (; i < M; i++) {
    store<f32>(z + <usize>i * F, bias + forwardTail(h + <usize>i * row, load<f32>(x + <usize>i * F), w1, b1, w2, 0, H));
  }
}

// Units [from, H) of one row: stores their h and returns their part of the logit.
function forwardTail(hrow: usize, xv: f32, w1: usize, b1: usize, w2: usize, from: i32, H: i32): f32 {
  let t: f32 = 0;
  for (let k = from; k < H; k++) {
    const o = <usize>k * F, a = max<f32>(xv * load<f32>(w1 + o) + load<f32>(b1 + o), 0);
    store<f32>(hrow + o, a);
    t += a * load<f32>(w2 + o);
  }
  return t;
}

// The critic's parameter gradients from its logits' gradient dz [M] (db2 = Σ dz is sum_rows'):
// dw2 = hᵀ·dz, and through the relu, dw1 = xᵀ·dz1 and db1 = 1ᵀ·dz1 with dz1 = (dz·w2ᵀ) where h > 0, never
// stored. Sweeps of eight units down the rows keep all six sums and both weights in registers.
// reference: critic1dBackwardNaive in test/reference.ts
export function critic1d_backward(dw1: usize, db1: usize, dw2: usize, x: usize, h: usize, dz: usize, w2: usize,
                                  M: i32, H: i32): void {
  const zero = f32x4.splat(0), row = <usize>H * F;
  let j = 0;
  for (; j + 8 <= H; j += 8) {
    const o = <usize>j * F, v0 = v128.load(w2 + o), v1 = v128.load(w2 + o, 16);
    let p0 = zero, p1 = zero, q0 = zero, q1 = zero, r0 = zero, r1 = zero, ph = h + o;
    for (let i = 0; i < M; i++) {
      const g = v128.load32_splat(dz + <usize>i * F), xs = v128.load32_splat(x + <usize>i * F);
      const a0 = v128.load(ph), a1 = v128.load(ph, 16);
      p0 = f32x4.add(p0, f32x4.mul(a0, g)); p1 = f32x4.add(p1, f32x4.mul(a1, g));
      const d0 = v128.and(f32x4.mul(g, v0), f32x4.gt(a0, zero)), d1 = v128.and(f32x4.mul(g, v1), f32x4.gt(a1, zero));
      q0 = f32x4.add(q0, f32x4.mul(xs, d0)); q1 = f32x4.add(q1, f32x4.mul(xs, d1));
      r0 = f32x4.add(r0, d0); r1 = f32x4.add(r1, d1);
      ph += row;
    }
    v128.store(dw2 + o, p0); v128.store(dw2 + o, p1, 16);
    v128.store(dw1 + o, q0); v128.store(dw1 + o, q1, 16);
    v128.store(db1 + o, r0); v128.store(db1 + o, r1, 16);
  }
  for (; j < H; j++) {
    // The last H mod 8 units one at a time.
    const o = <usize>j * F, v = load<f32>(w2 + o);
    let p: f32 = 0, q: f32 = 0, r: f32 = 0;
    for (let i = 0; i < M; i++) {
      const g = load<f32>(dz + <usize>i * F), a = load<f32>(h + <usize>i * row + o);
      p += a * g;
      if (a > 0) { const d = g * v; q += load<f32>(x + <usize>i * F) * d; r += d; }
    }
    store<f32>(dw2 + o, p); store<f32>(dw1 + o, q); store<f32>(db1 + o, r);
  }
}

// dx[M] = dz ⊙ (g(h) · (w1 ∘ w2)): the critic's input gradient through its frozen weights, where g is the
// slope of the hidden activation act (ACT_*; relu, or leaky relu with slope alpha): 1 where h > 0 and its
// slope below zero elsewhere. With a single input the two backward products and the gate between them
// collapse into one dot product per row (the same sum in another order), without the [M,H] gradient in
// between: a one-dimensional discriminator's gradient for its generator.
// reference: unitInputGradNaive in test/reference.ts
export function unit_input_grad(dx: usize, h: usize, dz: usize, w1: usize, w2: usize, M: i32, H: i32,
                                act: i32, alpha: f32): void {
  alpha = slopeOf(act, alpha);
  // Σ g(h_j) u_j = alpha Σ u_j + (1 - alpha) Σ_{h_j > 0} u_j, u = w1 ∘ w2; relu leaves the second sum alone.
  let total: f32 = 0;
  for (let j = 0; j < H; j++) total += load<f32>(w1 + <usize>j * F) * load<f32>(w2 + <usize>j * F);
  const base = f32x4.splat(alpha * total), rise = f32x4.splat(1 - alpha), zero = f32x4.splat(0);
  const H4 = H & ~3, row = <usize>H * F;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const r0 = h + <usize>i * row, r1 = r0 + row, r2 = r1 + row, r3 = r2 + row;
    let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
    for (let k = 0; k < H4; k += 4) {
      const o = <usize>k * F, u = f32x4.mul(v128.load(w1 + o), v128.load(w2 + o));
      s0 = f32x4.add(s0, v128.and(u, f32x4.gt(v128.load(r0 + o), zero)));
      s1 = f32x4.add(s1, v128.and(u, f32x4.gt(v128.load(r1 + o), zero)));
      s2 = f32x4.add(s2, v128.and(u, f32x4.gt(v128.load(r2 + o), zero)));
      s3 = f32x4.add(s3, v128.and(u, f32x4.gt(v128.load(r3 + o), zero)));
    }
    let sums = sum4(s0, s1, s2, s3);
    if (H4 < H) {
      sums = f32x4.add(sums, f32x4(gatedTail(r0, w1, w2, H4, H), gatedTail(r1, w1, w2, H4, H),
        gatedTail(r2, w1, w2, H4, H), gatedTail(r3, w1, w2, H4, H)));
    }
    v128.store(dx + <usize>i * F, f32x4.mul(v128.load(dz + <usize>i * F), f32x4.add(base, f32x4.mul(rise, sums))));
  }
  for (; i < M; i++) {
    const t = gatedTail(h + <usize>i * row, w1, w2, 0, H);
    store<f32>(dx + <usize>i * F, load<f32>(dz + <usize>i * F) * (f32x4.extract_lane(base, 0) + (1 - alpha) * t));
  }
}

// Σ over j in [from, H) where hrow[j] > 0 of w1[j] w2[j].
function gatedTail(hrow: usize, w1: usize, w2: usize, from: i32, H: i32): f32 {
  let t: f32 = 0;
  for (let j = from; j < H; j++) {
    const o = <usize>j * F;
    if (load<f32>(hrow + o) > 0) t += load<f32>(w1 + o) * load<f32>(w2 + o);
  }
  return t;
}
