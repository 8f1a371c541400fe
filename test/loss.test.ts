// The fused sigmoid + binary cross-entropy kernel against the float64 Keras-semantics reference (p clipped
// to [1e-7, 1 - 1e-7], gradient 0 where the clip holds), and the least-squares kernel against its own.
// Tolerances, from the f32 arithmetic of the kernel:
// - loss: each row's term max(v,0) - v·y + log1p(e^-|v|) is a few f32 roundings of numbers up to |v|, so
//   its error is below 4·2^-24·(|v| + 1); the mean's error is below the mean of those. On top, the kernel's
//   clip bound is the f32 logit ln((1-eps)/eps) while the reference clips p in float64: the clipped rows
//   differ by at most 2e-6 each.
// - gradient: p = sigmoid(v) carries an absolute error of a few 2^-24 (p <= 1), then p - y and the
//   multiplication by 1/n (itself rounded) add relative 2^-24 each: |dz - ref| <= (4·2^-24 + 3·2^-24·|p-y|)/n.
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/wasm/load.js";
import { engine, get, meanLoss, put, randomArray, testRandom } from "./helpers.js";
import { sigmoidBCENaive, squaredErrorNaive } from "./reference.js";

const U = 2 ** -24;
const f = Math.fround;
// The logit where Keras's clip starts to hold: sigmoid(Z_CLIP) = 1 - 1e-7.
const Z_CLIP = Math.log((1 - 1e-7) / 1e-7);

let e: Engine;
beforeAll(async () => {
  e = await engine();
});

/** Logits spread over the unclipped range plus extremes on both sides, away from the clip bound itself
 *  (within 0.01 of it the f32 and float64 bounds may disagree on which side a value falls). */
function logits(n: number, seed: number, extremes: boolean): Float32Array {
  const z = randomArray(n, seed, -9, 9);
  if (extremes) {
    const far = [17, -17, 20, -20, 40, -40, 88, -88, 1e4, -1e4, 3e38, -3e38, 16.1, -16.1, Infinity, -Infinity];
    const r = testRandom(seed + 1);
    for (const v of far) z[Math.floor(r() * n)] = v;
  }
  return z;
}

function bce(z: Float32Array, split: number, yHead: number, yTail: number, inPlace: boolean, skipLoss = false) {
  const n = z.length,
    pz = put(e, z),
    pdz = inPlace ? pz : put(e, new Float32Array(n).fill(NaN));
  const loss = meanLoss(e, (at) => e.kernels.sigmoid_bce(pdz, pz, n, split, yHead, yTail, skipLoss ? 1 : 0, at));
  return { loss, dz: get(e, pdz, n) };
}

function checkBCE(z: Float32Array, split: number, yHead: number, yTail: number, inPlace: boolean): void {
  const n = z.length,
    { loss, dz } = bce(z, split, yHead, yTail, inPlace);
  // The kernel's targets are f32, so the reference takes the same values.
  const ref = sigmoidBCENaive(z, split, f(yHead), f(yTail));
  let lossTol = 0;
  z.forEach((v, i) => {
    const c = Math.min(Math.abs(v), Z_CLIP);
    lossTol += (4 * U * (c + 1) + (Math.abs(v) > Z_CLIP ? 2e-6 : 0)) / n;
    const y = f(i < split ? yHead : yTail),
      r = ref.grad[i]!;
    const tol = (4 * U + 3 * U * Math.abs(r * n)) / n;
    if (!(Math.abs(dz[i]! - r) <= tol)) {
      expect.fail(`dz[${i}] for z=${v}, y=${y}: got ${dz[i]}, reference ${r} (n=${n}, split=${split})`);
    }
    if (Math.abs(v) > Z_CLIP) expect(dz[i], `clip holds at z=${v}: no gradient`).toBe(0);
  });
  expect(Math.abs(loss - ref.loss), `loss ${loss} vs ${ref.loss} (n=${n}, split=${split})`).toBeLessThanOrEqual(
    lossTol,
  );
}

describe("sigmoid_bce", () => {
  const targets: [number, number][] = [
    [0.9, 0.1],
    [1, 0],
    [0, 1],
    [0.5, 0.7],
  ];
  const lengths = [1, 3, 4, 5, 17, 333, 1000];

  it("mean loss and gradient match the reference for every split, target pair and length", () => {
    for (const n of lengths) {
      // split at the ends, in the middle, and off the multiples of four (the SIMD body restarts there)
      const splits = [...new Set([0, n, n >> 1, Math.min(n, 3), Math.max(0, n - 1)])];
      for (const split of splits) {
        for (const [yHead, yTail] of targets) {
          checkBCE(logits(n, n * 31 + split, false), split, yHead, yTail, false);
        }
      }
    }
  });

  it("extreme logits: the clip holds, the loss is Keras's clipped value, the gradient is exactly 0", () => {
    for (const n of [17, 333, 1000]) {
      for (const [yHead, yTail] of targets) checkBCE(logits(n, n, true), n >> 1, yHead, yTail, false);
    }
    // A single clipped row, in each direction: loss = -(y ln(1e-7) + (1-y) ln(1 - 1e-7)) or its mirror.
    for (const z of [20, -20, 1e4, -1e4]) {
      const { loss, dz } = bce(Float32Array.of(z), 1, 0.9, 0.9, false);
      const y = f(0.9),
        p = z > 0 ? 1 - 1e-7 : 1e-7;
      expect(loss).toBeCloseTo(-(y * Math.log(p) + (1 - y) * Math.log(1 - p)), 5);
      expect(dz[0]).toBe(0);
    }
    // Just inside the clip the gradient is there.
    expect(bce(Float32Array.of(16, -16), 1, 0, 1, false).dz.every((g) => g !== 0)).toBe(true);
  });

  it("in place (dz == z) gives the same loss and gradient", () => {
    for (const n of [5, 17, 333]) {
      const z = logits(n, 7 * n, true);
      const apart = bce(z, 3, 0.9, 0.1, false),
        together = bce(z, 3, 0.9, 0.1, true);
      expect(together.loss).toBe(apart.loss);
      expect(Array.from(together.dz)).toEqual(Array.from(apart.dz));
    }
  });

  it("skipLoss returns 0 and leaves the gradient unchanged", () => {
    const z = logits(333, 5, true);
    const full = bce(z, 100, 0.9, 0.1, false),
      skipped = bce(z, 100, 0.9, 0.1, false, true);
    expect(skipped.loss).toBe(0);
    expect(Array.from(skipped.dz)).toEqual(Array.from(full.dz));
  });

  it("a split outside [0, n] means all rows take one target", () => {
    const z = logits(17, 9, false);
    expect(bce(z, -5, 0.9, 0.1, false).loss).toBe(bce(z, 0, 0.9, 0.1, false).loss);
    expect(bce(z, 99, 0.9, 0.1, false).loss).toBe(bce(z, 17, 0.9, 0.1, false).loss);
  });

  it("the reference workload's first step: D's loss of a fresh network is near ln 2", () => {
    // Logits near 0 (an untrained D) give loss ln 2 whatever the (symmetric) targets: a sanity anchor
    // independent of the reference.
    const { loss } = bce(new Float32Array(666), 333, 0.9, 0.1, false);
    expect(loss).toBeCloseTo(Math.LN2, 6);
  });
});

describe("squared_error", () => {
  it("mean loss and gradient match the reference", () => {
    for (const n of [1, 3, 4, 5, 17, 333]) {
      for (const split of [0, n >> 1, n]) {
        const z = randomArray(n, n + split, -3, 3),
          pz = put(e, z),
          pdz = put(e, new Float32Array(n));
        const loss = meanLoss(e, (at) => e.kernels.squared_error(pdz, pz, n, split, 0.9, 0.1, 0, at));
        const ref = squaredErrorNaive(z, split, f(0.9), f(0.1)),
          dz = get(e, pdz, n);
        // (z - y) is one rounding, its square and the f64 sum one more: relative 3·2^-24 per term.
        expect(Math.abs(loss - ref.loss)).toBeLessThanOrEqual(3 * U * ref.loss + 1e-12);
        dz.forEach((g, i) =>
          expect(Math.abs(g - ref.grad[i]!)).toBeLessThanOrEqual(3 * U * Math.abs(ref.grad[i]!) + 1e-12),
        );
      }
    }
  });
});
