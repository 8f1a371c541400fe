// Binary cross-entropy on a sigmoid output, fused with the sigmoid and computed on the logit.
// Keras and tfjs clip p = sigmoid(z) to [eps, 1 - eps] before the log; clipping z to the matching logit
// range is the same function, and stable: loss = max(z,0) - z*y + log(1 + e^-|z|).
// The gradient of the clipped loss is (p - y) / n inside the range and 0 where the clip holds.
// Rows [0, split) have target yHead, rows [split, n) have yTail: real then fake,
// as the reference workload concatenates them.

import { exp4 } from "./exp";

const F = 4;
const EPS: f32 = 1e-7;

// Writes d(mean loss)/dz into dz (which may alias z), and the mean loss (f64) at `loss`, or 0 when skipLoss is
// set: the logarithms are the costly part and training only reads the loss on the steps it reports. The loss
// goes to memory, not back as a result: an engine that does not inline the call boxes a returned f64.
export function sigmoid_bce(dz: usize, z: usize, n: i32, split: i32, yHead: f32, yTail: f32, skipLoss: bool,
                            loss: usize): void {
  const zmax = Mathf.log((<f32>1 - EPS) / EPS), zmin = -zmax;
  const s = split < 0 ? 0 : split > n ? n : split;
  const total = skipLoss ? 0 : lossSum(z, 0, s, yHead, zmin, zmax) + lossSum(z, s, n, yTail, zmin, zmax);
  const inv = <f32>1 / <f32>n;
  gradient(dz, z, 0, s, yHead, inv, zmin, zmax);
  gradient(dz, z, s, n, yTail, inv, zmin, zmax);
  store<f64>(loss, total / <f64>n);
}

function lossSum(z: usize, from: i32, to: i32, y: f32, zmin: f32, zmax: f32): f64 {
  let total: f64 = 0;
  for (let i = from; i < to; i++) {
    const v = min<f32>(max<f32>(load<f32>(z + <usize>i * F), zmin), zmax);
    // log(1 + e) for log1p(e): e <= 1 here, so the rounding of 1 + e costs at most 6e-8 of a term.
    total += <f64>(max<f32>(v, 0) - v * y + Mathf.log(1 + Mathf.exp(-Mathf.abs(v))));
  }
  return total;
}

// dz = (sigmoid(z) - y) / n where the clip is inactive, 0 where it holds.
function gradient(dz: usize, z: usize, from: i32, to: i32, y: f32, inv: f32, zmin: f32, zmax: f32): void {
  const Y = f32x4.splat(y), INV = f32x4.splat(inv), LO = f32x4.splat(zmin), HI = f32x4.splat(zmax);
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const o = <usize>i * F, v = v128.load(z + o);
    const e = exp4(f32x4.neg(f32x4.abs(v)));
    const q = f32x4.div(one, f32x4.add(one, e));
    const p = v128.bitselect(q, f32x4.mul(e, q), f32x4.ge(v, zero));
    const inside = v128.and(f32x4.ge(v, LO), f32x4.le(v, HI));
    v128.store(dz + o, v128.and(f32x4.mul(f32x4.sub(p, Y), INV), inside));
  }
  for (; i < to; i++) {
    const o = <usize>i * F, v = load<f32>(z + o);
    const e = Mathf.exp(-Mathf.abs(v)), q = <f32>1 / (<f32>1 + e);
    const p = v >= 0 ? q : e * q;
    store<f32>(dz + o, v >= zmin && v <= zmax ? (p - y) * inv : 0);
  }
}

// Least squares (LSGAN, with a linear discriminator output): loss = mean (z - y)², dz = 2 (z - y) / n.
// Same target split as sigmoid_bce.
export function squared_error(dz: usize, z: usize, n: i32, split: i32, yHead: f32, yTail: f32, skipLoss: bool,
                              loss: usize): void {
  const s = split < 0 ? 0 : split > n ? n : split;
  const scale = <f32>2 / <f32>n;
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i * F, d = load<f32>(z + o) - (i < s ? yHead : yTail);
    if (!skipLoss) total += <f64>(d * d);
    store<f32>(dz + o, d * scale);
  }
  store<f64>(loss, total / <f64>n);
}
