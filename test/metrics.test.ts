import { describe, expect, it } from "vitest";
import { klDivergence } from "../src/metrics/kl.js";
import { jsDivergence, jsFromCounts } from "../src/metrics/js.js";
import { wasserstein1 } from "../src/metrics/wasserstein.js";
import { ksStatistic } from "../src/metrics/ks.js";
import { moments } from "../src/metrics/moments.js";
import { modeCoverage } from "../src/metrics/modes.js";
import { evaluate } from "../src/metrics/evaluate.js";
import { randomArray, testRandom } from "./helpers.js";

const LN2 = Math.log(2);

// Plain references, by definitions other than the library's merge walks.
// W1 as the integral over t in (0, 1) of |A^-1(t) - B^-1(t)|: both quantile functions are constant
// between consecutive multiples of 1/n and 1/m.
function w1Reference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = Array.from(a).sort((p, q) => p - q),
    y = Array.from(b).sort((p, q) => p - q);
  const n = x.length,
    m = y.length;
  const cuts = new Set<number>([0, 1]);
  for (let i = 1; i < n; i++) cuts.add(i / n);
  for (let j = 1; j < m; j++) cuts.add(j / m);
  const t = [...cuts].sort((p, q) => p - q);
  let area = 0;
  for (let k = 0; k + 1 < t.length; k++) {
    const mid = (t[k]! + t[k + 1]!) / 2;
    area += (t[k + 1]! - t[k]!) * Math.abs(x[Math.floor(mid * n)]! - y[Math.floor(mid * m)]!);
  }
  return area;
}

// KS by brute force: both empirical CDFs evaluated at every sample value.
function ksReference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const cdf = (s: ArrayLike<number>, v: number) => Array.from(s).filter((u) => u <= v).length / s.length;
  let d = 0;
  for (const v of [...Array.from(a), ...Array.from(b)]) d = Math.max(d, Math.abs(cdf(a, v) - cdf(b, v)));
  return d;
}

describe("Wasserstein-1", () => {
  it("matches hand values", () => {
    expect(wasserstein1([0, 1], [0, 2])).toBeCloseTo(0.5, 15);
    expect(wasserstein1([0], [0, 1])).toBeCloseTo(0.5, 15);
    expect(wasserstein1([3, 1, 2], [3, 1, 2])).toBe(0);
    // A shift by c moves every unit of mass by c.
    expect(wasserstein1([0, 1, 5], [2.5, 3.5, 7.5])).toBeCloseTo(2.5, 14);
    // Point masses: |a - b|.
    expect(wasserstein1([-1], [2])).toBe(3);
    // Equal sizes: the mean gap between sorted samples: (|1-0| + |2-4|) / 2.
    expect(wasserstein1([2, 1], [0, 4])).toBeCloseTo(1.5, 15);
  });

  it("matches the quantile-function reference on samples of different sizes with ties", () => {
    const r = testRandom(3);
    const a = Array.from({ length: 57 }, () => Math.round(r() * 20) / 4);
    const b = Array.from({ length: 91 }, () => Math.round(r() * 24) / 4 - 1);
    expect(wasserstein1(a, b)).toBeCloseTo(w1Reference(a, b), 12);
    expect(wasserstein1(b, a)).toBeCloseTo(w1Reference(a, b), 12);
  });

  it("is NaN when a value is not finite", () => {
    expect(wasserstein1([0, NaN], [1])).toBeNaN();
    expect(wasserstein1([0], [Infinity])).toBeNaN();
  });
});

describe("Kolmogorov-Smirnov", () => {
  it("matches hand values", () => {
    expect(ksStatistic([0, 1], [5, 6, 7])).toBe(1);
    expect(ksStatistic([4, 2, 3], [2, 3, 4])).toBe(0);
    expect(ksStatistic([1, 2, 3], [2, 3, 4])).toBeCloseTo(1 / 3, 15);
    expect(ksStatistic([0, 1], [0.5])).toBe(0.5);
    // Ties counted before comparing: at 1, F = 2/3 and G = 1/3.
    expect(ksStatistic([1, 1, 2], [1, 2, 2])).toBeCloseTo(1 / 3, 15);
  });

  it("matches the brute-force reference, ties included", () => {
    const r = testRandom(4);
    const a = Array.from({ length: 80 }, () => Math.round(r() * 30));
    const b = Array.from({ length: 45 }, () => Math.round(r() * 30 + 3));
    expect(ksStatistic(a, b)).toBeCloseTo(ksReference(a, b), 14);
  });
});

describe("Jensen-Shannon", () => {
  it("is 0 for identical samples and ln 2 for disjoint ones", () => {
    const x = randomArray(500, 5);
    expect(jsDivergence(x, x)).toBe(0);
    expect(jsDivergence([0, 0.1, 0.2], [5, 6])).toBeCloseTo(LN2, 15);
    expect(jsFromCounts([3, 0], [0, 7])).toBeCloseTo(LN2, 15);
  });

  it("matches a hand value on two bins and is symmetric", () => {
    // Edges [0, 0.5, 1]: P = (3/4, 1/4), Q = (1/4, 3/4), M = (1/2, 1/2);
    // JS = 3/4 ln(3/2) + 1/4 ln(1/2).
    const want = 0.75 * Math.log(1.5) + 0.25 * Math.log(0.5);
    expect(jsDivergence([0, 0, 0, 1], [0, 1, 1, 1], 2)).toBeCloseTo(want, 15);
    expect(jsDivergence([0, 1, 1, 1], [0, 0, 0, 1], 2)).toBeCloseTo(want, 15);
  });

  it("stays within [0, ln 2] and counts fakes outside the real range", () => {
    const a = randomArray(400, 6, -1, 1),
      b = randomArray(300, 7, 0, 3);
    const js = jsDivergence(a, b);
    expect(js).toBeGreaterThan(0);
    expect(js).toBeLessThan(LN2);
    expect(jsDivergence(b, a)).toBeCloseTo(js, 14);
    expect(jsDivergence([0, 1], [0, NaN])).toBeNaN();
  });
});

describe("moments", () => {
  it("match hand values: population std, biased skewness, excess kurtosis", () => {
    // {1, 2, 3, 4}: m2 = 1.25, m4 = 2.5625, kurtosis = 2.5625 / 1.5625 - 3 = -1.36.
    const m = moments([1, 2, 3, 4]);
    expect(m.mean).toBe(2.5);
    expect(m.std).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(m.skewness).toBeCloseTo(0, 15);
    expect(m.kurtosis).toBeCloseTo(-1.36, 14);
    // Bernoulli(1/4) exactly: skewness (1 - 2p) / sqrt(p q) = 2 / sqrt(3), excess kurtosis (1 - 6pq) / pq = -2/3.
    const b = moments([0, 0, 0, 1]);
    expect(b.mean).toBe(0.25);
    expect(b.std).toBeCloseTo(Math.sqrt(0.1875), 15);
    expect(b.skewness).toBeCloseTo(2 / Math.sqrt(3), 14);
    expect(b.kurtosis).toBeCloseTo(-2 / 3, 14);
  });

  it("give skewness 0 for a symmetric sample, accurately far from the origin", () => {
    const half = Array.from(randomArray(200, 8, 0, 1));
    const sym = [...half.map((v) => 1e6 + v), ...half.map((v) => 1e6 - v)];
    const m = moments(sym);
    expect(m.mean).toBeCloseTo(1e6, 8);
    expect(Math.abs(m.skewness)).toBeLessThan(1e-6);
  });

  it("give NaN skewness and kurtosis for a constant sample", () => {
    const m = moments([2, 2, 2]);
    expect(m).toMatchObject({ mean: 2, std: 0 });
    expect(m.skewness).toBeNaN();
    expect(m.kurtosis).toBeNaN();
  });
});

describe("mode coverage", () => {
  const modes = { dim: 2, centres: [0, 0, 10, 0, 0, 10], stds: [1, 1, 0.5] };

  it("counts high-quality samples (within 3 std of the nearest centre) and captured modes", () => {
    const samples = [
      0.5,
      0, //      mode 0, distance 0.5: high quality
      2.9,
      0, //      mode 0, distance 2.9
      0,
      -3.1, //     mode 0, distance 3.1 > 3: not
      8.5,
      0, //      mode 1, distance 1.5
      2.1,
      2.1, //    nearest mode 0 at distance 2.97: high quality
      5,
      5, //        nearest mode 0 at distance 7.07: not
    ];
    const c = modeCoverage(samples, 2, modes);
    expect(c).toEqual({ modesCaptured: 2, modes: 3, highQualityShare: 4 / 6, counts: [3, 1, 0] });
    // A stricter threshold: a mode needs 2 high-quality samples.
    expect(modeCoverage(samples, 2, modes, { minSamples: 2 }).modesCaptured).toBe(1);
    expect(modeCoverage(samples, 2, modes, { radius: 1 }).counts).toEqual([1, 0, 0]);
  });

  it("uses each mode's own std", () => {
    // 1.6 from the third centre (std 0.5): outside 1.5.
    const c = modeCoverage([0, 8.4, 0, 8.6, 100, 100], 2, modes);
    expect(c.counts).toEqual([0, 0, 1]);
    expect(c.highQualityShare).toBeCloseTo(1 / 3, 15);
  });

  it("is NaN, not a lower finite figure, when a sample is not finite", () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const c = modeCoverage([0, 8.4, 0, 8.6, bad, 0], 2, modes);
      expect(c.modesCaptured).toBeNaN();
      expect(c.highQualityShare).toBeNaN();
    }
  });

  it("rejects mismatched shapes", () => {
    expect(() => modeCoverage([0, 0, 0], 2, modes)).toThrow(/whole rows/);
    expect(() => modeCoverage([0], 1, modes)).toThrow(/2-D/);
  });
});

describe("evaluate", () => {
  it("1-D: the reference workload's KL, JS, W1, KS and both samples' moments", () => {
    const real = randomArray(300, 9),
      fake = randomArray(200, 10, -0.5, 1.5);
    const ev = evaluate(real, fake, 1);
    expect(ev.dim).toBe(1);
    expect(ev.modes).toBeNull();
    expect(ev.marginals).toHaveLength(1);
    const m = ev.marginals[0]!;
    expect(m.kl).toBe(klDivergence(real, fake));
    expect(m.js).toBe(jsDivergence(real, fake));
    expect(m.w1).toBeCloseTo(w1Reference(real, fake), 12);
    expect(m.ks).toBeCloseTo(ksReference(real, fake), 14);
    expect(m.real).toEqual(moments(real));
    expect(m.fake).toEqual(moments(fake));
    // Hand expectations for U(-1, 1) vs U(-0.5, 1.5): W1 = 0.5, KS = 0.25, up to sampling noise.
    expect(m.w1).toBeGreaterThan(0.3);
    expect(m.ks).toBeGreaterThan(0.1);
  });

  it("2-D: each marginal on its own column, and mode coverage when the modes are known", () => {
    const real = Float32Array.of(0, 10, 1, 11, 2, 12, 3, 13);
    const fake = Float32Array.of(0, 10, 0, 10, 2.5, 12);
    const modes = { dim: 2, centres: [0, 10, 3, 13], stds: [0.1, 0.1] };
    const ev = evaluate(real, fake, 2, modes);
    const cols = (x: Float32Array, d: number) => Array.from(x).filter((_, i) => i % 2 === d);
    for (const d of [0, 1]) {
      const m = ev.marginals[d]!;
      expect(m.w1).toBeCloseTo(w1Reference(cols(real, d), cols(fake, d)), 6);
      expect(m.ks).toBeCloseTo(ksReference(cols(real, d), cols(fake, d)), 14);
      expect(m.real).toEqual(moments(cols(real, d)));
      expect(m.kl).toBe(klDivergence(cols(real, d), cols(fake, d)));
    }
    // Hand value on the first column, real {0, 1, 2, 3} against fake {0, 0, 2.5}: |F - G| is 5/12 on
    // [0, 1), 1/6 on [1, 2), 1/12 on [2, 2.5) and 1/4 on [2.5, 3).
    expect(ev.marginals[0]!.w1).toBeCloseTo(5 / 12 + 1 / 6 + 1 / 24 + 1 / 8, 12);
    expect(ev.modes).toEqual({ modesCaptured: 1, modes: 2, highQualityShare: 2 / 3, counts: [2, 0] });
  });

  it("rejects samples that are not whole rows", () => {
    expect(() => evaluate([1, 2, 3], [1, 2], 2)).toThrow(/real must hold whole rows of 2 values/);
    expect(() => evaluate([1, 2], [], 2)).toThrow(/fake/);
  });
});
