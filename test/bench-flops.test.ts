import { describe, expect, it } from "vitest";
import { epochFlops, gemmFlops, parameterCount, referenceBatchSizes, stepFlops } from "../bench/flops.js";

const reference = { noiseDim: 16, gHidden: [32], dim: 1, dHidden: [32] };

describe("bench FLOP counting", () => {
  it("counts a multiply-add as two FLOPs", () => {
    expect(gemmFlops(2, 3, 4)).toBe(48);
    expect(gemmFlops(128, 128, 128)).toBe(2 * 128 ** 3);
  });

  it("counts the reference model's parameters as Keras does", () => {
    // G: 16*32+32 + 32*1+1 = 577; D: 1*32+32 + 32*1+1 = 97.
    expect(parameterCount(reference)).toBe(577 + 97);
  });

  it("counts one reference step product by product", () => {
    const m = 10;
    // Multiply-adds per row: G 16*32 + 32*1 = 544 (hidden part 32); D 1*32 + 32*1 = 64 (hidden part 32).
    const dStep = 2 * m * (64 + 64 + 32); // forward, dW, dx of the hidden layer, on real + fake rows
    const gStep = m * (544 + 64 + 64 + 544 + 32); // G forward, D forward, D dx to its input, G dW, G hidden dx
    expect(stepFlops(reference, m)).toBe(2 * (dStep + gStep));
  });

  it("splits the reference workload's 1000 rows into 333, 333, 334 and counts 3.136 MFLOP per epoch", () => {
    expect(referenceBatchSizes(1000, 3)).toEqual([333, 333, 334]);
    expect(epochFlops(reference, referenceBatchSizes(1000, 3))).toBe(stepFlops(reference, 1000));
    // Per row, as above: 2 * (64 + 64 + 32) + (544 + 64 + 64 + 544 + 32) = 1568 multiply-adds; 2 flops each.
    expect(epochFlops(reference, referenceBatchSizes(1000, 3))).toBe(2 * 1568 * 1000);
  });

  it("grows with the width squared once hidden layers dominate", () => {
    const shape = (w: number) => ({ noiseDim: 16, gHidden: [w, w], dim: 2, dHidden: [w, w] });
    const ratio = stepFlops(shape(1024), 64) / stepFlops(shape(512), 64);
    expect(ratio).toBeGreaterThan(3.9);
    expect(ratio).toBeLessThan(4);
  });
});
