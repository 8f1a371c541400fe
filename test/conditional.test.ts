// Conditional GANs and G's output activation through the library: bit-identical runs for a seed,
// nothing laid out in linear memory once training runs, labels accepted and refused by their values, and
// checkpoints of a shuffled conditional run that resume bit-exactly.
import { describe, expect, it } from "vitest";
import { checkpointText, createGAN, loadCheckpoint, OptionError, type GANOptions } from "../src/index.js";
import { randomArray } from "./helpers.js";

// Two classes of 4-D rows (labels 3 and 7) around different centres.
const rows = 60,
  dim = 4;
const data = randomArray(rows * dim, 11, -0.5, 0.5).map((v, k) => v + (Math.floor(k / dim) % 2 ? 0.5 : -0.5));
const labels = Array.from({ length: rows }, (_, i) => (i % 2 ? 7 : 3));
const options: GANOptions = {
  data,
  dim,
  labels,
  noiseDim: 5,
  gHidden: [8],
  dHidden: [8],
  gActivation: { name: "leaky_relu", alpha: 0.2 },
  dActivation: { name: "leaky_relu", alpha: 0.2 },
  gOutputActivation: "tanh",
  batchSize: 16,
  shuffle: true,
  logEvery: 2,
  evalSamples: 50,
  seed: 3,
};

describe("conditional GAN", () => {
  it("trains bit-identically for a seed and lays out nothing once training runs", async () => {
    const a = await createGAN(options),
      b = await createGAN(options);
    expect([a.conditional, a.classValues]).toEqual([true, [3, 7]]);
    a.train({ epochs: 1 });
    const used = a.engine.arena.used;
    a.train({ epochs: 4 });
    expect(a.engine.arena.used, "arena after more epochs").toBe(used);
    b.train({ epochs: 5 });
    expect(b.generator.getWeights()).toEqual(a.generator.getWeights());
    expect(b.discriminator.getWeights()).toEqual(a.discriminator.getWeights());
    expect(b.generate(20, { label: 7 })).toEqual(a.generate(20, { label: 7 }));
    const other = await createGAN({ ...options, seed: 4 });
    other.train({ epochs: 5 });
    expect(other.generator.getWeights()).not.toEqual(a.generator.getWeights());
  });

  it("generates by label value, cycles the classes without one, and refuses unknown labels", async () => {
    const gan = await createGAN(options);
    gan.train({ epochs: 3 });
    const seven = gan.generate(10, { label: 7 });
    expect(seven.length).toBe(10 * dim);
    expect(
      seven.every((v) => v >= -1 && v <= 1),
      "tanh output",
    ).toBe(true);
    expect(gan.generate(4).length).toBe(4 * dim);
    expect(() => gan.generate(1, { label: 5 })).toThrow(OptionError);
    expect(() => gan.generate(1, { label: 5 })).toThrow(/invalid label: 5 \(must be one of the labels 3, 7\)/);
    expect(() => gan.discriminate([0, 0, 0, 0])).toThrow(/a conditional D needs one of the labels 3, 7/);
    expect(gan.discriminate([0, 0, 0, 0], { label: 3 }).length).toBe(1);
    await expect(createGAN({ ...options, labels: labels.slice(1) })).rejects.toThrow(/one label per data row \(60\)/);
    await expect(createGAN({ ...options, labels: [...labels.slice(1), 2.5] })).rejects.toThrow(/labels\[59\]/);
    const plain = await createGAN({ seed: 1 });
    expect(() => plain.generate(1, { label: 1 })).toThrow(/the GAN is not conditional/);
  });

  it("a shuffled conditional run split by a checkpoint equals the run uninterrupted", async () => {
    const whole = await createGAN(options);
    whole.train({ epochs: 6 });
    const first = await createGAN(options);
    first.train({ epochs: 3 });
    const resumed = await loadCheckpoint(checkpointText(first));
    expect(resumed.realLabels()).toEqual(first.realLabels());
    resumed.train({ epochs: 3 });
    expect(resumed.generator.getWeights()).toEqual(whole.generator.getWeights());
    expect(resumed.discriminator.getWeights()).toEqual(whole.discriminator.getWeights());
    expect(resumed.generate(8, { label: 3 })).toEqual(whole.generate(8, { label: 3 }));
  });
});
