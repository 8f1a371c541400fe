// ln and exp in float64 from + - * / and the exponent bits alone, so every engine prints the same bits
// (Math.log / Math.exp are only "implementation-approximated" by the standard). Accurate to a few ulp,
// which no reported figure's printed digits can see. A project-wide version of these may replace this.

const LN2_HI = 6.9314718036912381649e-1; // ln 2 in two parts: k * LN2_HI is exact for |k| < 2^20
const LN2_LO = 1.90821492927058770002e-10;
const SQRT_HALF = 0.7071067811865476;

const bits = new DataView(new ArrayBuffer(8));

/** Natural logarithm: ln x = k ln 2 + 2 atanh((m - 1) / (m + 1)) with x = m 2^k, m in [sqrt(1/2), sqrt(2)). */
export function ln(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: subnormal, normalised first
    k = -54;
  }
  bits.setFloat64(0, x);
  const hi = bits.getUint32(0);
  k += (hi >>> 20) - 1023;
  bits.setUint32(0, (hi & 0x000fffff) | 0x3ff00000); // the mantissa m in [1, 2)
  let m = bits.getFloat64(0);
  if (m > 2 * SQRT_HALF) {
    m /= 2;
    k++;
  }
  const s = (m - 1) / (m + 1),
    s2 = s * s;
  // |s| <= 0.1716, s^2 <= 0.0295: the odd series to s^23 is below 1e-18 of the result.
  let t = 1 / 23;
  for (let n = 21; n >= 1; n -= 2) t = 1 / n + s2 * t;
  return k * LN2_HI + (2 * s * t + k * LN2_LO);
}

/** e^x: x = k ln 2 + r with |r| <= ln 2 / 2, e^r by its Taylor series to r^14, 2^k in the exponent bits. */
export function exp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  const k = Math.round(x / (LN2_HI + LN2_LO));
  const r = x - k * LN2_HI - k * LN2_LO;
  // Horner on e^r = 1 + r(1 + r/2(1 + r/3(...))): |r|^15 / 15! < 1e-19.
  let q = 1;
  for (let n = 14; n >= 1; n--) q = 1 + (r / n) * q;
  return scale2(q, k);
}

// y * 2^k, in steps that stay normal, so subnormal results round once.
function scale2(y: number, k: number): number {
  while (k > 1023) {
    y *= 8.98846567431158e307; // 2^1023
    k -= 1023;
  }
  while (k < -1022) {
    y *= 2.2250738585072014e-308; // 2^-1022
    k += 1022;
  }
  bits.setUint32(0, (k + 1023) << 20);
  bits.setUint32(4, 0);
  return y * bits.getFloat64(0);
}
