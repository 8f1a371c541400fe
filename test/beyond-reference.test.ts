// Training beyond the reference workload's configuration: other targets, batch sizes, shuffling and report metrics.
import { describe, expect, it } from "vitest";
import { checkpointText, createGAN, loadCheckpoint } from "../src/index.js";

const weightsOf = (g: Awaited<ReturnType<typeof createGAN>>) =>
  [...g.generator.getWeights(), ...g.discriminator.getWeights()].map((w) => Array.from(w).join()).join("|");

describe("2-D ring of 8 Gaussians", () => {
  it("reaches at least 6 of 8 modes with the documented configuration", async () => {
    // README, "Mode coverage": 2000 samples of the standard ring (radius 2, std 0.02), batches of 100
    // reshuffled every epoch, two hidden layers of 64 in G and D, Adam 1e-3 for both, the non-saturating
    // loss with unsmoothed labels, 200 epochs.
    const gan = await createGAN({
      seed: 1,
      target: { kind: "ring" },
      samples: 2000,
      batchSize: 100,
      shuffle: true,
      gHidden: [64, 64],
      dHidden: [64, 64],
      gOptimizer: { learningRate: 0.001 },
      dOptimizer: { learningRate: 0.001 },
      loss: "non-saturating",
      realLabel: 1,
      fakeLabel: 0,
      metrics: ["kl", "modes"],
      evalSamples: 2000,
      logEvery: 50,
    });
    const { reports } = gan.train({ epochs: 200 });
    const last = reports[reports.length - 1]!;
    expect(reports[0]!.modesCaptured).toBeDefined();
    expect(last.modesCaptured).toBeGreaterThanOrEqual(6);
    // Samples spread evenly over the ring's area would land within 3 std of a mode about 0.6% of the time.
    expect(last.highQualityShare).toBeGreaterThan(0.02);
  });
});

describe("1-D bimodal mixture", () => {
  it("learns both modes", async () => {
    // Target 0.5 N(-2, 0.5²) + 0.5 N(2, 0.5²). Bounds, from the distribution itself: a generator that
    // collapses onto one mode is at W1 ~ 2 with 0% on one side; one that fits a single Gaussian of the
    // same mean and variance is at W1 = 0.735 with 28% of its samples in the gap |x| < 0.75 (the target
    // has 0.6% there). W1 oscillates as the two players chase each other: three seeds of this
    // configuration reported W1 in 0.20-0.59 over epochs 50-550 (one reading of 0.83 seen), so the test
    // takes the median of the last six reports; 49-50% of samples fell on each side, <= 0.5% in the gap.
    const gan = await createGAN({
      seed: 1,
      target: { kind: "mixture", means: [-2, 2], stds: [0.5, 0.5] },
      samples: 2000,
      batchSize: 100,
      shuffle: true,
      gHidden: [32, 32],
      dHidden: [32, 32],
      gOptimizer: { learningRate: 0.001 },
      metrics: ["kl", "w1"],
      logEvery: 50,
    });
    const { reports } = gan.train({ epochs: 600 });
    const fake = gan.generate(2000);
    const left = fake.filter((v) => v < 0).length / fake.length;
    const gap = fake.filter((v) => Math.abs(v) < 0.75).length / fake.length;
    const w1 = reports
      .slice(-6)
      .map((r) => r.w1!)
      .sort((p, q) => p - q);
    expect((w1[2]! + w1[3]!) / 2).toBeLessThan(0.6);
    expect(left).toBeGreaterThan(0.35);
    expect(left).toBeLessThan(0.65);
    expect(gap).toBeLessThan(0.1);
  });
});

describe("batches and shuffling", () => {
  it("batchSize sets the rows per step, the last batch taking the rest", async () => {
    const gan = await createGAN({ seed: 1, samples: 250, batchSize: 100 });
    gan.train({ epochs: 2 });
    expect(gan.gOptimizer.getState().step).toBe(2 * 3);
  });

  it("reshuffling changes the run, is deterministic per seed, and survives save/resume bit-identically", async () => {
    const options = { seed: 5, shuffle: true, samples: 300 };
    const a = await createGAN(options),
      b = await createGAN(options),
      plain = await createGAN({ ...options, shuffle: false });
    a.train({ epochs: 20 });
    b.train({ epochs: 10 });
    const resumed = await loadCheckpoint(checkpointText(b));
    resumed.train({ epochs: 10 });
    plain.train({ epochs: 20 });
    expect(weightsOf(resumed)).toBe(weightsOf(a));
    expect(weightsOf(plain)).not.toBe(weightsOf(a));
    // the real rows are permuted, not changed
    const sorted = (x: Float32Array) =>
      Array.from(x)
        .sort((p, q) => p - q)
        .join();
    expect(sorted(a.realData())).toBe(sorted(plain.realData()));
    expect(Array.from(a.realData()).join()).not.toBe(Array.from(plain.realData()).join());
  });
});

describe("report metrics", () => {
  it("carry exactly the metrics asked for", async () => {
    const gan = await createGAN({ seed: 3, metrics: ["kl", "js", "w1", "ks", "moments"] });
    const [r] = gan.train({ epochs: 1 }).reports;
    for (const key of ["kl", "js", "w1", "ks", "mean", "std", "skewness", "kurtosis"])
      expect(Number.isFinite((r as never)[key])).toBe(true);
    expect(r!.js).toBeLessThanOrEqual(Math.LN2);
    expect(r!.ks).toBeGreaterThanOrEqual(0);
    const referenceOnly = (await createGAN({ seed: 3 })).train({ epochs: 1 }).reports[0]!;
    expect(Object.keys(referenceOnly).sort()).toEqual(["dLoss", "epoch", "gLoss", "kl"]);
    // the same run, whatever is measured on the side
    expect(referenceOnly.kl).toBe(r!.kl);
  });
});
