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

// sin and cos, for the ring target's mode centres. The argument is reduced by the nearest multiple of
// pi/2 with pi/2 split into three parts of 33 bits (each product with a multiple below 2^20 is exact),
// then a minimax polynomial on [-pi/4, pi/4] (fdlibm's method again). |x| up to 2^20 * pi/2.
const PIO2_1 = fromWords(0x3ff921fb, 0x54400000),
  PIO2_1T = fromWords(0x3dd0b461, 0x1a626331),
  PIO2_2 = fromWords(0x3dd0b461, 0x1a600000),
  PIO2_2T = fromWords(0x3ba3198a, 0x2e037073),
  PIO2_3 = fromWords(0x3ba3198a, 0x2e000000),
  PIO2_3T = fromWords(0x397b839a, 0x252049c1),
  INV_PIO2 = fromWords(0x3fe45f30, 0x6dc9c883);

const S1 = -1.66666666666666324348e-1,
  S2 = 8.33333333332248946124e-3,
  S3 = -1.98412698298579493134e-4,
  S4 = 2.75573137070700676789e-6,
  S5 = -2.50507602534068634195e-8,
  S6 = 1.58969099521155010221e-10;
const C1 = 4.16666666666666019037e-2,
  C2 = -1.38888888888741095749e-3,
  C3 = 2.48015872894767294178e-5,
  C4 = -2.75573143513906633035e-7,
  C5 = 2.0875723212981748279e-9,
  C6 = -1.13596475577881948265e-11;

// sin(x + y) for |x + y| <= pi/4, y the tail of a reduced argument (none for an unreduced one).
function sinKernel(x: number, y?: number): number {
  if ((high(x) & 0x7fffffff) < 0x3e400000) return x; // |x| < 2^-27
  const z = x * x,
    v = z * x,
    r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (y === undefined) return x + v * (S1 + z * r);
  return x - (z * (0.5 * y - v * r) - y - v * S1);
}

// cos(x + y) for |x + y| <= pi/4.
function cosKernel(x: number, y: number): number {
  const ix = high(x) & 0x7fffffff;
  if (ix < 0x3e400000) return 1; // |x| < 2^-27
  const z = x * x,
    r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y)); // |x| < 0.3
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0); // x/4, rounded down to 20 bits
  return 1 - qx - (0.5 * z - qx - (z * r - x * y));
}

// x = n pi/2 + (y0 + y1), |y0 + y1| <= pi/4; returns n.
const reduced = [0, 0];
function reduce(x: number): number {
  const n = Math.round(x * INV_PIO2),
    e = (high(x) >> 20) & 0x7ff;
  let r = x - n * PIO2_1,
    w = n * PIO2_1T,
    y = r - w;
  // Where x is close to a multiple of pi/2 the subtraction cancels: use the next 33 bits, twice if needed.
  if (e - ((high(y) >> 20) & 0x7ff) > 16) {
    const t = r;
    w = n * PIO2_2;
    r = t - w;
    w = n * PIO2_2T - (t - r - w);
    y = r - w;
    if (e - ((high(y) >> 20) & 0x7ff) > 49) {
      const t2 = r;
      w = n * PIO2_3;
      r = t2 - w;
      w = n * PIO2_3T - (t2 - r - w);
      y = r - w;
    }
  }
  reduced[0] = y;
  reduced[1] = r - y - w;
  return n;
}

const REDUCIBLE = 1647099.3291652855; // 2^20 * pi/2

function trig(x: number, cosine: boolean): number {
  if (!Number.isFinite(x) || Math.abs(x) > REDUCIBLE) {
    if (Number.isFinite(x)) throw new RangeError(`sin/cos argument beyond ${REDUCIBLE}: ${x}`);
    return NaN;
  }
  if ((high(x) & 0x7fffffff) <= 0x3fe921fb) return cosine ? cosKernel(x, 0) : sinKernel(x); // |x| <= pi/4
  const n = reduce(x),
    [y0, y1] = reduced as [number, number];
  switch ((n + (cosine ? 1 : 0)) & 3) {
    case 0:
      return sinKernel(y0, y1);
    case 1:
      return cosKernel(y0, y1);
    case 2:
      return -sinKernel(y0, y1);
    default:
      return -cosKernel(y0, y1);
  }
}

/** sin(x), the same bits on every engine, for |x| <= 2^20 pi/2. */
export const sin = (x: number): number => trig(x, false);
/** cos(x), the same bits on every engine, for |x| <= 2^20 pi/2. */
export const cos = (x: number): number => trig(x, true);
