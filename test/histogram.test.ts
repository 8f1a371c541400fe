// The one histogram helper (src/metrics/histogram.ts) against a plain reference of numpy.histogram's rules,
// constant data of any magnitude, and every metric of samples that are not finite.
import { describe, expect, it } from "vitest";
import { evaluate, jsDivergence, klDivergence, KLMeter, ksStatistic, moments, wasserstein1 } from "../src/index.js";
import { histogramCounts, histogramEdges, linspaceEdges, viewRange } from "../src/metrics/histogram.js";
import { trainingPlotSpec } from "../src/plot/spec.js";
import { testRandom } from "./helpers.js";

/** numpy's rule, one value at a time: the last bin whose left edge is <= v; the last bin is closed. */
function referenceCounts(values: ArrayLike<number>, edges: Float64Array): number[] {
  const bins = edges.length - 1,
    counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= edges[0]! && v <= edges[bins]!)) continue;
    let b = 0;
    while (b < bins - 1 && edges[b + 1]! <= v) b++;
    counts[b]!++;
  }
  return counts;
}

describe("histogramCounts", () => {
  it("matches the one-value-at-a-time reference, values on edges included", () => {
    const r = testRandom(5);
    for (const [lo, hi, bins] of [
      [0, 1, 100],
      [-3.3, 7.1, 40],
      [1e6, 1e6 + 0.001, 17],
    ] as const) {
      const edges = linspaceEdges(lo, hi, bins);
      const values = [...Array.from({ length: 3000 }, () => lo - 0.1 + (hi - lo + 0.2) * r()), ...edges];
      expect(Array.from(histogramCounts(values, edges))).toEqual(referenceCounts(values, edges));
    }
  });
});

describe("constant data", () => {
  it("follows numpy for a zero range: [v - 0.5, v + 0.5]", () => {
    const edges = histogramEdges([3.25, 3.25, 3.25], 4);
    expect(Array.from(edges)).toEqual([2.75, 3, 3.25, 3.5, 3.75]);
  });

  it("of large magnitude still gets distinct edges and one full bin", () => {
    for (const v of [1e17, -2.5e20, 3e300, 2 ** 60]) {
      const real = new Float64Array(50).fill(v),
        edges = histogramEdges(real);
      for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThan(edges[i - 1]!);
      const counts = histogramCounts(real, edges);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(50);
      // KL of a sample against itself is 0; against data outside the one bin it is as large as KL gets.
      expect(klDivergence(real, real)).toBe(0);
      expect(klDivergence(real, new Float64Array(50).fill(v * 2))).toBeGreaterThan(18);
      expect(new KLMeter(real).divergence(new Float64Array(50).fill(-v))).toBeGreaterThan(18);
    }
  });

  it("gets the same range in the views", () => {
    const { lo, hi } = viewRange([1e17, 1e17]);
    expect(lo).toBeLessThan(1e17);
    expect(hi).toBeGreaterThan(1e17);
    const edges = linspaceEdges(lo, hi, 80);
    for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThan(edges[i - 1]!);
    expect(viewRange([2, 2])).toEqual({ lo: 1.5, hi: 2.5 });
    expect(viewRange([NaN])).toEqual({ lo: -0.5, hi: 0.5 });
  });
});

describe("metrics of samples that are not finite", () => {
  const real = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i));
  for (const bad of [NaN, Infinity, -Infinity]) {
    it(`are NaN with ${bad} among the fakes, or all fakes ${bad}`, () => {
      for (const fake of [Float32Array.of(0.1, bad, 0.3), new Float32Array(100).fill(bad)]) {
        expect(klDivergence(real, fake)).toBeNaN();
        expect(new KLMeter(real).divergence(fake)).toBeNaN();
        expect(jsDivergence(real, fake)).toBeNaN();
        expect(wasserstein1(real, fake)).toBeNaN();
        expect(ksStatistic(real, fake)).toBeNaN();
        expect(Object.values(moments(fake)).every(Number.isNaN)).toBe(true);
        const m = evaluate(real, fake, 1).marginals[0]!;
        for (const v of [m.kl, m.js, m.w1, m.ks, m.fake.mean, m.fake.std]) expect(v).toBeNaN();
      }
    });
  }
});

describe("the plot bins through the same helper", () => {
  it("its histogram bars are the helper's edges and counts", () => {
    const real = Float32Array.from({ length: 500 }, (_, i) => Math.cos(i)),
      fake = Float32Array.from({ length: 300 }, (_, i) => 0.5 * Math.sin(i));
    const spec = JSON.stringify(trainingPlotSpec({ dim: 1, real, fake, reports: [], bins: 10 }));
    const range = viewRange(real, fake),
      edges = linspaceEdges(range.lo, range.hi, 10),
      counts = histogramCounts(fake, edges),
      width = (range.hi - range.lo) / 10;
    const rows = [...spec.matchAll(/\{"series":"generated","x0":([^,]+),"x1":[^,]+,"density":([^}]+)\}/g)];
    expect(rows.map((m) => Number(m[1]))).toEqual(Array.from(edges.subarray(0, 10), (e) => Number(e.toPrecision(5))));
    expect(rows.map((m) => Number(m[2]))).toEqual(
      Array.from(counts, (c) => Number((c / (300 * width)).toPrecision(5))),
    );
  });
});
