// Binary cross-entropy on a sigmoid output, fused with the sigmoid and computed on the logit.
// Keras and tfjs clip p = sigmoid(z) to [eps, 1 - eps] before the log; clipping z to the matching logit
// range is the same function, and stable: loss = max(z,0) - z*y + log(1 + e^-|z|).
// The gradient of the clipped loss is (p - y) / n inside the range and 0 where the clip holds.
// Rows [0, split) have target yHead, rows [split, n) have yTail: real then fake, as the seed concatenates.

const F = 4;
const EPS: f32 = 1e-7;

// Returns the mean loss; writes d(mean loss)/dz into dz (which may alias z).
export function sigmoid_bce(dz: usize, z: usize, n: i32, split: i32, yHead: f32, yTail: f32): f64 {
  const zmax = Mathf.log((<f32>1 - EPS) / EPS), zmin = -zmax;
  const inv = <f32>1 / <f32>n;
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i * F, y = i < split ? yHead : yTail;
    const raw = load<f32>(z + o);
    const clipped = raw < zmin || raw > zmax;
    const v = clipped ? (raw < zmin ? zmin : zmax) : raw;
    const e = Mathf.exp(-Mathf.abs(v));
    total += <f64>((v > 0 ? v : <f32>0) - v * y + Mathf.log1p(e));
    const p = v >= 0 ? <f32>1 / (<f32>1 + e) : e / (<f32>1 + e);
    store<f32>(dz + o, clipped ? <f32>0 : (p - y) * inv);
  }
  return total / <f64>n;
}
