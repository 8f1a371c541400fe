// The reference workload's KL divergence against values worked out by hand from numpy's rules
// (docs/reference-workload.md): 100 equal bins over [min, max] of real with edges lo + k * (hi - lo) / 100 as
// numpy.linspace computes them, each bin [a, b) except the last, which is [a, b]; fake values outside
// the edges are not counted; P and Q are counts / (sum + 1e-8); KL = sum P (ln(P + 1e-8) - ln(Q + 1e-8)).
import { describe, expect, it } from "vitest";
import { klDivergence } from "../src/index.js";
import { randomArray } from "./helpers.js";

const EPS = 1e-8;

// One bin's term of the sum, from its normalised probabilities.
const term = (p: number, q: number) => p * (Math.log(p + EPS) - Math.log(q + EPS));
// count / (total + 1e-8)
const norm = (count: number, total: number) => count / (total + EPS);

describe("klDivergence on hand-worked histograms", () => {
  // Range [0, 100]: the edges are the integers 0..100, exactly. Occupied bins of P: bin 0 holds 0,
  // bin 10 holds 10 and 10.5, the last bin [99, 100] holds 100. P = 1/4, 2/4, 1/4 there.
  const real = [0, 10, 10.5, 100];
  const p1 = norm(1, 4),
    p2 = norm(2, 4);

  it("a fake value on an interior edge falls in the bin to its right", () => {
    // 10 sits on edge 10: bin 10 = [10, 11), not bin 9. Q = 1 in bin 10.
    const expected = term(p1, 0) + term(p2, norm(1, 1)) + term(p1, 0);
    expect(klDivergence(real, [10])).toBeCloseTo(expected, 12);
    // Had it gone to bin 9, Q would be zero wherever P is not: a different value.
    expect(expected).not.toBeCloseTo(term(p1, 0) + term(p2, 0) + term(p1, 0), 3);
  });

  it("a fake value exactly on the right edge counts in the last bin", () => {
    const expected = term(p1, 0) + term(p2, 0) + term(p1, norm(1, 1));
    expect(klDivergence(real, [100])).toBeCloseTo(expected, 12);
  });

  it("fake values outside [min, max] of real are not counted", () => {
    // Only the 10 counts, so Q is as for [10] alone: the others change neither a bin nor the total.
    const expected = term(p1, 0) + term(p2, norm(1, 1)) + term(p1, 0);
    expect(klDivergence(real, [100.5, -1e-9, 10, 1e6, -3])).toBeCloseTo(expected, 12);
    // All out of range: Q is zero everywhere (0 / (0 + 1e-8)).
    expect(klDivergence(real, [-1, 101])).toBeCloseTo(2 * term(p1, 0) + term(p2, 0), 12);
  });

  it("a mixed fake sample", () => {
    // 0 -> bin 0, 10.9 -> bin 10, 99.5 and 100 -> bin 99, 200 not counted: Q = 1/4, 1/4, 2/4.
    const expected = term(p1, norm(1, 4)) + term(p2, norm(1, 4)) + term(p1, norm(2, 4));
    expect(klDivergence(real, [0, 10.9, 99.5, 100, 200])).toBeCloseTo(expected, 12);
  });

  it("edges are linspace's lo + k * step, not the decimal they round near", () => {
    // Range [0, 1]: edge 35 is 35 * 0.01 = 0.35000000000000003 in float64, just above 0.35; so 0.35
    // belongs to bin 34 = [0.34, 0.35000000000000003) and the edge value itself to bin 35.
    // P: bin 0 holds 0, bin 34 holds 0.345, bin 35 holds 0.355 and 0.356, bin 99 holds 1.
    const r = [0, 0.345, 0.355, 0.356, 1];
    const q1 = norm(1, 5),
      q2 = norm(2, 5),
      one = norm(1, 1);
    expect(35 * 0.01).toBeGreaterThan(0.35); // the premise, in this engine's float64
    expect(klDivergence(r, [0.35])).toBeCloseTo(term(q1, 0) + term(q1, one) + term(q2, 0) + term(q1, 0), 12);
    expect(klDivergence(r, [35 * 0.01])).toBeCloseTo(term(q1, 0) + term(q1, 0) + term(q2, one) + term(q1, 0), 12);
  });

  it("a constant real array spans [v - 0.5, v + 0.5], as numpy widens it", () => {
    // v = 2: edges 1.5 + k * 0.01, and 2 is edge 50 (50 * 0.01 = 0.5 exactly), so P = 1 in bin 50.
    const real3 = [2, 2, 2],
      p = norm(3, 3);
    expect(klDivergence(real3, [2])).toBeCloseTo(term(p, norm(1, 1)), 12);
    expect(Math.abs(klDivergence(real3, [2]))).toBeLessThan(1e-7);
    // 2.5 is the closed right edge (bin 99), 3 is outside: Q = 1/2 in bin 50.
    expect(klDivergence(real3, [2, 2.5, 3])).toBeCloseTo(term(p, norm(1, 2)), 12);
    expect(klDivergence(real3, [2, 2.5, 3])).toBeCloseTo(Math.log(2), 6);
    // 1.4 is outside; 1.5 is bin 0 where P is empty: Q = 0 in bin 50 either way.
    expect(klDivergence(real3, [1.4])).toBeCloseTo(term(p, 0), 12);
    expect(klDivergence(real3, [1.5])).toBeCloseTo(term(p, 0), 12);
    expect(term(p, 0)).toBeCloseTo(-Math.log(EPS), 6);
  });
});

describe("klDivergence on samples", () => {
  it("identical distributions give 0", () => {
    const x = randomArray(1000, 3);
    expect(klDivergence(x, x)).toBe(0);
    // The same histogram shape from twice as many values: P and Q differ only through the 1e-8 terms.
    const twice = Float32Array.from([...x, ...x]);
    const kl = klDivergence(x, twice);
    expect(Math.abs(kl)).toBeLessThan(1e-9);
  });

  it("a strided view of interleaved columns equals the plain arrays", () => {
    const a = randomArray(500, 4, -2, 2),
      b = randomArray(500, 5, -1, 3);
    const rows = new Float32Array(1000);
    for (let i = 0; i < 500; i++) {
      rows[2 * i] = a[i]!;
      rows[2 * i + 1] = b[i]!;
    }
    const plain = klDivergence(a, b);
    expect(plain).toBeGreaterThan(0.1); // the two really differ, so the comparison can fail
    expect(klDivergence({ values: rows, start: 0, stride: 2 }, { values: rows, start: 1, stride: 2 })).toBe(plain);
  });

  it("a shifted copy scores by the mass it keeps in real's bins", () => {
    // real = 0, 0.5, 1.5, ..., 99.5, 100 over [0, 100], integer edges: P = 2 in bin 0 (0 and 0.5), 1 in
    // bins 1..98, 2 in bin 99 (99.5 and 100); 102 values.
    const real = [0, ...Array.from({ length: 100 }, (_, i) => i + 0.5), 100];
    // fake = real + 50: 50 and 50.5 land in bin 50, 51.5 .. 99.5 in bins 51..99, the rest is above 100;
    // 51 values counted.
    const fake = real.map((v) => v + 50);
    const p1 = norm(1, 102),
      p2 = norm(2, 102),
      q1 = norm(1, 51),
      q2 = norm(2, 51);
    const expected = term(p2, 0) + 49 * term(p1, 0) + term(p1, q2) + 48 * term(p1, q1) + term(p2, q1);
    expect(klDivergence(real, fake)).toBeCloseTo(expected, 12);
  });
});
