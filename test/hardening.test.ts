// The library under hostile input: refused allocations, resource limits, divergence, crafted
// checkpoints, non-numeric values, callbacks that throw, and one error type for bad input.
import { describe, expect, it } from "vitest";
import {
  CheckpointError,
  checkpointText,
  createEngine,
  createGAN,
  DivergenceError,
  loadCheckpoint,
  memoryPlan,
  OptionError,
  parseCheckpoint,
  resolveOptions,
  type GAN,
  type GANOptions,
} from "../src/index.js";
import { fnv1a } from "../src/checkpoint/tensor.js";
import { resolveActivation } from "../src/model/activation.js";
import { createOptimizer } from "../src/optim/optimizer.js";
import { Rng, Stream } from "../src/data/rng.js";
import { batchBounds, RowShuffler } from "../src/data/shuffle.js";
import { sampleTarget } from "../src/data/targets.js";
import { plotFormat } from "../src/plot/render.js";

const weightsOf = (g: GAN) => [...g.generator.getWeights(), ...g.discriminator.getWeights()];
const sameBits = (a: Float32Array[], b: Float32Array[]) =>
  a.length === b.length && a.every((w, i) => w.length === b[i]!.length && w.every((v, j) => Object.is(v, b[i]![j])));

/** The OptionError `f` throws (or the promise rejects with); fails when it throws anything else. */
async function optionError(f: () => unknown): Promise<OptionError> {
  let error: unknown = null;
  try {
    await f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(OptionError);
  return error as OptionError;
}

/** Re-signs an edited checkpoint, as a crafted file would be. */
function resign(text: string, edit: (c: Record<string, unknown>) => void): string {
  const { checksum: _c, ...body } = JSON.parse(text) as Record<string, unknown>;
  edit(body);
  return JSON.stringify({ ...body, checksum: fnv1a(JSON.stringify(body)) });
}

describe("a refused allocation changes nothing", () => {
  it("leaves the arena's top and every buffer as they were, and the next allocation after them", async () => {
    const e = await createEngine();
    const live = e.arena.alloc(1000);
    e.arena.write(
      live,
      Float32Array.from({ length: 1000 }, (_, i) => i + 0.5),
    );
    const top = e.arena.used;
    // 2^30 - 4 values is 4 GiB - 16 bytes: 32-bit arithmetic wraps it to -16, moving top backwards. (A 2 GiB
    // request may succeed: V8 grows memory that far on this machine, which takes seconds, so it is not tried.)
    for (const count of [2 ** 30 - 4, 2 ** 31, 1.5]) {
      const error = await optionError(() => e.arena.alloc(count));
      expect(error.option).toBe("memory");
      expect(e.arena.used).toBe(top);
    }
    const next = e.arena.alloc(100);
    expect(next).toBeGreaterThanOrEqual(top);
    e.arena.write(next, new Float32Array(100).fill(-1));
    expect(Array.from(e.arena.read(live, 1000))).toEqual(Array.from({ length: 1000 }, (_, i) => i + 0.5));
  });
});

describe("resource limits", () => {
  it("refuses a configuration whose buffers cannot fit, naming the option that asks for most", async () => {
    const cases: [GANOptions, string][] = [
      [{ samples: 1e9 }, "samples"],
      [{ evalSamples: 1e9 }, "evalSamples"],
      [{ noiseDim: 1e7 }, "noiseDim"],
      [{ gHidden: [30000, 30000] }, "gHidden"],
      [{ samples: 2e8, batchSize: 2e8 }, "batchSize"],
    ];
    for (const [options, option] of cases) {
      const error = await optionError(() => createGAN(options));
      expect(error.option).toBe(option);
      expect(error.message).toMatch(/GiB of wasm memory; at most 4\.00 GiB fit/);
    }
  });

  it("plans exactly what the arena lays out, for every shape of model", async () => {
    const configs: GANOptions[] = [
      {},
      { batchSize: 64, shuffle: true, gHidden: [8, 24], dHidden: [5], gActivation: "tanh", dActivation: "sigmoid" },
      { target: { kind: "ring" }, evalSamples: 50, noiseDim: 3, gOptimizer: { type: "sgd", learningRate: 0.1 } },
      { data: [1, 2, 3, 4, 5, 6], dim: 3, batches: 1, dOptimizer: { type: "rmsprop", learningRate: 0.01 } },
      { gActivation: { name: "leaky_relu", alpha: 3 }, dHidden: [1], evalSamples: 7, samples: 10 },
    ];
    for (const options of configs) {
      const base = (await createEngine()).arena.used;
      const gan = await createGAN(options);
      const planned = memoryPlan(resolveOptions(options)).bytes,
        used = gan.engine.arena.used - base;
      // Whole-model buffers are planned unrounded and padded once: at most 16 bytes apart per buffer.
      expect(planned).toBeGreaterThanOrEqual(used);
      expect(planned - used).toBeLessThanOrEqual(128);
    }
  });

  it("refuses targets whose samples do not fit float32, and generate() beyond what one call may hold", async () => {
    expect((await optionError(() => createGAN({ target: { kind: "normal", mean: 1e39, std: 1 } }))).option).toBe(
      "target.mean",
    );
    expect((await optionError(() => createGAN({ target: { kind: "uniform", a: -3e38, b: 3e38 } }))).option).toBe(
      "target",
    );
    const gan = await createGAN({ epochs: 1 });
    for (const n of [1e12, 2 ** 30 + 1]) expect((await optionError(() => gan.generate(n))).option).toBe("n");
  });
});

describe("divergence", () => {
  it("stops training at once with a DivergenceError naming the epoch and what became non-finite", async () => {
    const sgd = { type: "sgd", learningRate: 1e30 } as const;
    const gan = await createGAN({ gOptimizer: sgd, dOptimizer: sgd, seed: 2 });
    let error: unknown = null,
      reports = 0;
    try {
      gan.train({ epochs: 50, onReport: () => reports++ });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DivergenceError);
    const d = error as DivergenceError;
    expect(d.epoch).toBe(0);
    expect(d.what).toMatch(/^the (generator|discriminator)('s (weights|gradient)| loss)$/);
    expect(d.message).toMatch(/training diverged in epoch 0: .* became non-finite/);
    expect(reports).toBe(0);
  });

  it("trains on through weights that are large but finite, whose sum overflows a float", async () => {
    // D's logit is 3e38 for every row (its output bias; the unit behind the other 3e38 is never active), so
    // the clipped loss has a zero gradient and nothing moves: every weight stays finite. A check that summed
    // the weights (3e38 + 3e38 = Infinity) called this divergence.
    const gan = await createGAN({ seed: 3 });
    const [k1, b1, k2, b2] = gan.discriminator.getWeights() as [Float32Array, Float32Array, Float32Array, Float32Array];
    k1[0] = 0;
    b1[0] = -1;
    k2[0] = 3e38;
    b2[0] = 3e38;
    gan.discriminator.setWeights([k1, b1, k2, b2]);
    expect(() => gan.train({ epochs: 2 })).not.toThrow();
    expect(gan.discriminator.getWeights()).toEqual([k1, b1, k2, b2]);
  });

  it("names a later epoch when training runs sound for a while first", async () => {
    const gan = await createGAN({ seed: 5 });
    gan.train({ epochs: 3 });
    // An optimizer that flings every weight far: the next step's gradient overflows.
    const ws = gan.discriminator.getWeights().map((w) => w.map(() => 3e38));
    gan.discriminator.setWeights(ws);
    expect(() => gan.train({ epochs: 2 })).toThrow(DivergenceError);
    expect(() => gan.train({ epochs: 1 })).toThrow(/epoch 3/);
    const step = await createGAN({ seed: 5 });
    step.discriminator.setWeights(ws);
    expect(() => step.trainStep({ real: new Float32Array(10) })).toThrow(DivergenceError);
  });
});

describe("checkpoints are checked field by field", () => {
  it("loads a huge optimizer step at once, and refuses out-of-range fields naming them", async () => {
    const gan = await createGAN({ seed: 4 });
    gan.train({ epochs: 3 });
    const text = checkpointText(gan);
    const huge = resign(text, (c) => ((c.gOptimizer as { step: number }).step = 1e12));
    const started = performance.now();
    const loaded = await loadCheckpoint(huge);
    expect(performance.now() - started).toBeLessThan(5000); // replaying 1e12 steps would take hours
    expect(loaded.gOptimizer.getState().step).toBe(1e12);
    const bad: [(c: Record<string, unknown>) => void, RegExp][] = [
      [(c) => ((c.gOptimizer as { step: number }).step = 2 ** 60), /field gOptimizer\.step: /],
      [(c) => ((c.dOptimizer as { step: number }).step = -1), /field dOptimizer\.step: -1/],
      [(c) => ((c.rng as number[])[3] = 2 ** 32), /field rng\[3\]: 4294967296/],
      [(c) => ((c.dataRng as number[]).length = 3), /field dataRng: /],
      [(c) => (c.epoch = 1.5), /field epoch: 1\.5/],
      [(c) => ((c.losses as { dLoss: unknown }).dLoss = "x"), /field losses\.dLoss: "x"/],
      [(c) => ((c.gOptimizer as { scalars: number[] }).scalars = [2, 0]), /field gOptimizer\.scalars/],
      [(c) => ((c.gOptimizer as { scalars: number[] }).scalars = [0.1, 0.5]), /field gOptimizer\.scalars\[0\]/],
      [
        (c) => {
          const o = c.gOptimizer as { step: number; scalars?: number[] };
          delete o.scalars;
          o.step = 1e12;
        },
        /field gOptimizer\.step: 1000000000000 \(at most 10000000 without the beta powers/,
      ],
    ];
    for (const [edit, message] of bad) {
      const forged = resign(text, edit);
      await expect(loadCheckpoint(forged)).rejects.toBeInstanceOf(CheckpointError);
      await expect(loadCheckpoint(forged)).rejects.toThrow(message);
    }
  });

  it("a checkpoint without the saved beta powers replays them to the same bits", async () => {
    const gan = await createGAN({ seed: 6, batchSize: 50 });
    gan.train({ epochs: 40 });
    const text = checkpointText(gan);
    const old = resign(text, (c) => {
      for (const k of ["gOptimizer", "dOptimizer"]) delete (c[k] as { scalars?: number[] }).scalars;
    });
    expect(parseCheckpoint(text).gOptimizer.scalars).toHaveLength(2);
    const [a, b] = [await loadCheckpoint(text), await loadCheckpoint(old)];
    expect(b.gOptimizer.getState().scalars).toEqual(a.gOptimizer.getState().scalars);
    a.train({ epochs: 5 });
    b.train({ epochs: 5 });
    gan.train({ epochs: 5 });
    expect(sameBits(weightsOf(a), weightsOf(gan))).toBe(true);
    expect(sameBits(weightsOf(b), weightsOf(gan))).toBe(true);
  });
});

describe("values handed in are checked", () => {
  it("refuses NaN and non-numbers in trainStep, discriminate and setWeights, naming argument and index", async () => {
    const gan = await createGAN({ seed: 3 });
    const before = weightsOf(gan);
    const real = new Float32Array(10);
    real[3] = NaN;
    expect((await optionError(() => gan.trainStep({ real }))).option).toBe("real[3]");
    const noise = new Array<unknown>(160).fill(0);
    noise[7] = "1";
    expect(
      (await optionError(() => gan.trainStep({ real: new Float32Array(10), noise: noise as number[] }))).option,
    ).toBe("noise[7]");
    expect((await optionError(() => gan.discriminate([0, Infinity]))).option).toBe("x[1]");
    expect((await optionError(() => gan.discriminate(["a"] as unknown as number[]))).option).toBe("x[0]");
    const ws = gan.generator.getWeights();
    ws[1]![5] = NaN;
    expect((await optionError(() => gan.generator.setWeights(ws))).option).toBe("weights[1][5]");
    expect(sameBits(weightsOf(gan), before)).toBe(true);
    expect(gan.discriminate([0.5, -0.5]).every(Number.isFinite)).toBe(true);
  });

  it("discriminate scores any number of rows in chunks, as one call per chunk would", async () => {
    const gan = await createGAN({ seed: 3 });
    const x = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i));
    const all = gan.discriminate(x);
    const parts = [gan.discriminate(x.subarray(0, 2000)), gan.discriminate(x.subarray(2000))];
    expect(Array.from(all)).toEqual([...parts[0]!, ...parts[1]!]);
  });

  it("an onReport that throws leaves the epoch count consistent with the weights", async () => {
    const [a, b] = [await createGAN({ seed: 8 }), await createGAN({ seed: 8 })];
    expect(() =>
      a.train({
        epochs: 25,
        onReport: (r) => {
          if (r.epoch === 10) throw new Error("callback failed");
        },
      }),
    ).toThrow("callback failed");
    expect(a.epoch).toBe(11);
    a.train({ epochs: 14 });
    const reports = b.train({ epochs: 25 }).reports;
    expect(sameBits(weightsOf(a), weightsOf(b))).toBe(true);
    expect(reports.map((r) => r.epoch)).toEqual([0, 10, 20]);
  });

  it("reports without kl when the metrics leave it out, and say so in the type", async () => {
    for (const metrics of [[], ["js"]] as const) {
      const gan = await createGAN({ seed: 1, metrics: [...metrics], epochs: 11 });
      const { reports } = gan.train();
      expect(reports).toHaveLength(2);
      for (const r of reports) expect("kl" in r).toBe(false);
      expect("js" in reports[0]!).toBe(metrics.length > 0);
    }
  });
});

describe("one error type for bad input in every layer", () => {
  it("model, optimizer, data and plot code throw OptionError, naming library arguments, never flags", async () => {
    const e = await createEngine();
    const errors = [
      await optionError(() => resolveActivation("swish" as never)),
      await optionError(() => resolveActivation({ name: "leaky_relu", alpha: -1 })),
      await optionError(() => createOptimizer(e, { type: "lion" } as never, 0, 0, 1)),
      await optionError(() => new Rng(e, 1, Stream.model).setState([1, 2])),
      await optionError(() => new RowShuffler(e, new Rng(e, 1, Stream.data), 0)),
      await optionError(() => new RowShuffler(e, new Rng(e, 1, Stream.data), 2).shuffle(0, 3, 1)),
      await optionError(() => batchBounds(0, 2)),
      await optionError(() => sampleTarget({ kind: "normal" }, e, new Rng(e, 1, Stream.data), 0, -1)),
      await optionError(() => plotFormat("chart.pdf")),
    ];
    const gan = await createGAN();
    errors.push(await optionError(() => gan.gOptimizer.setState({ step: 0, slots: [] })));
    errors.push(await optionError(() => gan.gOptimizer.setState({ ...gan.gOptimizer.getState(), step: -1 })));
    for (const error of errors) expect(error.option).not.toMatch(/^-/);
  });
});
