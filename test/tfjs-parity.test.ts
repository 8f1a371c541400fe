// simdgan against TensorFlow.js (layers API, cpu backend) as the oracle: the same initial weights, real
// batches and noise must give the same losses and weights, step after step, at the reference workload's sizes.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createGAN, type GAN } from "../src/index.js";
import { getModelWeights, TfjsGAN, useBackend } from "./oracle/tfjs-gan.js";
import { randomArray } from "./helpers.js";

// 1e-4 relative, or 1e-5 absolute where the value is below 0.1 in magnitude.
const REL = 1e-4,
  ABS = 1e-5,
  FLOOR = ABS / REL;

// max |a - b| / max(|b|, 0.1): below REL means within 1e-4 relative or 1e-5 absolute.
function worstError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), FLOOR));
  return worst;
}

// Worst scaled error over every weight array of G and D.
function weightsError(gan: GAN, oracle: TfjsGAN): number {
  const pairs: [Float32Array[], Float32Array[]][] = [
    [gan.generator.getWeights(), getModelWeights(oracle.generator)],
    [gan.discriminator.getWeights(), getModelWeights(oracle.discriminator)],
  ];
  let worst = 0;
  for (const [ours, theirs] of pairs) {
    expect(ours.length).toBe(theirs.length);
    ours.forEach((w, i) => {
      worst = Math.max(worst, worstError(w, theirs[i]!));
    });
  }
  return worst;
}

async function pair(seed: number): Promise<{ gan: GAN; oracle: TfjsGAN }> {
  const gan = await createGAN({ seed });
  const oracle = new TfjsGAN();
  oracle.setWeights({ generator: gan.generator.getWeights(), discriminator: gan.discriminator.getWeights() });
  return { gan, oracle };
}

// The reference workload's three consecutive batches of 333, 333 and 334 rows, cycled.
function referenceBatch(real: Float32Array, step: number): Float32Array {
  const b = step % 3,
    from = b * 333,
    to = b === 2 ? 1000 : from + 333;
  return real.subarray(from, to);
}

beforeAll(async () => {
  await useBackend("cpu");
});

describe("the tfjs oracle is built as the reference workload's Keras code", () => {
  it("trains D in D's own step and leaves D frozen in the GAN step", async () => {
    const oracle = new TfjsGAN();
    const d0 = getModelWeights(oracle.discriminator),
      g0 = getModelWeights(oracle.generator);
    const m = 50,
      noise = randomArray(m * 16, 1),
      targets = tf.fill([m, 1], 0.9);
    await oracle.gan.trainOnBatch(tf.tensor2d(noise, [m, 16]), targets);
    const d1 = getModelWeights(oracle.discriminator),
      g1 = getModelWeights(oracle.generator);
    d1.forEach((w, i) => expect(w).toEqual(d0[i]));
    expect(g1.some((w, i) => w.some((v, j) => v !== g0[i]![j]))).toBe(true);
    await oracle.discriminator.trainOnBatch(tf.tensor2d(randomArray(m, 2), [m, 1]), targets);
    const d2 = getModelWeights(oracle.discriminator);
    d2.forEach((w, i) => expect(w.some((v, j) => v !== d1[i]![j])).toBe(true));
    oracle.dispose();
  });
});

describe("simdgan matches tfjs at the reference workload's sizes", () => {
  it("after one step: D-Loss, G-Loss and every weight", async () => {
    const { gan, oracle } = await pair(7);
    const real = gan.realData(),
      bx = referenceBatch(real, 0),
      noise = randomArray(333 * 16, 100);
    const ours = gan.trainStep({ real: bx, noise });
    const theirs = await oracle.trainStep(bx, noise);
    const dErr = worstError([ours.dLoss], [theirs.dLoss]),
      gErr = worstError([ours.gLoss], [theirs.gLoss]);
    const err = weightsError(gan, oracle);
    console.log(
      `tfjs parity, 1 step: D-Loss error ${dErr.toExponential(2)}, G-Loss error ${gErr.toExponential(2)}, ` +
        `worst weight error ${err.toExponential(2)}`,
    );
    expect(dErr).toBeLessThan(REL);
    expect(gErr).toBeLessThan(REL);
    expect(err).toBeLessThan(REL);
    oracle.dispose();
  });

  it("over 20 consecutive steps, checked after each", async () => {
    const { gan, oracle } = await pair(11);
    const real = gan.realData();
    let worstLoss = 0,
      worstWeight = 0;
    for (let step = 0; step < 20; step++) {
      const bx = referenceBatch(real, step),
        noise = randomArray(bx.length * 16, 1000 + step);
      const ours = gan.trainStep({ real: bx, noise });
      const theirs = await oracle.trainStep(bx, noise);
      const lossErr = Math.max(worstError([ours.dLoss], [theirs.dLoss]), worstError([ours.gLoss], [theirs.gLoss]));
      const weightErr = weightsError(gan, oracle);
      worstLoss = Math.max(worstLoss, lossErr);
      worstWeight = Math.max(worstWeight, weightErr);
      expect(lossErr, `losses at step ${step}`).toBeLessThan(REL);
      expect(weightErr, `weights at step ${step}`).toBeLessThan(REL);
    }
    console.log(
      `tfjs parity, 20 steps: worst loss error ${worstLoss.toExponential(2)}, worst weight error ` +
        `${worstWeight.toExponential(2)} (relative, absolute below 0.1)`,
    );
    // The run really moved: a comparison of weights that never changed would prove nothing.
    const g0 = (await createGAN({ seed: 11 })).generator.getWeights();
    expect(worstError(gan.generator.getWeights()[0]!, g0[0]!)).toBeGreaterThan(100 * REL);
    oracle.dispose();
  });
});
