// The natural logarithm and exponential behind every reported number. The engines' Math.log and Math.exp
// are free to differ in the last bit (V8 and JavaScriptCore do), so a report would not be the same bits on
// every engine. These use only IEEE-exact operations (+ - * /, comparisons, bit access), so every engine
// computes the same double. The method is the classic one of fdlibm (Sun, 1993): reduce the argument by
// powers of two and a table-free split of ln 2, then a minimax polynomial on the small remainder; error
// below 1 ulp.

const bits = new DataView(new ArrayBuffer(8));
const high = (x: number): number => (bits.setFloat64(0, x), bits.getInt32(0));
const low = (): number => bits.getUint32(4); // of the value last given to high()
const fromWords = (hi: number, lo: number): number => (bits.setInt32(0, hi), bits.setUint32(4, lo), bits.getFloat64(0));

// ln 2 split so that k * LN2_HI is exact for every exponent k.
const LN2_HI = 6.9314718036912381649e-1; // 0x3fe62e42 fee00000
const LN2_LO = 1.9082149292705877e-10; // 0x3dea39ef 35793c76
const TWO54 = 18014398509481984;

// ln(1 + f) = 2s + s * R(s^2), s = f / (2 + f), on |f| <= sqrt(2) - 1.
const L1 = 6.66666666666673513e-1,
  L2 = 3.999999999940941908e-1,
  L3 = 2.857142874366239149e-1,
  L4 = 2.222219843214978396e-1,
  L5 = 1.818357216161805012e-1,
  L6 = 1.531383769920937332e-1,
  L7 = 1.479819860511658591e-1;

/** ln(x), the same bits on every engine: NaN below 0, -Infinity at 0. */
export function ln(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  let hx = high(x),
    k = 0;
  if (hx < 0x00100000) {
    // subnormal: scale into the normal range first (exact)
    x *= TWO54;
    k -= 54;
    hx = high(x);
  }
  const lx = low();
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  // Normalise the mantissa into [sqrt(2)/2, sqrt(2)), carrying into k.
  const i = (hx + 0x95f64) & 0x100000;
  x = fromWords(hx | (i ^ 0x3ff00000), lx);
  k += i >> 20;
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
    const r = f * f * (0.5 - 0.3333333333333333 * f);
    return k === 0 ? f - r : k * LN2_HI - (r - k * LN2_LO - f);
  }
  const s = f / (2 + f),
    z = s * s,
    w = z * z;
  const r = z * (L1 + w * (L3 + w * (L5 + w * L7))) + w * (L2 + w * (L4 + w * L6));
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : k * LN2_HI - (hfsq - (s * (hfsq + r) + k * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - r) : k * LN2_HI - (s * (f - r) - k * LN2_LO - f);
}

// exp(r) = 1 + r + r * c / (2 - c), c = r - r^2 * P(r^2), on |r| <= ln(2) / 2.
const P1 = 1.66666666666666019037e-1,
  P2 = -2.77777777770155933842e-3,
  P3 = 6.61375632143793436117e-5,
  P4 = -1.6533902205465251539e-6,
  P5 = 4.13813679705723846039e-8;
const INV_LN2 = 1.442695040888963387;
const EXP_MAX = 7.09782712893383973096e2; // above: overflow
const EXP_MIN = -7.4513321910194110842e2; // below: underflow to 0
const TWO_M1000 = 9.332636185032189e-302; // 2^-1000

/** e^x, the same bits on every engine. */
export function exp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x === 1) return Math.E; // the polynomial lands 1 ulp above e; every engine's constant is correctly rounded
  if (x > EXP_MAX) return Infinity;
  if (x < EXP_MIN) return 0;
  const ax = high(x) & 0x7fffffff,
    negative = x < 0;
  let hi = 0,
    lo = 0,
    k = 0;
  if (ax > 0x3fd62e42) {
    // |x| > ln(2) / 2: x = k ln 2 + r
    if (ax < 0x3ff0a2b2) {
      // |x| < 1.5 ln 2
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = Math.trunc(INV_LN2 * x + (negative ? -0.5 : 0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (ax < 0x3e300000) {
    return 1 + x; // |x| < 2^-28
  }
  const t = x * x,
    c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  // y * 2^k, by exact powers of two (two steps where 2^k alone would be subnormal)
  if (k === 1024) return y * 2 * fromWords(0x7fe00000, 0);
  if (k >= -1021) return y * fromWords((0x3ff + k) << 20, 0);
  return y * fromWords((0x3ff + k + 1000) << 20, 0) * TWO_M1000;
}

/** x^y for x > 0 as exp(y ln x): for the few fractional powers of the plots, not for exact integer powers. */
export function pow(x: number, y: number): number {
  return exp(y * ln(x));
}
