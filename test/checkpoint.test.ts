import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import * as tf from "@tensorflow/tfjs";
import {
  createGAN,
  checkpointText,
  loadCheckpoint,
  parseCheckpoint,
  toTfjsLayersModel,
  CheckpointError,
} from "../src/index.js";
import type { GAN } from "../src/index.js";

const bitsEqual = (a: Float32Array[], b: Float32Array[]) =>
  a.length === b.length && a.every((w, i) => w.length === b[i]!.length && w.every((v, j) => Object.is(v, b[i]![j])));

function sameState(a: GAN, b: GAN): boolean {
  return (
    bitsEqual(a.generator.getWeights(), b.generator.getWeights()) &&
    bitsEqual(a.discriminator.getWeights(), b.discriminator.getWeights()) &&
    bitsEqual(a.gOptimizer.getState().slots, b.gOptimizer.getState().slots) &&
    Array.from(a.rng.getState()).join() === Array.from(b.rng.getState()).join()
  );
}

describe("checkpoints", () => {
  it("a run split by save/resume is bit-identical to the same run uninterrupted", async () => {
    for (const options of [
      { seed: 11 },
      {
        seed: 12,
        loss: "lsgan" as const,
        dSteps: 2,
        gHidden: [8, 8],
        gOptimizer: { type: "rmsprop" as const, learningRate: 0.001 },
      },
    ]) {
      const straight = await createGAN(options);
      straight.train({ epochs: 60 });
      const first = await createGAN(options);
      first.train({ epochs: 25 });
      const resumed = await loadCheckpoint(checkpointText(first));
      expect(resumed.epoch).toBe(25);
      resumed.train({ epochs: 35 });
      expect(sameState(resumed, straight)).toBe(true);
      // and the comparison can fail: one more epoch changes the state
      resumed.train({ epochs: 1 });
      expect(sameState(resumed, straight)).toBe(false);
    }
  });

  it("rejects truncated, corrupted, wrong-version and mismatched checkpoints with a clear error", async () => {
    const gan = await createGAN({ seed: 3 });
    gan.train({ epochs: 2 });
    const text = checkpointText(gan);
    await expect(loadCheckpoint(text.slice(0, text.length / 2))).rejects.toThrow(/not valid JSON/);
    await expect(loadCheckpoint(text.replace(/"epoch":2/, '"epoch":3'))).rejects.toThrow(/checksum/);
    await expect(loadCheckpoint(JSON.stringify({ ...JSON.parse(text), version: 99 }))).rejects.toThrow(/version 99/);
    await expect(loadCheckpoint('{"format":"something-else"}')).rejects.toThrow(CheckpointError);
    // A well-formed checkpoint whose weights do not fit its own options: re-sign it so only the mismatch is wrong.
    const c = parseCheckpoint(text);
    const { checksum: _c, ...body } = { ...c, options: { ...c.options, gHidden: [7] } };
    const { fnv1a } = await import("../src/checkpoint/tensor.js");
    const forged = JSON.stringify({ ...body, checksum: fnv1a(JSON.stringify(body)) });
    await expect(loadCheckpoint(forged)).rejects.toThrow(/field generator\.weights\[0\].*layer 1/);
  });
});

describe("checkpoint versions", () => {
  const options = {
    samples: 30,
    batchSize: 10,
    gHidden: [4],
    dHidden: [4],
    noiseDim: 2,
    gOptimizer: { type: "sgd" as const, momentum: 0.5, learningRate: 0.01 },
    target: { kind: "ring" as const },
    evalSamples: 20,
  };

  it("reads version 1 (the previous release's, learning rates stored twice) and resumes it exactly", async () => {
    const text = await readFile(new URL("./fixtures/checkpoint-v1.json", import.meta.url), "utf8");
    expect(JSON.parse(text).version).toBe(1);
    const resumed = await loadCheckpoint(text);
    expect(resumed.options.gOptimizer).toEqual(options.gOptimizer);
    expect(resumed.options.target).toEqual({ kind: "ring", modes: 8, radius: 2, std: 0.02 });
    resumed.train({ epochs: 3 });
    const straight = await createGAN(options);
    straight.train({ epochs: 8 });
    expect(sameState(resumed, straight)).toBe(true);
    // Saved again, it is version 2: one learning rate per optimizer, and a batch size without a batch count.
    const again = parseCheckpoint(checkpointText(resumed));
    expect(again.version).toBe(2);
    expect(Object.keys(again.options)).not.toContain("gLearningRate");
    expect(Object.keys(again.options)).not.toContain("batches");
  });

  it("refuses versions it does not know, saying which it reads", async () => {
    const gan = await createGAN({ seed: 3 });
    const c = JSON.parse(checkpointText(gan));
    const { fnv1a } = await import("../src/checkpoint/tensor.js");
    const { checksum: _c, ...body } = { ...c, version: 3 };
    const text = JSON.stringify({ ...body, checksum: fnv1a(JSON.stringify(body)) });
    await expect(loadCheckpoint(text)).rejects.toThrow(
      /checkpoint version 3 is not supported \(this simdgan reads versions 1 and 2\)/,
    );
  });
});

describe("tfjs export", () => {
  it("tf.loadLayersModel reads the exported generator and computes the same outputs", async () => {
    await tf.setBackend("cpu");
    for (const gActivation of ["relu", "tanh", { name: "leaky_relu", alpha: 0.1 }] as const) {
      const gan = await createGAN({ seed: 4, gHidden: [32, 16], gActivation });
      gan.train({ epochs: 5 });
      const art = toTfjsLayersModel(gan.generator, "generator");
      const manifest = (art.modelJson.weightsManifest as { weights: tf.io.WeightsManifestEntry[] }[])[0]!;
      const model = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: art.modelJson.modelTopology as tf.io.ModelJSON["modelTopology"],
          weightSpecs: manifest.weights,
          weightData: art.weights.buffer as ArrayBuffer,
        }),
      );
      const rows = 64,
        noise = Float32Array.from({ length: rows * 16 }, (_, i) => Math.sin(i * 0.37));
      const theirs = (model.predict(tf.tensor2d(noise, [rows, 16])) as tf.Tensor).dataSync();
      const g = gan.generator,
        arena = gan.engine.arena;
      g.reserve(rows);
      const input = arena.alloc(noise.length);
      arena.write(input, noise);
      const ours = arena.read(g.forward(input, rows), rows);
      for (let i = 0; i < rows; i++)
        expect(Math.abs(theirs[i]! - ours[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(ours[i]!)));
    }
  });
});
