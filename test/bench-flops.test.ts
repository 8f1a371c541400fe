import { describe, expect, it } from "vitest";
import { epochFlops, gemmFlops, parameterCount, referenceBatchSizes, stepFlops } from "../bench/flops.js";
import { mirrored, mnistWorkload } from "../bench/suites/mnist.js";
import { resolveOptions } from "../src/index.js";

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

  it("counts the conditional MNIST step with the label columns, D's input gradient on the image's only", () => {
    const mnist = { noiseDim: 100, gHidden: [256, 512], dim: 784, dHidden: [512, 256], classes: 10 };
    const m = 64;
    const g = 110 * 256 + 256 * 512 + 512 * 784, // G's first layer takes noise ++ one-hot
      gHidden = 256 * 512 + 512 * 784,
      d = 794 * 512 + 512 * 256 + 256, // D's first layer takes image ++ one-hot
      dHidden = 512 * 256 + 256,
      dToImage = 784 * 512 + 512 * 256 + 256; // G needs d loss / d image, not / d label
    const macs = 2 * m * (d + d + dHidden) + m * (g + d + dToImage + g + gHidden);
    expect(stepFlops(mnist, m)).toBe(2 * macs);
    expect(parameterCount(mnist)).toBe(g + 256 + 512 + 784 + d + 512 + 256 + 1);
    const { classes: _, ...unconditional } = mnist;
    // 10 more inputs: G forward and dW (2 x 256), D forward on 2m rows, its dW, and D forward in the G step (5 x 512).
    expect(stepFlops(mnist, m) - stepFlops(unconditional, m)).toBe(2 * m * 10 * (2 * 256 + 5 * 512));
  });

  it("grows with the width squared once hidden layers dominate", () => {
    const shape = (w: number) => ({ noiseDim: 16, gHidden: [w, w], dim: 2, dHidden: [w, w] });
    const ratio = stepFlops(shape(1024), 64) / stepFlops(shape(512), 64);
    expect(ratio).toBeGreaterThan(3.9);
    expect(ratio).toBeLessThan(4);
  });
});

describe("the bench's MNIST workload", () => {
  it("is examples/mnist/config.json with its digits, labels and one-hot rows, 0.66 GFLOP a step", async () => {
    const w = await mnistWorkload();
    expect(w.shape).toEqual({ noiseDim: 100, gHidden: [256, 512], dim: 784, dHidden: [512, 256], classes: 10 });
    expect([w.batch, w.alpha, w.learningRate, w.beta1, w.noise]).toEqual([64, 0.2, 1e-3, 0.5, "normal"]);
    expect(w.data.length).toBe(10000 * 784);
    expect(w.real).toEqual(w.data.subarray(0, 64 * 784));
    for (let i = 0; i < 64; i++) {
      const row = Array.from(w.onehot.subarray(i * 10, (i + 1) * 10));
      expect(row.indexOf(1)).toBe(w.classValues.indexOf(w.labels[i]!));
      expect(row.reduce((a, b) => a + b, 0)).toBe(1);
    }
    expect(stepFlops(w.shape, w.batch) / 1e9).toBeCloseTo(0.66, 2);
  });

  it("refuses a configuration the tfjs and PyTorch contenders would not build alike", () => {
    const example = {
      gActivation: { name: "leaky_relu", alpha: 0.2 },
      dActivation: { name: "leaky_relu", alpha: 0.2 },
      gOutputActivation: "tanh",
      gOptimizer: { type: "adam", learningRate: 1e-3, beta1: 0.5 },
      dOptimizer: { type: "adam", learningRate: 1e-3, beta1: 0.5 },
      loss: "non-saturating",
      realLabel: 1,
      fakeLabel: 0,
      noise: "normal",
    } as const;
    expect(mirrored(resolveOptions(example))).toEqual({ alpha: 0.2, learningRate: 1e-3, beta1: 0.5, noise: "normal" });
    for (const change of [
      { gActivation: "tanh" },
      { dActivation: "relu" },
      { dOptimizer: { type: "adam", learningRate: 2e-4, beta1: 0.5 } },
      { gOutputActivation: "sigmoid" },
      { realLabel: 0.9 },
    ] as const)
      expect(() => mirrored(resolveOptions({ ...example, ...change })), JSON.stringify(change)).toThrow(/mirror/);
  });
});
