// The image metrics and what they stand on: the
// Jacobi eigen-decomposition by its defining identities, the Frechet distance against closed forms
// (2 x 2: tr sqrt(S1 S2) = sqrt(tr(S1 S2) + 2 sqrt(det(S1 S2))); commuting matrices: sum (sqrt a - sqrt b)^2),
// the classifier score and coverage on hand-made outputs, and the classifier on separable data.
import { describe, expect, it } from "vitest";
import { matmul, symmetricEigen } from "../src/metrics/linalg.js";
import {
  classCoverage,
  classifierScore,
  featureStats,
  frechetDistance,
  ImageJudge,
  labelAccuracy,
  predictions,
  type FeatureStats,
} from "../src/metrics/images.js";
import { createClassifier } from "../src/model/classifier.js";
import { testRandom } from "./helpers.js";

function randomSpd(n: number, seed: number, scale = 1): Float64Array {
  const r = testRandom(seed),
    b = Float64Array.from({ length: n * n }, () => (r() - 0.5) * scale);
  const bt = Float64Array.from({ length: n * n }, (_, k) => b[(k % n) * n + Math.floor(k / n)]!);
  const a = matmul(b, bt, n);
  for (let i = 0; i < n; i++) a[i * n + i] = a[i * n + i]! + 0.1;
  return a;
}

describe("symmetricEigen", () => {
  it("A V = V diag(values), V orthogonal, for random symmetric matrices", () => {
    for (const n of [1, 2, 5, 12, 30]) {
      const a = randomSpd(n, n, 2);
      for (let i = 0; i < n; i++) a[i * n + i] = a[i * n + i]! - 1.5; // indefinite too
      const { values, vectors: V } = symmetricEigen(a, n);
      const AV = matmul(a, V, n),
        norm = Math.sqrt(a.reduce((s, v) => s + v * v, 0));
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          expect(Math.abs(AV[i * n + j]! - V[i * n + j]! * values[j]!)).toBeLessThan(1e-12 * norm);
          let dot = 0;
          for (let k = 0; k < n; k++) dot += V[k * n + i]! * V[k * n + j]!;
          expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-13);
        }
    }
  });
});

const stats = (mean: number[], cov: ArrayLike<number>): FeatureStats => ({
  mean: Float64Array.from(mean),
  cov: Float64Array.from(cov),
  dim: mean.length,
  rows: 100,
});

describe("frechetDistance", () => {
  it("matches the closed form for 2 x 2 covariances that do not commute", () => {
    for (let s = 1; s <= 20; s++) {
      const a = randomSpd(2, s),
        b = randomSpd(2, s + 100, 3);
      const ab = matmul(a, b, 2);
      const tr = ab[0]! + ab[3]!,
        det = ab[0]! * ab[3]! - ab[1]! * ab[2]!;
      const want = 0.25 + 1 + (a[0]! + a[3]! + b[0]! + b[3]!) - 2 * Math.sqrt(tr + 2 * Math.sqrt(det));
      const got = frechetDistance(stats([0.5, 1], a), stats([0, 0], b));
      expect(Math.abs(got - want)).toBeLessThan(1e-12 * (1 + want));
    }
  });

  it("is sum (sqrt a_i - sqrt b_i)^2 + |mu1 - mu2|^2 for covariances diagonal in one rotated basis", () => {
    const n = 6,
      r = testRandom(9);
    const { vectors: Q } = symmetricEigen(randomSpd(n, 77), n); // a random orthogonal basis
    const da = Array.from({ length: n }, () => 0.1 + r() * 3),
      db = Array.from({ length: n }, () => 0.1 + r() * 3);
    const rotate = (d: number[]) => {
      const out = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          for (let k = 0; k < n; k++) out[i * n + j] = out[i * n + j]! + Q[i * n + k]! * d[k]! * Q[j * n + k]!;
      return out;
    };
    const want = 3 + da.reduce((s, a, i) => s + (Math.sqrt(a) - Math.sqrt(db[i]!)) ** 2, 0);
    const ma = [1, 1, 1, 0, 0, 0],
      mb = [0, 0, 0, 0, 0, 0];
    expect(Math.abs(frechetDistance(stats(ma, rotate(da)), stats(mb, rotate(db))) - want)).toBeLessThan(1e-10);
    expect(frechetDistance(stats(ma, rotate(da)), stats(ma, rotate(da)))).toBeLessThan(1e-10);
  });

  it("fits the mean and the (n - 1) covariance of feature rows", () => {
    const f = featureStats([1, 2, 3, 6, 5, 10], 3, 2);
    expect(Array.from(f.mean)).toEqual([3, 6]);
    expect(Array.from(f.cov)).toEqual([4, 8, 8, 16]);
  });
});

describe("classifier score, coverage and label accuracy", () => {
  it("scores C for confident, evenly spread outputs, 1 for identical ones, and the formula in between", () => {
    const C = 4,
      n = 8;
    const oneHot = Float32Array.from({ length: n * C }, (_, k) => (k % C === Math.floor(k / C) % C ? 1 : 0));
    expect(Math.abs(classifierScore(oneHot, n, C) - 4)).toBeLessThan(1e-14);
    const same = Float32Array.from({ length: n * C }, (_, k) => [0.1, 0.2, 0.3, 0.4][k % C]!);
    expect(Math.abs(classifierScore(same, n, C) - 1)).toBeLessThan(1e-14);
    // Two rows by hand with the engine's Math as the reference.
    const p = [0.7, 0.2, 0.1, 0.1, 0.3, 0.6],
      m = [0.4, 0.25, 0.35];
    let kl = 0;
    for (let i = 0; i < 2; i++) for (let c = 0; c < 3; c++) kl += p[i * 3 + c]! * Math.log(p[i * 3 + c]! / m[c]!);
    expect(Math.abs(classifierScore(p, 2, 3) - Math.exp(kl / 2))).toBeLessThan(1e-14);
  });

  it("counts a class as covered from a tenth of its even share, with the histogram's entropy", () => {
    const predicted = [...Array(50).fill(0), ...Array(45).fill(1), ...Array(4).fill(2), 3];
    const c = classCoverage(predicted, 5); // even share 20, floor 2: classes 0, 1, 2; not 3 (1 sample), not 4
    expect(c.histogram).toEqual([50, 45, 4, 1, 0]);
    expect(c.covered).toBe(3);
    const want = -[0.5, 0.45, 0.04, 0.01].reduce((s, q) => s + q * Math.log(q), 0);
    expect(Math.abs(c.entropy - want)).toBeLessThan(1e-14);
    expect(Math.abs(classCoverage([0, 1, 2, 3], 4).entropy - Math.log(4))).toBeLessThan(1e-14);
    expect(Array.from(predictions([0.1, 0.9, 0.5, 0.5, 0.2, 0.1], 3, 2))).toEqual([1, 0, 0]);
    expect(labelAccuracy([1, 2, 3, 4], [1, 2, 0, 0])).toBe(0.5);
  });
});

// Four Gaussian blobs in 8-D (labels 3, 7, 9, 11), well apart: an MLP should separate them almost surely.
function blobs(n: number, seed: number) {
  const r = testRandom(seed),
    d = 8,
    x = new Float32Array(n * d),
    classes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    classes[i] = c;
    for (let j = 0; j < d; j++) x[i * d + j] = (j % 4 === c ? 2 : 0) + (r() + r() + r() - 1.5) * 0.6;
  }
  return { x, classes, d };
}

describe("Classifier", () => {
  it("learns separable classes, bit-identically for a seed, and its judge scores the real data highly", async () => {
    const train = blobs(800, 1),
      test = blobs(400, 2);
    const make = () => createClassifier({ inputs: 8, classes: [3, 7, 9, 11], hidden: [16, 8], seed: 4 });
    const a = await make(),
      b = await make();
    const la = a.fit(train.x, train.classes, { epochs: 30, batchSize: 32 }),
      lb = b.fit(train.x, train.classes, { epochs: 30, batchSize: 32 });
    expect(lb).toEqual(la);
    expect(b.mlp.getWeights()).toEqual(a.mlp.getWeights());
    expect(la[29]!).toBeLessThan(la[0]! / 10);
    expect(a.accuracy(test.x, test.classes)).toBeGreaterThan(0.97);
    const judge = new ImageJudge(a, test.x, 400);
    expect(judge.realScore).toBeGreaterThan(3.5);
    const m = judge.measure(test.x, 400, test.classes);
    expect(m.frechet).toBeLessThan(1e-9);
    expect([m.classesCovered, m.labelAccuracy! > 0.97, m.classifierScore]).toEqual([4, true, judge.realScore]);
    // One class only: coverage 1, score near 1, a large distance.
    const one = Float32Array.from({ length: 8 * 100 }, (_, k) => test.x[k % 8]!); // row 0, 100 times
    const m1 = judge.measure(one, 100);
    expect([m1.classesCovered, m1.classifierScore < 1.2, m1.frechet > 1]).toEqual([1, true, true]);
  });
});
