// Our own ln and exp (src/metrics/math.ts), behind every reported number, against the engine's Math:
// within 1 ulp on millions of values over the whole double range, and exact at the special points. That
// they give the same bits on every engine is test/engines.test.ts's job.
import { describe, expect, it } from "vitest";
import { cos, exp, ln, pow, sin } from "../src/metrics/math.js";
import { testRandom } from "./helpers.js";

const f64 = new Float64Array(1),
  i64 = new BigInt64Array(f64.buffer),
  u32 = new Uint32Array(f64.buffer);

/** Distance in units in the last place between two doubles of the same sign. */
function ulps(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  f64[0] = a;
  const ia = i64[0]!;
  f64[0] = b;
  const ib = i64[0]!;
  return Number(ia > ib ? ia - ib : ib - ia);
}

/** A double from 64 random bits: every binade equally likely. */
function randomDouble(r: () => number, lowerHigh: number, upperHigh: number): number {
  u32[0] = Math.floor(r() * 2 ** 32);
  u32[1] = lowerHigh + Math.floor(r() * (upperHigh - lowerHigh));
  return f64[0]!;
}

function worst(f: (x: number) => number, ref: (x: number) => number, xs: Iterable<number>): number {
  let most = 0;
  for (const x of xs) most = Math.max(most, ulps(f(x), ref(x)));
  return most;
}

function* draws(n: number, seed: number, make: (r: () => number) => number): Generator<number> {
  const r = testRandom(seed);
  for (let i = 0; i < n; i++) yield make(r);
}

describe("ln", () => {
  it("is within 1 ulp of Math.log over every positive double, subnormals included", () => {
    expect(
      worst(
        ln,
        Math.log,
        draws(300_000, 1, (r) => randomDouble(r, 0, 0x7ff00000)),
      ),
    ).toBeLessThanOrEqual(1);
    expect(
      worst(
        ln,
        Math.log,
        draws(100_000, 2, (r) => randomDouble(r, 0, 0x00100000)),
      ),
    ).toBeLessThanOrEqual(1);
  });

  it("is within 1 ulp of Math.log near 1, where the result is small, and on the metrics' range (0, 1]", () => {
    expect(
      worst(
        ln,
        Math.log,
        draws(200_000, 3, (r) => 1 + (r() - 0.5) * 2 ** -18),
      ),
    ).toBeLessThanOrEqual(1);
    expect(
      worst(
        ln,
        Math.log,
        draws(200_000, 4, (r) => 0.5 + r()),
      ),
    ).toBeLessThanOrEqual(1);
    expect(
      worst(
        ln,
        Math.log,
        draws(200_000, 5, (r) => r() + 1e-8),
      ),
    ).toBeLessThanOrEqual(1);
  });

  it("is exact at the special points", () => {
    expect(ln(1)).toBe(0);
    expect(Object.is(ln(1), 0)).toBe(true);
    expect(ln(0)).toBe(-Infinity);
    expect(ln(-0)).toBe(-Infinity);
    expect(ln(Infinity)).toBe(Infinity);
    for (const x of [-1, -Infinity, NaN, -5e-324]) expect(ln(x)).toBeNaN();
    expect(ln(2)).toBe(Math.LN2); // both the correctly rounded ln 2
    expect(ln(10)).toBe(Math.LN10);
    expect(ln(Math.E)).toBe(1);
    // Powers of two: k ln 2 from the exact split of ln 2, the double nearest k ln 2.
    expect(ln(2 ** -1074)).toBe(-744.4400719213812);
    expect(ln(2 ** 1023)).toBe(709.0895657128241);
  });
});

describe("exp", () => {
  it("is within 1 ulp of Math.exp over its whole finite range", () => {
    expect(
      worst(
        exp,
        Math.exp,
        draws(300_000, 6, (r) => (r() - 0.5) * 1500),
      ),
    ).toBeLessThanOrEqual(1);
    expect(
      worst(
        exp,
        Math.exp,
        draws(300_000, 7, (r) => (r() - 0.5) * 4),
      ),
    ).toBeLessThanOrEqual(1);
    // tiny arguments of every magnitude
    expect(
      worst(
        exp,
        Math.exp,
        draws(100_000, 8, (r) => randomDouble(r, 0, 0x3ff00000)),
      ),
    ).toBeLessThanOrEqual(1);
    // the results that are subnormal
    expect(
      worst(
        exp,
        Math.exp,
        draws(100_000, 9, (r) => -708.4 - 36.7 * r()),
      ),
    ).toBeLessThanOrEqual(1);
  });

  it("is exact at the special points and the ends of its range", () => {
    expect(exp(0)).toBe(1);
    expect(exp(-0)).toBe(1);
    expect(exp(1)).toBe(Math.E);
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(NaN)).toBeNaN();
    expect(exp(709.782712893384)).toBe(1.7976931348622732e308); // the largest finite result
    expect(exp(709.7827128933841)).toBe(Infinity);
    expect(exp(-745.1332191019411)).toBe(5e-324); // the smallest subnormal
    expect(exp(-745.1332191019412)).toBe(0);
    expect(exp(2 ** -60)).toBe(1);
    expect(exp(Math.LN2)).toBe(2);
  });

  it("inverts ln, to the error that rounding ln(x) itself brings (|ln x| half-ulps, relative)", () => {
    for (const x of draws(100_000, 10, (r) => 1e-3 + 1e3 * r()))
      expect(Math.abs(exp(ln(x)) / x - 1)).toBeLessThanOrEqual((Math.abs(ln(x)) + 2) * 2 ** -52);
  });
});

describe("pow", () => {
  it("is exp(y ln x): close to Math.pow for the plots' fractional powers", () => {
    const r = testRandom(11);
    for (let i = 0; i < 10_000; i++) {
      const x = 1 + 1e4 * r(),
        y = -r();
      expect(Math.abs(pow(x, y) / Math.pow(x, y) - 1)).toBeLessThan(1e-14);
    }
  });
});

describe("sin and cos", () => {
  it("are within 1 ulp of Math.sin and Math.cos over their range, near multiples of pi/2 included", () => {
    for (const [f, ref] of [
      [sin, Math.sin],
      [cos, Math.cos],
    ] as const) {
      expect(
        worst(
          f,
          ref,
          draws(200_000, 12, (r) => (r() - 0.5) * 20),
        ),
      ).toBeLessThanOrEqual(1);
      expect(
        worst(
          f,
          ref,
          draws(200_000, 13, (r) => (r() - 0.5) * 2e6),
        ),
      ).toBeLessThanOrEqual(1);
      const nearMultiples = draws(
        50_000,
        14,
        (r) => Math.floor(r() * 1000) * (Math.PI / 2) * (1 + (r() - 0.5) * 1e-12),
      );
      expect(worst(f, ref, nearMultiples)).toBeLessThanOrEqual(1);
    }
  });

  it("are exact at the special points, and give the ring's centres", () => {
    expect(Object.is(sin(0), 0) && Object.is(sin(-0), -0)).toBe(true);
    expect(cos(0)).toBe(1);
    expect(sin(Math.PI)).toBe(1.2246467991473532e-16); // the double nearest sin of the double nearest pi
    expect(cos(Math.PI / 2)).toBe(6.123233995736766e-17);
    expect(cos(Math.PI)).toBe(-1);
    expect(sin(Math.PI / 2)).toBe(1);
    expect(sin(Math.PI / 6)).toBe(0.49999999999999994);
    for (const x of [NaN, Infinity, -Infinity]) {
      expect(sin(x)).toBeNaN();
      expect(cos(x)).toBeNaN();
    }
    expect(() => sin(1e300)).toThrow(RangeError);
    for (let k = 0; k < 8; k++)
      expect(sin((2 * Math.PI * k) / 8) ** 2 + cos((2 * Math.PI * k) / 8) ** 2).toBeCloseTo(1, 15);
  });
});
