// The fused softmax + cross-entropy kernel and softmax_forward (assembly/softmax.ts) against the float64
// reference softmaxCENaive, whose own gradient is checked by central differences first.
// Tolerances, from the f32 arithmetic of the kernel (U = 2^-24), per row with R = max_j |z_j - max|:
// - z_j - max is one rounding (relative U, so U·R absolute in the exponent), e^x is exp4 (a Taylor
//   series to r^7 after a range reduction: within a few U), the row sum adds C roundings and the division
//   one more; every error in the sum is weighted by the p_k, so |p_j - ref| <= (12 + C + 2R)·U·p_j.
//   Values below e^-87 are flushed to 0: an absolute 1e-37 on top.
// - dz = p·(1/M)/s - [j = y]/M: two more roundings, relative to |p - y|.
// - loss: ln s within 2U of itself plus the relative error of s ((C + 4)U), and z_y - max within U·R.
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/wasm/load.js";
import { engine, get, put, randomArray, testRandom } from "./helpers.js";
import { softmaxCENaive } from "./reference.js";

const U = 2 ** -24;
let e: Engine;
beforeAll(async () => {
  e = await engine();
});

function labelsPtr(labels: Int32Array): number {
  const ptr = e.arena.alloc(labels.length);
  e.arena.u32.set(labels, ptr >> 2);
  return ptr;
}

function logits(M: number, C: number, seed: number, spread: number): Float32Array {
  const z = randomArray(M * C, seed, -spread, spread);
  const r = testRandom(seed + 7);
  // A few far outliers: rows where one class dominates and the rest underflow.
  for (const v of [90, -90, 200, -200, 1e4]) z[Math.floor(r() * z.length)] = v;
  return z;
}

function rowSpread(z: Float32Array, i: number, C: number): number {
  const row = Array.from(z.subarray(i * C, (i + 1) * C));
  return Math.max(...row) - Math.min(...row);
}

describe("softmaxCENaive (the reference)", () => {
  it("has the gradient of its own loss (central differences in float64)", () => {
    const M = 3,
      C = 5,
      z = Array.from(randomArray(M * C, 3, -4, 4)),
      labels = [4, 0, 2];
    const { grad } = softmaxCENaive(z, labels, M, C);
    for (let k = 0; k < z.length; k++) {
      const h = 1e-5,
        up = z.slice(),
        down = z.slice();
      up[k]! += h;
      down[k]! -= h;
      const fd = (softmaxCENaive(up, labels, M, C).loss - softmaxCENaive(down, labels, M, C).loss) / (2 * h);
      expect(Math.abs(fd - grad[k]!)).toBeLessThan(1e-9);
    }
  });
});

describe("softmax_ce and softmax_forward", () => {
  const shapes: [number, number][] = [
    [1, 1],
    [1, 2],
    [3, 3],
    [5, 4],
    [7, 5],
    [64, 10],
    [9, 17],
  ];

  it("match the reference in loss, gradient and probabilities, in place or not, for every shape", () => {
    let seed = 1;
    for (const [M, C] of shapes) {
      for (const inPlace of [false, true]) {
        const z = logits(M, C, seed++, 9);
        const labels = Int32Array.from({ length: M }, (_, i) => (i * 7 + seed) % C);
        const ref = softmaxCENaive(z, labels, M, C);
        const pz = put(e, z),
          pdz = inPlace ? pz : put(e, new Float32Array(M * C).fill(NaN));
        const loss = e.kernels.softmax_ce(pdz, pz, labelsPtr(labels), M, C, 0);
        const dz = get(e, pdz, M * C);
        const pp = put(e, new Float32Array(M * C).fill(NaN));
        e.kernels.softmax_forward(pp, put(e, z), M, C);
        const p = get(e, pp, M * C);
        let lossTol = 0;
        for (let i = 0; i < M; i++) {
          const R = rowSpread(z, i, C);
          lossTol += ((C + 4) * U + 2 * U * (R + 20) + U * R) / M;
          for (let j = 0; j < C; j++) {
            const k = i * C + j,
              tolP = (12 + C + 2 * R) * U * ref.p[k]! + 1e-37;
            const y = j === labels[i] ? 1 : 0;
            const tolG = (tolP + 2 * U * Math.abs(ref.p[k]! - y)) / M;
            if (!(Math.abs(p[k]! - ref.p[k]!) <= tolP))
              expect.fail(`p[${i},${j}] of ${M}x${C}: ${p[k]} vs ${ref.p[k]} (z ${z[k]})`);
            if (!(Math.abs(dz[k]! - ref.grad[k]!) <= tolG))
              expect.fail(`dz[${i},${j}] of ${M}x${C}${inPlace ? " in place" : ""}: ${dz[k]} vs ${ref.grad[k]}`);
          }
        }
        expect(Math.abs(loss - ref.loss), `loss of ${M}x${C}: ${loss} vs ${ref.loss}`).toBeLessThanOrEqual(lossTol);
      }
    }
  });

  it("skipLoss leaves the gradient bit-identical and returns 0", () => {
    const M = 64,
      C = 10,
      z = logits(M, C, 99, 5),
      labels = Int32Array.from({ length: M }, (_, i) => i % C);
    const pl = labelsPtr(labels);
    const a = put(e, new Float32Array(M * C)),
      b = put(e, new Float32Array(M * C));
    expect(e.kernels.softmax_ce(a, put(e, z), pl, M, C, 0)).toBeGreaterThan(0);
    expect(e.kernels.softmax_ce(b, put(e, z), pl, M, C, 1)).toBe(0);
    expect(get(e, b, M * C)).toEqual(get(e, a, M * C));
  });
});
