// The training page's step modes from the library: stepD / stepG split an iteration of the reference workload's epoch
// loop into its D and G updates (together the same bits as train), and inputGradient gives the gradient
// the generator's update follows, checked against central differences of a float64 forward.
import { describe, expect, it } from "vitest";
import { CheckpointError, checkpointText, createGAN, type GAN, type GANOptions } from "../src/index.js";
import { hexWeights } from "./browser/reference.js";
import { type Layer64, mlpForward64, sigmoidBCENaive, squaredErrorNaive } from "./reference.js";

const weights = (gan: GAN) => ({
  g: hexWeights(gan.generator.getWeights()),
  d: hexWeights(gan.discriminator.getWeights()),
});

const CASES: [string, GANOptions][] = [
  ["the reference workload", { seed: 2 }],
  [
    "dSteps 2, shuffled batches of 100, a 2-D ring",
    { seed: 3, dSteps: 2, target: { kind: "ring" }, batchSize: 100, shuffle: true, samples: 400 },
  ],
  ["lsgan, two hidden layers", { seed: 4, loss: "lsgan", gHidden: [8, 8], dHidden: [8, 8] }],
];

describe("stepD and stepG", () => {
  for (const [name, options] of CASES) {
    it(`split train's iterations into the same bits (${name})`, async () => {
      const whole = await createGAN(options),
        parts = await createGAN(options);
      const { reports } = whole.train({ epochs: 2 });
      const partReports = [];
      for (let epoch = 0; epoch < 2; epoch++) {
        for (;;) {
          for (let s = 0; s < (options.dSteps ?? 1); s++) parts.stepD();
          // Looking in between (D on more rows than a batch: its buffers grow) leaves the steps as they were.
          parts.discriminate(new Float32Array(3000 * parts.options.dim));
          const r = parts.stepG();
          if (r.report) partReports.push(r.report);
          if (r.epoch === epoch + 1) break;
          expect(parts.inEpoch).toBe(true);
        }
        expect(parts.inEpoch).toBe(false);
      }
      expect(parts.epoch).toBe(2);
      expect(weights(parts)).toEqual(weights(whole));
      expect(partReports).toEqual(reports.slice(0, partReports.length));
      expect(partReports.length).toBe(1); // the report of epoch 0
      // And the runs go on alike.
      expect(parts.train({ epochs: 11 }).reports).toEqual(whole.train({ epochs: 11 }).reports);
    });
  }

  it("split a conditional, shuffled run's iterations into the same bits, dSteps 2 and a G step alone", async () => {
    // Two classes of 3-D rows (labels 2 and 5), mini-batches of 8 with a remainder.
    const data = Array.from({ length: 30 * 3 }, (_, k) => Math.sin(k * 1.7) + (Math.floor(k / 3) % 2 ? 0.5 : -0.5));
    const options: GANOptions = {
      seed: 12,
      data,
      dim: 3,
      labels: Array.from({ length: 30 }, (_, i) => (i % 2 ? 5 : 2)),
      noiseDim: 4,
      gHidden: [6],
      dHidden: [6],
      gOutputActivation: "tanh",
      batchSize: 8,
      shuffle: true,
      dSteps: 2,
      evalSamples: 20,
    };
    const whole = await createGAN(options),
      parts = await createGAN(options);
    const { reports } = whole.train({ epochs: 2 });
    const partReports = [];
    while (parts.epoch < 2) {
      parts.stepD();
      parts.discriminate(new Float32Array(300 * 3), { label: 5 }); // a look in between leaves the steps alone
      parts.stepD();
      const r = parts.stepG();
      if (r.report) partReports.push(r.report);
    }
    expect(weights(parts)).toEqual(weights(whole));
    expect(partReports).toEqual(reports);
    expect([parts.dLoss, parts.gLoss]).toEqual([whole.dLoss, whole.gLoss]);
    // train finishes an epoch that stepD began; a G step with no D step draws its own noise, as step() does.
    parts.stepD();
    whole.train({ epochs: 1 });
    parts.train({ epochs: 1 });
    expect(weights(parts)).toEqual(weights(whole));
    const before = weights(parts);
    parts.stepG();
    expect(weights(parts).d).toEqual(before.d);
    expect(weights(parts).g).not.toEqual(before.g);
  });

  it("move only their own model", async () => {
    const gan = await createGAN({ seed: 5 });
    const before = weights(gan);
    gan.stepD();
    const afterD = weights(gan);
    expect(afterD.g).toEqual(before.g);
    expect(afterD.d).not.toEqual(before.d);
    gan.stepG();
    const afterG = weights(gan);
    expect(afterG.d).toEqual(afterD.d);
    expect(afterG.g).not.toEqual(afterD.g);
    // A G step with no D step before it draws its own noise, and still leaves D alone.
    gan.stepG();
    expect(weights(gan).d).toEqual(afterD.d);
  });

  it("leave train to finish the epoch they began, as one epoch", async () => {
    const options = { seed: 6, dSteps: 2 };
    const whole = await createGAN(options),
      parts = await createGAN(options);
    whole.train({ epochs: 3 });
    parts.stepD(); // half of the first iteration's D updates
    expect(parts.train({ epochs: 3 }).epochs).toBe(3);
    expect(parts.epoch).toBe(3);
    expect(weights(parts)).toEqual(weights(whole));
  });

  it("refuse a checkpoint in the middle of an epoch", async () => {
    const gan = await createGAN({ seed: 7 });
    gan.stepD();
    expect(() => checkpointText(gan)).toThrow(CheckpointError);
    expect(() => checkpointText(gan)).toThrow(/between epochs/);
    gan.train({ epochs: 1 });
    expect(() => checkpointText(gan)).not.toThrow();
  });
});

describe("inputGradient", () => {
  const H = 1e-5;
  const cases: [string, GANOptions][] = [
    ["minimax, the reference workload's 1-D critic", { seed: 8 }],
    [
      "non-saturating, 2-D, leaky relu",
      { seed: 9, target: { kind: "ring" }, loss: "non-saturating", dHidden: [16, 8], dActivation: "leaky_relu" },
    ],
    ["lsgan, tanh", { seed: 10, target: { kind: "grid" }, loss: "lsgan", dHidden: [12], dActivation: "tanh" }],
  ];
  for (const [name, options] of cases) {
    it(`is d loss_G / dx by central differences (${name})`, async () => {
      const gan = await createGAN(options);
      gan.train({ epochs: 5 }); // a D that has learned something
      const o = gan.options,
        dim = o.dim;
      const layers: Layer64[] = o.dHidden.map((units, i) => ({
        inputs: i === 0 ? dim : o.dHidden[i - 1]!,
        units,
        activation: typeof o.dActivation === "string" ? o.dActivation : o.dActivation.name,
        alpha: Math.fround(typeof o.dActivation === "string" ? 0.2 : (o.dActivation.alpha ?? 0.2)),
      }));
      layers.push({ inputs: o.dHidden.at(-1)!, units: 1, activation: "linear", alpha: 0 });
      const w = gan.discriminator.getWeights();
      const target = o.loss === "non-saturating" ? 1 : o.realLabel;
      const loss = (x: Float64Array) => {
        const z = mlpForward64(w, layers, x, 1);
        return (o.loss === "lsgan" ? squaredErrorNaive : sigmoidBCENaive)(z, 1, target, target).loss;
      };
      const x = gan.generate(200);
      const analytic = gan.inputGradient(x);
      let worst = 0,
        scale = 0,
        checked = 0;
      for (let r = 0; r < 200; r++) {
        const row = Float64Array.from(x.subarray(r * dim, (r + 1) * dim));
        // Rows with a pre-activation within 1e-3 of a kink are not differentiable there: left out.
        let nearKink = false;
        mlpForward64(w, layers, row, 1, (i, z) => {
          if (layers[i]!.activation.includes("relu")) nearKink ||= z.some((v) => Math.abs(v) < 1e-3);
        });
        if (nearKink) continue;
        checked++;
        for (let d = 0; d < dim; d++) {
          const up = row.slice(),
            down = row.slice();
          up[d]! += H;
          down[d]! -= H;
          const numerical = (loss(up) - loss(down)) / (2 * H);
          scale = Math.max(scale, Math.abs(numerical));
          worst = Math.max(worst, Math.abs(analytic[r * dim + d]! - numerical) / Math.max(Math.abs(numerical), 1e-3));
        }
      }
      expect(checked).toBeGreaterThanOrEqual(100);
      expect(scale, "an all-zero gradient checks nothing").toBeGreaterThan(1e-4);
      expect(worst).toBeLessThan(1e-3);
    });
  }

  it("moves no weight and no random stream", async () => {
    const a = await createGAN({ seed: 11 }),
      b = await createGAN({ seed: 11 });
    a.train({ epochs: 3 });
    b.train({ epochs: 3 });
    a.inputGradient(new Float32Array([0.5, -1, 2]));
    expect(a.train({ epochs: 12 }).reports).toEqual(b.train({ epochs: 12 }).reports);
    expect(weights(a)).toEqual(weights(b));
  });
});
