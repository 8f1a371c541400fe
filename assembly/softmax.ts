// Softmax and the fused softmax + cross-entropy of a classifier, on logits z [M, C] (row-major), each
// row shifted by its maximum so every exponent is <= 0 (exp4's range). Labels are class indices, i32.
// Forward and backward are one pass: the loss needs the same exponentials as the gradient
//   p = softmax(z),  loss = mean_i (ln Σ_j e^(z_ij - m_i) - (z_i,y_i - m_i)),  dz = (p - onehot(y)) / M.
import { exp4 } from "./exp";
import { hsum } from "./lanes";

const F = 4;
// Below this exp4's 2^k leaves the normal range; e^-87.3 is below f32's normal range, so 0 is exact enough.
const LOWEST: f32 = -87;

function expShifted(x: v128): v128 {
  const lo = f32x4.splat(LOWEST);
  return v128.and(exp4(f32x4.max(x, lo)), f32x4.ge(x, lo));
}

// The maximum of the row shiftedExps saw last.
let rowMax: f32 = 0;

// Writes e^(z - max) of one row into out (which may alias z) and returns their sum. Tails go through
// the same four-lane exp, one lane used, so a value's exponential does not depend on its column.
function shiftedExps(out: usize, z: usize, C: i32): f32 {
  let m = load<f32>(z);
  for (let j = 1; j < C; j++) m = max<f32>(m, load<f32>(z + <usize>j * F));
  rowMax = m;
  const M4 = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= C; j += 4) {
    const o = <usize>j * F, e = expShifted(f32x4.sub(v128.load(z + o), M4));
    v128.store(out + o, e);
    acc = f32x4.add(acc, e);
  }
  let s = hsum(acc);
  for (; j < C; j++) {
    const o = <usize>j * F;
    const e = f32x4.extract_lane(expShifted(f32x4.splat(load<f32>(z + o) - m)), 0);
    store<f32>(out + o, e);
    s += e;
  }
  return s;
}

// p [M, C] = softmax(z) row by row; p may alias z.
export function softmax_forward(p: usize, z: usize, M: i32, C: i32): void {
  for (let i = 0; i < M; i++) {
    const row = <usize>i * <usize>C * F;
    const inv = <f32>1 / shiftedExps(p + row, z + row, C);
    for (let j = 0; j < C; j++) store<f32>(p + row + <usize>j * F, load<f32>(p + row + <usize>j * F) * inv);
  }
}

// Writes d(mean loss)/dz into dz (which may alias z) and returns the mean cross-entropy, or 0 when
// skipLoss is set (the logarithm is then not taken).
export function softmax_ce(dz: usize, z: usize, labels: usize, M: i32, C: i32, skipLoss: bool): f64 {
  const invM = <f32>1 / <f32>M;
  let total: f64 = 0;
  for (let i = 0; i < M; i++) {
    const row = <usize>i * <usize>C * F, y = load<i32>(labels + <usize>i * 4);
    const zy = load<f32>(z + row + <usize>y * F); // read before dz (perhaps z itself) is overwritten
    const s = shiftedExps(dz + row, z + row, C);
    if (!skipLoss) total += <f64>(Mathf.log(s) - (zy - rowMax));
    const scale = invM / s;
    for (let j = 0; j < C; j++) {
      const o = row + <usize>j * F;
      store<f32>(dz + o, load<f32>(dz + o) * scale - (j == y ? invM : 0));
    }
  }
  return total / <f64>M;
}
