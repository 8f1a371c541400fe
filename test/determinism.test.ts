// A seed fixes everything: data, initial weights, noise. The same seed must give the same bits, a
// different seed different ones, and GANs living side by side in one process must not share state.
import { describe, expect, it } from "vitest";
import { createGAN, type GAN, type Report } from "../src/index.js";

const EPOCHS = 50;

interface Outcome {
  weights: Float32Array[];
  reports: Report[];
  real: Float32Array;
  samples: Float32Array;
}

function weightsOf(gan: GAN): Float32Array[] {
  return [...gan.generator.getWeights(), ...gan.discriminator.getWeights()];
}

function outcome(gan: GAN, reports: Report[]): Outcome {
  return { weights: weightsOf(gan), reports, real: gan.realData(), samples: gan.generate(200) };
}

async function trained(seed: number): Promise<Outcome> {
  const gan = await createGAN({ seed });
  return outcome(gan, gan.train({ epochs: EPOCHS }).reports);
}

// Bit patterns, so that -0 vs 0 or NaN payloads would count as differences too.
const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

function expectIdentical(a: Outcome, b: Outcome): void {
  expect(a.weights.length).toBe(b.weights.length);
  a.weights.forEach((w, i) => expect(bits(w)).toEqual(bits(b.weights[i]!)));
  expect(a.reports).toEqual(b.reports);
  expect(bits(a.real)).toEqual(bits(b.real));
  expect(bits(a.samples)).toEqual(bits(b.samples));
}

describe("determinism", () => {
  it(`the same seed gives bit-identical weights, reports and samples after ${EPOCHS} epochs`, async () => {
    const a = await trained(42),
      b = await trained(42);
    expect(a.reports).toHaveLength(EPOCHS / 10);
    expectIdentical(a, b);
  });

  it("a different seed gives different data, weights and reports", async () => {
    const a = await trained(42),
      b = await trained(43);
    const differs = (x: Float32Array, y: Float32Array) => x.some((v, i) => v !== y[i]);
    expect(differs(a.real, b.real)).toBe(true);
    // Every weight array with anything random in it differs (biases start at zero but move).
    a.weights.forEach((w, i) => expect(differs(w, b.weights[i]!), `weight array ${i}`).toBe(true));
    expect(a.reports.map((r) => r.kl)).not.toEqual(b.reports.map((r) => r.kl));
  });

  it("two GANs trained in alternation match the same GANs trained alone", async () => {
    const alone = [await trained(7), await trained(8)];
    const [x, y] = [await createGAN({ seed: 7 }), await createGAN({ seed: 8 })];
    const reports: Report[][] = [[], []];
    // Interleave epoch by epoch, and mix in the other calls a user might make, on the other GAN.
    for (let e = 0; e < EPOCHS; e++) {
      reports[0]!.push(...x.train({ epochs: 1 }).reports);
      y.discriminate([0.5, -0.5]);
      reports[1]!.push(...y.train({ epochs: 1 }).reports);
      x.discriminate([1.5]);
    }
    expectIdentical(outcome(x, reports[0]!), alone[0]!);
    expectIdentical(outcome(y, reports[1]!), alone[1]!);
  });

  it("trainStep without noise draws it from the seed: two same-seed GANs stay identical", async () => {
    const [a, b] = [await createGAN({ seed: 5 }), await createGAN({ seed: 5 })];
    const batch = a.realData().subarray(0, 333);
    for (let i = 0; i < 10; i++) expect(a.trainStep({ real: batch })).toEqual(b.trainStep({ real: batch }));
    weightsOf(a).forEach((w, i) => expect(bits(w)).toEqual(bits(weightsOf(b)[i]!)));
  });
});
