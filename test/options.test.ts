import { describe, expect, it } from "vitest";
import { createGAN, DEFAULTS, OptionError, resolveOptions } from "../src/index.js";

describe("options", () => {
  it("default to the reference workload", () => {
    const o = resolveOptions();
    expect(o).toMatchObject({
      samples: 1000,
      epochs: 1000,
      batches: 3,
      noiseDim: 16,
      gHidden: [32],
      dHidden: [32],
      realLabel: 0.9,
      fakeLabel: 0.1,
      logEvery: 10,
      noise: "uniform",
    });
    expect(o.gOptimizer).toEqual({ type: "adam", learningRate: 0.0005 });
    expect(o.dOptimizer).toEqual({ type: "adam", learningRate: 0.001 });
    expect(DEFAULTS.loss).toBe("minimax");
  });

  it.each([
    [{ epochs: 0 }, /epochs: 0 \(must be a whole number >= 1\)/],
    [{ samples: 2.5 }, /samples: 2.5/],
    [{ gOptimizer: { learningRate: -1 } }, /gOptimizer.learningRate: -1 \(must be a number > 0/],
    [{ dOptimizer: { learningRate: 0 } }, /dOptimizer.learningRate: 0/],
    [{ realLabel: 1.5 }, /realLabel: 1.5 \(must be a number in \[0, 1\]\)/],
    [{ gHidden: [32, 0] }, /gHidden: \[32,0\]/],
    [{ gActivation: "swish" as never }, /gActivation: "swish" \(must be one of relu/],
    [{ noise: "gaussian" as never }, /noise: "gaussian"/],
    [{ batches: 2000 }, /batches: 2000 \(must be at most the number of samples \(1000\)\)/],
    [{ data: [1, 2, NaN] }, /data\[2\]/],
    [{ data: [1, 2, 3], dim: 2 }, /data: "3 values"/],
    [{ dim: 2 }, /dim: 2 \(only with data\)/],
    [{ gOptimizer: { type: "adam" as const, learningRate: 0.001, beta1: 1 } }, /gOptimizer.beta1: 1/],
    [{ data: [1, 2, 3], samples: 3 }, /data: \[1,2,3\] \(cannot be combined with samples\)/],
  ])("rejects %j naming the option, the value and what is allowed", (options, message) => {
    expect(() => resolveOptions(options)).toThrow(OptionError);
    expect(() => resolveOptions(options)).toThrow(message);
  });

  it("takes the user's own data and its dimension", async () => {
    const data = Float32Array.from({ length: 200 }, (_, i) => (i % 2 ? 1 : -1) * (i / 200));
    const gan = await createGAN({ data, dim: 2, batches: 4, evalSamples: 50 });
    expect(gan.options.samples).toBe(100);
    expect(Array.from(gan.realData())).toEqual(Array.from(data));
    gan.train({ epochs: 3 });
    expect(gan.generate(7).length).toBe(14);
  });

  it("validates trainStep batches and setWeights arrays", async () => {
    const gan = await createGAN();
    expect(() => gan.trainStep({ real: new Float32Array(10), noise: new Float32Array(10) })).toThrow(
      /noise: "10 values" \(must hold 10 rows of 16/,
    );
    expect(() => gan.generator.setWeights([new Float32Array(3)])).toThrow(/invalid weights: 1 \(must be 4 arrays/);
    const ws = gan.generator.getWeights();
    ws[2] = new Float32Array(5);
    expect(() => gan.generator.setWeights(ws)).toThrow(
      /invalid weights\[2\]: "5 values" \(layer 2 kernel \[32, 1\] holds 32\)/,
    );
  });
});
