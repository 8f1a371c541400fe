// Elementwise activations, each forward beside its backward. Backward kernels may run in place
// (dx == dy): every element is read before it is written.
//   relu, leaky_relu: backward reads the pre-activation x
//   sigmoid, tanh:    backward reads the output y, as its derivative is a function of y
// Linear needs no kernel: the layer aliases its output to its pre-activation.
// relu and leaky relu also run fused into the products' stores and their backward into the product below
// (products.ts, unit.ts, critic.ts), named there by the codes ACT_*; the host reads the codes from the
// module's exports (src/kernels/boundary.ts), so they are defined here alone.
// reference: activationForwardNaive / activationBackwardNaive in test/reference.ts

const F = 4;

export const ACT_NONE = 0, ACT_RELU = 1, ACT_LEAKY = 2;

// An activation's slope below zero, by code: 1 for none (the identity), 0 for relu, alpha for leaky relu.
@inline export function slopeOf(act: i32, alpha: f32): f32 {
  return act == ACT_NONE ? 1 : act == ACT_RELU ? 0 : alpha;
}

// Every fused activation is max(v, s·v + 0) for its slope s below zero, 1, 0 or alpha <= 1 (the host fuses no leakier
// one): three operations and no branch. Branches on act per store cost more, as the optimiser evaluates
// every arm and selects. The + 0 makes relu's zero positive; pmax is the plain maxps (f32x4.max's NaN and
// signed-zero rules take several instructions on x86).
@inline export function slope(act: i32, alpha: f32): v128 {
  return f32x4.splat(slopeOf(act, alpha));
}

@inline export function finish(v: v128, s: v128): v128 {
  return f32x4.pmax(f32x4.add(f32x4.mul(v, s), f32x4.splat(0)), v);
}

@inline export function finish1(v: f32, s: f32): f32 {
  const w = v * s + 0;
  return w < v ? v : w;
}

export function relu_forward(y: usize, x: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * F;
    v128.store(y + o, f32x4.max(v128.load(x + o), zero));
  }
  for (; i < n; i++) {
    const v = load<f32>(x + <usize>i * F);
    store<f32>(y + <usize>i * F, v > 0 ? v : 0);
  }
}

export function relu_backward(dx: usize, dy: usize, x: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * F;
    v128.store(dx + o, v128.and(v128.load(dy + o), f32x4.gt(v128.load(x + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i * F;
    store<f32>(dx + o, load<f32>(x + o) > 0 ? load<f32>(dy + o) : 0);
  }
}

export function leaky_relu_forward(y: usize, x: usize, n: i32, alpha: f32): void {
  const zero = f32x4.splat(0), a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * F, v = v128.load(x + o);
    v128.store(y + o, v128.bitselect(v, f32x4.mul(v, a), f32x4.gt(v, zero)));
  }
  for (; i < n; i++) {
    const v = load<f32>(x + <usize>i * F);
    store<f32>(y + <usize>i * F, v > 0 ? v : v * alpha);
  }
}

export function leaky_relu_backward(dx: usize, dy: usize, x: usize, n: i32, alpha: f32): void {
  const zero = f32x4.splat(0), a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * F, g = v128.load(dy + o);
    v128.store(dx + o, v128.bitselect(g, f32x4.mul(g, a), f32x4.gt(v128.load(x + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i * F, g = load<f32>(dy + o);
    store<f32>(dx + o, load<f32>(x + o) > 0 ? g : g * alpha);
  }
}

// 1 / (1 + e^-x), as tfjs computes it. exp is AssemblyScript's own, so every engine agrees to the bit.
export function sigmoid_forward(y: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i * F;
    store<f32>(y + o, <f32>1 / (<f32>1 + Mathf.exp(-load<f32>(x + o))));
  }
}

export function sigmoid_backward(dx: usize, dy: usize, y: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * F, s = v128.load(y + o);
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), f32x4.mul(s, f32x4.sub(one, s))));
  }
  for (; i < n; i++) {
    const o = <usize>i * F, s = load<f32>(y + o);
    store<f32>(dx + o, load<f32>(dy + o) * (s * (<f32>1 - s)));
  }
}

export function tanh_forward(y: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i * F;
    store<f32>(y + o, Mathf.tanh(load<f32>(x + o)));
  }
}

export function tanh_backward(dx: usize, dy: usize, y: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * F, t = v128.load(y + o);
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), f32x4.sub(one, f32x4.mul(t, t))));
  }
  for (; i < n; i++) {
    const o = <usize>i * F, t = load<f32>(y + o);
    store<f32>(dx + o, load<f32>(dy + o) * (<f32>1 - t * t));
  }
}
