// The 4-lane xoshiro128** kernels (assembly/random.ts) against a scalar xoshiro128** reference started
// from the same sixteen state words, read back from memory; then distribution checks whose bounds are five
// standard errors of each statistic (a correct generator fails one with probability below 1e-6 per
// statistic, and the seeds are fixed, so the tests are deterministic).
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/wasm/load.js";
import { Rng } from "../src/data/rng.js";
import { engine, get } from "./helpers.js";
import { Xoshiro128ss } from "./reference.js";

const N = 100_000;
const f = Math.fround;

let e: Engine;
let state = 0,
  other = 0,
  out = 0;
beforeAll(async () => {
  e = await engine();
  state = e.arena.alloc(16);
  other = e.arena.alloc(16);
  out = e.arena.alloc(N + 64);
});

function words(ptr: number): Uint32Array {
  return e.arena.u32.slice(ptr >> 2, (ptr >> 2) + 16);
}

/** Four scalar generators, lane k holding word k of s0, s1, s2 and s3 (state layout: four v128). */
function lanes(ptr: number): Xoshiro128ss[] {
  const w = words(ptr);
  return [0, 1, 2, 3].map((k) => new Xoshiro128ss(w[k]!, w[4 + k]!, w[8 + k]!, w[12 + k]!));
}

/** The reference's uniforms in [0, 1): the top 24 bits of each draw times 2^-24, lanes interleaved. */
function referenceUnits(ref: Xoshiro128ss[], steps: number): number[] {
  const u: number[] = [];
  for (let s = 0; s < steps; s++) for (const lane of ref) u.push((lane.next() >>> 8) * 2 ** -24);
  return u;
}

// The output buffer is shared, so each call first poisons it: a value the kernel fails to write shows.
function poison(n: number): void {
  e.arena.f32.fill(NaN, out >> 2, (out >> 2) + n);
}

function uniform(ptr: number, n: number, lo: number, hi: number): Float32Array {
  poison(n);
  e.kernels.rng_uniform(ptr, out, n, lo, hi);
  return get(e, out, n);
}

function normal(ptr: number, n: number, mean: number, std: number): Float32Array {
  poison(n);
  e.kernels.rng_normal(ptr, out, n, mean, std);
  return get(e, out, n);
}

function moments(x: ArrayLike<number>): { mean: number; variance: number; skew: number; kurtosis: number } {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let m2 = 0,
    m3 = 0,
    m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean,
      d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { mean, variance: m2, skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) - 3 };
}

describe("lanes are xoshiro128**", () => {
  it("rng_uniform on [0, 1) is exactly the reference's top 24 bits, lane k at positions 4j + k", () => {
    for (const seed of [1, 42, 0xffffffff]) {
      e.kernels.rng_seed(state, seed, 0);
      const ref = lanes(state);
      for (let round = 0; round < 3; round++) {
        // Several calls in a row: the state the kernel stores back must continue the same sequences.
        expect(Array.from(uniform(state, 4000, 0, 1))).toEqual(referenceUnits(ref, 1000));
      }
    }
  });

  it("rng_uniform on [lo, hi) is lo + (hi - lo)·u in f32", () => {
    e.kernels.rng_seed(state, 5, 3);
    const ref = lanes(state);
    for (const [lo, hi] of [
      [-1, 1],
      [2.5, 7],
      [-3, -2],
    ] as const) {
      const got = uniform(state, 400, lo, hi),
        u = referenceUnits(ref, 100);
      expect(Array.from(got)).toEqual(u.map((v) => f(f(lo) + f(f(f(hi) - f(lo)) * v))));
    }
  });

  it("rng_normal is the polar method on the same uniforms: points (lanes 0,1) then (2,3) inside the unit disc", () => {
    e.kernels.rng_seed(state, 9, 0);
    const ref = lanes(state);
    const n = 4001,
      got = normal(state, n, 0, 1),
      u = referenceUnits(ref, 3000);
    const expected: number[] = [];
    for (let j = 0; expected.length < n; j++) {
      for (const [p, q] of [
        [0, 1],
        [2, 3],
      ] as const) {
        const x = f(f(u[4 * j + p]! * 2) - 1),
          y = f(f(u[4 * j + q]! * 2) - 1),
          s = f(f(x * x) + f(y * y)); // s in f32, as the kernel forms it
        if (expected.length >= n || s >= 1 || s === 0) continue;
        const k = Math.sqrt((-2 * Math.log(s)) / s);
        expected.push(x * k, y * k);
      }
    }
    let worst = 0;
    for (let i = 0; i < n; i++) {
      // f32 products, log and sqrt: a few ulp of the result, relative to the radius factor k.
      const tol = 8 * 2 ** -24 * (1 + Math.abs(expected[i]!));
      worst = Math.max(worst, Math.abs(got[i]! - expected[i]!) / tol);
    }
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe("seeding", () => {
  it("same seed and stream, same sequence", () => {
    e.kernels.rng_seed(state, 123, 1);
    e.kernels.rng_seed(other, 123, 1);
    expect(Array.from(words(state))).toEqual(Array.from(words(other)));
    const a = Array.from(uniform(state, 1000, 0, 1));
    expect(Array.from(uniform(other, 1000, 0, 1))).toEqual(a);
  });

  it("every state word is nonzero, and a thousand seeds give a thousand different states", () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 1000; seed++) {
      e.kernels.rng_seed(state, seed, seed % 3);
      const w = words(state);
      expect(w.every((x) => x !== 0)).toBe(true);
      seen.add(w.join());
    }
    expect(seen.size).toBe(1000);
  });

  it("different seeds or streams share no lane sequence, not even shifted across lanes", () => {
    // Eight outputs per lane identify its sequence; no lane of one generator may equal any lane of the
    // other. Seeds 0, 2, 4 are those where a seed ^ stream·constant start aliased streams 0 and 1.
    const signature = (seed: number, stream: number) => {
      e.kernels.rng_seed(state, seed, stream);
      const ref = lanes(state);
      return ref.map((lane) => Array.from({ length: 8 }, () => lane.next()).join());
    };
    const pairs: [[number, number], [number, number]][] = [];
    for (const seed of [0, 1, 2, 4, 7, 0x9e3779b9])
      pairs.push(
        [
          [seed, 0],
          [seed, 1],
        ],
        [
          [seed, 0],
          [seed + 1, 0],
        ],
      );
    pairs.push([
      [0x9e3779b9, 0],
      [0, 1],
    ]);
    for (const [a, b] of pairs) {
      const sa = signature(...a),
        sb = signature(...b);
      expect(
        sa.filter((x) => sb.includes(x)),
        `${a} vs ${b}`,
      ).toEqual([]);
      expect(new Set(sa).size).toBe(4);
    }
  });
});

/**
 * Marsaglia's polar method as the kernel documents it, on the scalar reference: each step of the four
 * lanes is two candidate points (lanes 0, 1 and lanes 2, 3) in [-1, 1)^2, taken in order; a point inside
 * the unit disc (0 < s < 1) gives two normals; the call stops after the step that fills n values. So it
 * consumes as many steps as rejections and acceptances take: no fixed count.
 */
function referenceNormal(ref: Xoshiro128ss[], n: number, mean: number, std: number) {
  const values: number[] = [];
  let steps = 0;
  while (values.length < n) {
    const u = referenceUnits(ref, 1).map((x) => f(f(x * 2) - 1));
    steps++;
    for (const [a, b] of [
      [u[0]!, u[1]!],
      [u[2]!, u[3]!],
    ] as const) {
      const s2 = f(f(a * a) + f(b * b));
      if (values.length >= n || s2 >= 1 || s2 === 0) continue;
      const k = Math.sqrt((-2 * Math.log(s2)) / s2);
      values.push(mean + std * a * k, mean + std * b * k);
    }
  }
  return { values: values.slice(0, n), steps };
}

describe("lengths not a multiple of four", () => {
  // Documented: the unused lanes of the last draw are dropped, so a call of n uniforms advances the state
  // by ceil(n / 4) steps whatever came before, and returns the first n values of those steps.
  it("uniform: a call of n values consumes ceil(n / 4) steps and returns their first n values", () => {
    for (const seed of [1, 2, 3, 7, 42, 77, 100]) {
      for (let n = 1; n <= 13; n++) {
        e.kernels.rng_seed(state, seed, 0);
        e.kernels.rng_seed(other, seed, 0);
        const long = Array.from(uniform(other, 64, -1, 1));
        const first = Array.from(uniform(state, n, -1, 1)),
          next = Array.from(uniform(state, 8, -1, 1));
        const used = 4 * Math.ceil(n / 4);
        expect(first, `seed ${seed}, n=${n}`).toEqual(long.slice(0, n));
        expect(next, `seed ${seed}, after n=${n}`).toEqual(long.slice(used, used + 8));
      }
    }
  });

  it("normal: a call consumes exactly the steps the polar method rejects and accepts, for any seed", () => {
    let rejectingCalls = 0;
    for (let seed = 1; seed <= 60; seed++) {
      for (const n of [1, 2, 3, 4, 5, 6, 7, 9, 13, 100, 1001]) {
        e.kernels.rng_seed(state, seed, 0);
        const ref = referenceNormal(lanes(state), n, 0.5, 2);
        const got = normal(state, n, 0.5, 2);
        for (let i = 0; i < n; i++) expect(got[i], `seed ${seed}, n=${n}, value ${i}`).toBeCloseTo(ref.values[i]!, 4);
        // The state after the call is the state after exactly ref.steps steps (uniform's count is exact).
        e.kernels.rng_seed(other, seed, 0);
        uniform(other, 4 * ref.steps, 0, 1);
        expect(Array.from(words(state)), `seed ${seed}, n=${n}`).toEqual(Array.from(words(other)));
        if (ref.steps !== Math.ceil(n / 4)) rejectingCalls++;
      }
    }
    // The premise: the count is not ceil(n / 4) in general (rejections, and two values per point).
    expect(rejectingCalls).toBeGreaterThan(100);
  });
});

describe("values past n", () => {
  it("the values past n are left alone", () => {
    e.kernels.rng_seed(state, 3, 0);
    const sentinel = 4242.5;
    e.arena.f32.fill(sentinel, out >> 2, (out >> 2) + 16);
    e.kernels.rng_uniform(state, out, 5, 0, 1);
    e.kernels.rng_normal(state, out + 8 * 4, 6, 0, 1);
    const v = get(e, out, 16);
    expect(Array.from(v.slice(5, 8))).toEqual([sentinel, sentinel, sentinel]);
    expect(Array.from(v.slice(14, 16))).toEqual([sentinel, sentinel]);
  });
});

describe(`distributions over ${N} draws`, () => {
  it("uniform: range, mean, variance, histogram and neighbour correlation", () => {
    e.kernels.rng_seed(state, 2024, 0);
    const x = uniform(state, N, 0, 1);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x)).toBeLessThan(1);
    const { mean, variance } = moments(x);
    // sd of the mean: sqrt(1/12 / N); of the variance: sqrt((1/80 - 1/144) / N).
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * Math.sqrt((1 / 80 - 1 / 144) / N));
    // Pearson's chi-square over 100 equal bins: 99 degrees of freedom, mean 99, sd sqrt(198).
    const bins = new Array<number>(100).fill(0);
    for (const v of x) bins[Math.floor(v * 100)]!++;
    const chi2 = bins.reduce((s, c) => s + (c - N / 100) ** 2 / (N / 100), 0);
    expect(chi2).toBeLessThan(99 + 5 * Math.sqrt(198));
    // Adjacent outputs come from different lanes (and every fourth from the same lane's next step):
    // correlation has sd 1/sqrt(N) when independent.
    for (const lag of [1, 2, 3, 4]) {
      let s = 0;
      for (let i = 0; i + lag < N; i++) s += (x[i]! - 0.5) * (x[i + lag]! - 0.5);
      expect(Math.abs(s / (N - lag) / (1 / 12)), `lag ${lag}`).toBeLessThan(5 / Math.sqrt(N));
    }
    const w = uniform(state, N, -1, 1);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...w)).toBeLessThan(1);
  });

  it("normal: mean, variance, skewness and excess kurtosis of N(0, 1), and the scaling of N(3, 2²)", () => {
    e.kernels.rng_seed(state, 2025, 1);
    const m = moments(normal(state, N, 0, 1));
    // Standard errors for a normal sample: mean 1/sqrt(N), variance sqrt(2/N), skew sqrt(6/N), kurtosis sqrt(24/N).
    expect(Math.abs(m.mean)).toBeLessThan(5 * Math.sqrt(1 / N));
    expect(Math.abs(m.variance - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    expect(Math.abs(m.skew)).toBeLessThan(5 * Math.sqrt(6 / N));
    expect(Math.abs(m.kurtosis)).toBeLessThan(5 * Math.sqrt(24 / N));
    const s = moments(normal(state, N, 3, 2));
    expect(Math.abs(s.mean - 3)).toBeLessThan(5 * 2 * Math.sqrt(1 / N));
    expect(Math.abs(s.variance - 4)).toBeLessThan(5 * 4 * Math.sqrt(2 / N));
  });
});

describe("Rng (src/data/rng.ts)", () => {
  it("getState / setState replays the same draws", () => {
    const rng = new Rng(e, 8, 0);
    rng.uniform(out, 10, 0, 1);
    const saved = rng.getState();
    rng.normal(out, 100, 0, 1);
    const first = get(e, out, 100);
    rng.setState(saved);
    rng.normal(out, 100, 0, 1);
    expect(Array.from(get(e, out, 100))).toEqual(Array.from(first));
  });
});
