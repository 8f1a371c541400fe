// Optimizer updates over one contiguous parameter buffer, with state buffers of the same layout.
// Each follows tfjs's order of operations in f32, so results agree with it to the bit. Decay rates arrive
// as f64 because tfjs forms 1 - beta in float64 before rounding it to an f32 scalar; 1 - <f32>beta
// differs in the last bits (for beta2 = 0.999, by 1.3e-5 relative).

const F = 4;

// Adam: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²; w -= lr (m / c1) / (sqrt(v / c2) + eps),
// with c1 = 1 - b1^t and c2 = 1 - b2^t. The powers b^t live at `pows` (two f32, 1 and 1 before the first
// step) and are advanced here by one f32 multiplication each, as tfjs does: a host that formed 1 - b^t
// itself would make a fresh float every step, which an engine may box on the heap.
// reference: AdamNaive in test/reference.ts
export function adam_update(w: usize, g: usize, m: usize, v: usize, n: i32,
                            lr: f32, beta1: f64, beta2: f64, eps: f32, pows: usize): void {
  adam_advance(pows, beta1, beta2);
  adam_step(w, g, m, v, n, lr, beta1, beta2, eps, pows);
}

// The two halves of adam_update, for a thread pool: the powers advance once (on one thread), then the
// element loop runs on any split of the elements with the powers as they now are.
export function adam_advance(pows: usize, beta1: f64, beta2: f64): void {
  store<f32>(pows, load<f32>(pows) * <f32>beta1); store<f32>(pows, load<f32>(pows, 4) * <f32>beta2, 4);
}

// reference: AdamNaive in test/reference.ts (after adam_advance)
export function adam_step(w: usize, g: usize, m: usize, v: usize, n: i32,
                          lr: f32, beta1: f64, beta2: f64, eps: f32, pows: usize): void {
  const b1 = <f32>beta1, b2 = <f32>beta2, a1 = <f32>(1 - beta1), a2 = <f32>(1 - beta2);
  const c1 = <f32>1 - load<f32>(pows), c2 = <f32>1 - load<f32>(pows, 4);
  const B1 = f32x4.splat(b1), B2 = f32x4.splat(b2), A1 = f32x4.splat(a1), A2 = f32x4.splat(a2);
  const C1 = f32x4.splat(c1), C2 = f32x4.splat(c2), E = f32x4.splat(eps), LR = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * F, gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(v128.load(m + o), B1), f32x4.mul(gi, A1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + o), B2), f32x4.mul(f32x4.mul(gi, gi), A2));
    v128.store(m + o, mi); v128.store(v + o, vi);
    const step = f32x4.div(f32x4.div(mi, C1), f32x4.add(f32x4.sqrt(f32x4.div(vi, C2)), E));
    v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.mul(step, LR)));
  }
  for (; i < n; i++) {
    const o = <usize>i * F, gi = load<f32>(g + o);
    const mi = load<f32>(m + o) * b1 + gi * a1;
    const vi = load<f32>(v + o) * b2 + gi * gi * a2;
    store<f32>(m + o, mi); store<f32>(v + o, vi);
    store<f32>(w + o, load<f32>(w + o) - (mi / c1) / (Mathf.sqrt(vi / c2) + eps) * lr);
  }
}

// RMSprop (tfjs, uncentred): ms = rho ms + (1-rho) g²; mom = momentum mom + lr g / sqrt(ms + eps); w -= mom.
// reference: RMSpropNaive in test/reference.ts
export function rmsprop_update(w: usize, g: usize, ms: usize, mom: usize, n: i32,
                               lr: f32, rho: f64, momentum: f32, eps: f32): void {
  const r = <f32>rho, a = <f32>(1 - rho);
  const R = f32x4.splat(r), A = f32x4.splat(a), M = f32x4.splat(momentum);
  const E = f32x4.splat(eps), LR = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * F, gi = v128.load(g + o);
    const si = f32x4.add(f32x4.mul(v128.load(ms + o), R), f32x4.mul(f32x4.mul(gi, gi), A));
    const mi = f32x4.add(f32x4.mul(v128.load(mom + o), M), f32x4.div(f32x4.mul(gi, LR), f32x4.sqrt(f32x4.add(si, E))));
    v128.store(ms + o, si); v128.store(mom + o, mi);
    v128.store(w + o, f32x4.sub(v128.load(w + o), mi));
  }
  for (; i < n; i++) {
    const o = <usize>i * F, gi = load<f32>(g + o);
    const si = load<f32>(ms + o) * r + gi * gi * a;
    const mi = load<f32>(mom + o) * momentum + gi * lr / Mathf.sqrt(si + eps);
    store<f32>(ms + o, si); store<f32>(mom + o, mi);
    store<f32>(w + o, load<f32>(w + o) - mi);
  }
}

// SGD with momentum (tfjs MomentumOptimizer, not Nesterov): acc = momentum acc + g; w -= lr acc.
// reference: MomentumNaive in test/reference.ts
export function sgd_update(w: usize, g: usize, acc: usize, n: i32, lr: f32, momentum: f32): void {
  const M = f32x4.splat(momentum), LR = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * F;
    const ai = f32x4.add(f32x4.mul(v128.load(acc + o), M), v128.load(g + o));
    v128.store(acc + o, ai);
    v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.mul(ai, LR)));
  }
  for (; i < n; i++) {
    const o = <usize>i * F;
    const ai = load<f32>(acc + o) * momentum + load<f32>(g + o);
    store<f32>(acc + o, ai);
    store<f32>(w + o, load<f32>(w + o) - ai * lr);
  }
}
