// Finite-difference gradient checks. Analytic gradients come from the library itself (src/model's MLP,
// Generator and Discriminator with the wasm kernels, in f32); the numerical ones from central differences
// of a float64 forward written plainly in TypeScript (test/reference.ts) from the very same weights.
// With h = 1e-5 the float64 differences are accurate to about 1e-9 relative (truncation h², rounding
// 1e-16 / h), so what is measured is the f32 analytic gradient, good to about 1e-6 relative: the bound
// 1e-4 relative to max(|numerical|, 1e-2 · the largest component) leaves margin without hiding a wrong
// term. Inputs are checked to keep every relu-type pre-activation at least 1e-3 from its kink and every
// logit inside the BCE clip, where the loss is smooth.
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/wasm/load.js";
import { type ActivationSpec, resolveActivation } from "../src/model/activation.js";
import { MLP } from "../src/model/mlp.js";
import { Generator } from "../src/model/generator.js";
import { Discriminator } from "../src/model/discriminator.js";
import { engine, get, meanLoss, put, randomArray } from "./helpers.js";
import { type Layer64, mlpForward64, sigmoidBCENaive, softmaxCENaive } from "./reference.js";

const H = 1e-5;
const TOL = 1e-4;
const KINK_MARGIN = 1e-3;

let e: Engine;
beforeAll(async () => {
  e = await engine();
});

function layers64(model: MLP): Layer64[] {
  return model.layers.map((l) => ({
    inputs: l.inputs,
    units: l.units,
    activation: l.activation.name,
    alpha: Math.fround(l.activation.alpha),
  }));
}

/** Weights in Keras order, kernels U(-0.8, 0.8) and biases U(-0.3, 0.3), set into the model. */
function randomWeights(model: MLP, seed: number): Float32Array[] {
  const w = model.layers.flatMap((l, i) => [
    randomArray(l.inputs * l.units, seed + 2 * i, -0.8, 0.8),
    randomArray(l.units, seed + 2 * i + 1, -0.3, 0.3),
  ]);
  model.setWeights(w);
  return w;
}

const flatten = (ws: readonly ArrayLike<number>[]) => Float64Array.from(ws.flatMap((w) => Array.from(w)));

function unflatten(theta: Float64Array, like: readonly ArrayLike<number>[]): Float64Array[] {
  let at = 0;
  return like.map((w) => theta.slice(at, (at += w.length)));
}

/** Central differences of loss(theta) in float64, one parameter at a time. */
function numericalGradient(theta: Float64Array, loss: (t: Float64Array) => number): Float64Array {
  const g = new Float64Array(theta.length),
    t = theta.slice();
  for (let i = 0; i < t.length; i++) {
    const v = t[i]!;
    t[i] = v + H;
    const up = loss(t);
    t[i] = v - H;
    const down = loss(t);
    t[i] = v;
    g[i] = (up - down) / (2 * H);
  }
  return g;
}

/** Worst |analytic - numerical| / max(|numerical|, 1e-2 · max |numerical|). */
function gradError(analytic: ArrayLike<number>, numerical: Float64Array): number {
  const scale = Math.max(...Array.from(numerical, Math.abs));
  expect(scale, "a gradient that is all zeros checks nothing").toBeGreaterThan(1e-6);
  let worst = 0;
  numerical.forEach((n, i) => {
    worst = Math.max(worst, Math.abs(analytic[i]! - n) / Math.max(Math.abs(n), 1e-2 * scale));
  });
  return worst;
}

/** Fails when a relu-type pre-activation lies near its kink: there the loss is not differentiable. */
function clearOfKinks(layers: Layer64[]) {
  return (i: number, z: Float64Array) => {
    if (layers[i]!.activation !== "relu" && layers[i]!.activation !== "leaky_relu") return;
    const nearest = Math.min(...Array.from(z, Math.abs));
    if (nearest < KINK_MARGIN)
      throw new Error(`layer ${i} has a pre-activation ${nearest} from the kink: pick other test data`);
  };
}

const ACTIVATIONS: ActivationSpec[] = [
  "relu",
  "leaky_relu",
  { name: "leaky_relu", alpha: 0.05 },
  { name: "leaky_relu", alpha: 1.5 },
  "sigmoid",
  "tanh",
  "linear",
];
const label = (a: ActivationSpec) => (typeof a === "string" ? a : `${a.name}(${a.alpha})`);

describe("Dense layers: parameter and input gradients of L = Σ R ⊙ y", () => {
  const rows = 7;
  // The activation on a single layer (its backward runs on the output), and on the hidden layers of a
  // deeper stack (relu and leaky relu then run fused into the gemm_nt that produces the gradient below).
  const stacks = [
    { name: "single layer", hidden: [] as number[], inputs: 5, outputs: 7, seed: 10, top: true },
    { name: "hidden layers", hidden: [6, 5], inputs: 4, outputs: 3, seed: 20, top: false },
  ];
  for (const stack of stacks) {
    for (const act of ACTIVATIONS) {
      it(`${stack.name}, ${label(act)}`, () => {
        const model = new MLP(e, {
          inputs: stack.inputs,
          hidden: stack.hidden,
          activation: stack.top ? "linear" : act,
          outputs: stack.outputs,
          outputActivation: stack.top ? act : "linear",
        });
        expect(model.layers.some((l) => l.activation.name === resolveActivation(act).name)).toBe(true);
        model.reserve(rows);
        const weights = randomWeights(model, stack.seed),
          x = randomArray(rows * stack.inputs, stack.seed + 99, -1.5, 1.5);
        const R = randomArray(rows * stack.outputs, stack.seed + 98, -1, 1);
        const lay = layers64(model);
        const loss = (t: Float64Array, input: ArrayLike<number> = x) =>
          mlpForward64(unflatten(t, weights), lay, input, rows).reduce((s, y, i) => s + R[i]! * y, 0);
        mlpForward64(weights, lay, x, rows, clearOfKinks(lay));

        const px = put(e, x);
        model.forward(px, rows);
        const dOut = model.output.dz;
        e.arena.write(dOut, R);
        model.backward(px, rows, dOut, true, true);

        const theta = flatten(weights);
        expect(gradError(get(e, model.grads, model.size), numericalGradient(theta, loss)), "parameters").toBeLessThan(
          TOL,
        );
        const dx = numericalGradient(Float64Array.from(x), (xs) => loss(theta, xs));
        expect(gradError(get(e, model.inputGrad, rows * stack.inputs), dx), "input").toBeLessThan(TOL);
      });
    }
  }
});

describe("sigmoid + BCE: d(mean loss)/dz", () => {
  it("matches central differences of the float64 Keras loss, with a split and inside the clip", () => {
    for (const [n, split, yHead, yTail] of [
      [9, 4, 0.9, 0.1],
      [17, 17, 0.9, 0.9],
      [6, 0, 1, 0],
      [5, 2, 0.3, 0.8],
    ] as const) {
      const z = randomArray(n, n + split, -6, 6),
        pz = put(e, z),
        pdz = put(e, new Float32Array(n));
      e.kernels.sigmoid_bce(pdz, pz, n, split, yHead, yTail, 0, e.arena.alloc(2));
      const yh = Math.fround(yHead),
        yt = Math.fround(yTail);
      const numerical = numericalGradient(Float64Array.from(z), (t) => sigmoidBCENaive(t, split, yh, yt).loss);
      expect(gradError(get(e, pdz, n), numerical), `n=${n} split=${split}`).toBeLessThan(TOL);
    }
  });

  it("is zero where the clip holds, as the flat clipped loss is", () => {
    const z = Float32Array.of(-30, -1, 25, 2),
      pz = put(e, z),
      pdz = put(e, new Float32Array(4));
    e.kernels.sigmoid_bce(pdz, pz, 4, 2, 0.9, 0.1, 0, e.arena.alloc(2));
    const numerical = numericalGradient(
      Float64Array.from(z),
      (t) => sigmoidBCENaive(t, 2, Math.fround(0.9), Math.fround(0.1)).loss,
    );
    expect(numerical[0]).toBe(0);
    expect(numerical[2]).toBe(0);
    const dz = get(e, pdz, 4);
    expect([dz[0], dz[2]]).toEqual([0, 0]);
    expect(gradError(dz, numerical)).toBeLessThan(TOL);
  });
});

/** GAN-shaped models: G 4 -> 6 -> 5 -> 2, D 2 -> 6 -> 1; m rows of noise and of real data. */
function gan(gAct: ActivationSpec, dAct: ActivationSpec, seed: number, m: number, dim: number) {
  const G = new Generator(e, { noiseDim: 4, hidden: [6, 5], activation: gAct, dim });
  const D = new Discriminator(e, { dim, hidden: [6], activation: dAct });
  G.reserve(m);
  D.reserve(2 * m);
  const gw = randomWeights(G, seed),
    dw = randomWeights(D, seed + 50);
  const noise = randomArray(m * 4, seed + 7, -1, 1),
    real = randomArray(m * dim, seed + 8, -2, 2);
  const gl = layers64(G),
    dl = layers64(D);
  const fake64 = (t: Float64Array, check = false) =>
    mlpForward64(unflatten(t, gw), gl, noise, m, check ? clearOfKinks(gl) : undefined);
  const logits64 = (x: ArrayLike<number>, rows: number, dWeights: readonly ArrayLike<number>[], check = false) =>
    mlpForward64(dWeights, dl, x, rows, check ? clearOfKinks(dl) : undefined);
  return { G, D, gw, dw, noise, real, fake64, logits64 };
}

// Activation pairs with a data seed and a data dimension each, chosen so no relu-type pre-activation sits
// near its kink. One-dimensional data with a relu D is the reference workload's critic, which runs on fused kernels of
// its own.
const PAIRS: [ActivationSpec, ActivationSpec, number, number][] = [
  ["relu", "relu", 300, 2],
  ["tanh", "leaky_relu", 311, 2],
  ["sigmoid", "tanh", 320, 2],
  ["leaky_relu", "sigmoid", 330, 2],
  ["relu", "relu", 341, 1],
  ["tanh", "leaky_relu", 350, 1],
];

describe("the G loss through the frozen D, with respect to G's weights", () => {
  for (const [gAct, dAct, seed, dim] of PAIRS) {
    it(`G ${label(gAct)}, D ${label(dAct)}, ${dim}-D data`, () => {
      const m = 7,
        y = Math.fround(0.9);
      const { G, D, gw, dw, noise, fake64, logits64 } = gan(gAct, dAct, seed, m, dim);
      const gTheta = flatten(gw);
      const loss64 = (t: Float64Array, check = false) => {
        const z = logits64(fake64(t, check), m, dw, check);
        if (check) expect(Math.max(...Array.from(z, Math.abs)), "logits inside the clip").toBeLessThan(15);
        return sigmoidBCENaive(z, m, y, y).loss;
      };
      const reference = loss64(gTheta, true);

      // The library's G step, as src/train/gan.ts runs it.
      const pNoise = put(e, noise),
        dParams = get(e, D.params, D.size);
      e.arena.f32.fill(-999, D.grads >> 2, (D.grads >> 2) + D.size);
      const fake = G.forward(pNoise, m);
      const loss = meanLoss(e, (at) => e.kernels.sigmoid_bce(D.output.dz, D.forward(fake, m), m, m, y, y, 0, at));
      D.backward(fake, m, D.output.dz, false, true);
      G.backward(pNoise, m, D.inputGrad, true, false);

      expect(Math.abs(loss - reference)).toBeLessThan(1e-5 * reference);
      expect(gradError(get(e, G.grads, G.size), numericalGradient(gTheta, loss64)), "G's gradients").toBeLessThan(TOL);
      // D is frozen: its weights do not move and its gradient buffer is not written.
      expect(Array.from(get(e, D.params, D.size))).toEqual(Array.from(dParams));
      expect(get(e, D.grads, D.size).every((v) => v === -999)).toBe(true);
    });
  }
});

describe("the D loss on concat(real, fake), targets 0.9 / 0.1, with respect to D's weights", () => {
  for (const [gAct, dAct, seed, dim] of PAIRS) {
    it(`G ${label(gAct)}, D ${label(dAct)}, ${dim}-D data`, () => {
      const m = 6,
        yr = Math.fround(0.9),
        yf = Math.fround(0.1);
      const { G, D, gw, dw, noise, real, fake64, logits64 } = gan(gAct, dAct, seed + 100, m, dim);
      expect(D.plan.kernels.forward.includes("critic1d_forward")).toBe(dim === 1 && dAct === "relu");
      // D's input as the trainer builds it: the real rows, then G's f32 output (what D actually sees).
      const pNoise = put(e, noise),
        fake = get(e, G.forward(pNoise, m), m * dim);
      const input = Float32Array.from([...real, ...fake]);
      expect(Math.max(...Array.from(fake64(flatten(gw)), (v, i) => Math.abs(v - fake[i]!)))).toBeLessThan(1e-5);
      const loss64 = (t: Float64Array, check = false) => {
        const z = logits64(input, 2 * m, unflatten(t, dw), check);
        if (check) expect(Math.max(...Array.from(z, Math.abs)), "logits inside the clip").toBeLessThan(15);
        return sigmoidBCENaive(z, m, yr, yf).loss;
      };
      const dTheta = flatten(dw),
        reference = loss64(dTheta, true);

      const pInput = put(e, input);
      const loss = meanLoss(e, (at) =>
        e.kernels.sigmoid_bce(D.output.dz, D.forward(pInput, 2 * m), 2 * m, m, yr, yf, 0, at),
      );
      D.backward(pInput, 2 * m, D.output.dz, true, false);
      expect(Math.abs(loss - reference)).toBeLessThan(1e-5 * reference);
      expect(gradError(get(e, D.grads, D.size), numericalGradient(dTheta, loss64)), "D's gradients").toBeLessThan(TOL);
    });
  }
});

describe("the classifier: softmax cross-entropy through an MLP, with respect to its weights", () => {
  it("MLP 5 -> 6 -> 4 relu -> 3 classes, 7 rows", () => {
    const rows = 7,
      C = 3;
    const model = new MLP(e, { inputs: 5, hidden: [6, 4], activation: "relu", outputs: C, outputActivation: "linear" });
    model.reserve(rows);
    const weights = randomWeights(model, 400),
      x = randomArray(rows * 5, 401, -1.5, 1.5);
    const labels = Int32Array.from({ length: rows }, (_, i) => (i * 2) % C);
    const lay = layers64(model);
    mlpForward64(weights, lay, x, rows, clearOfKinks(lay));
    const loss64 = (t: Float64Array) =>
      softmaxCENaive(mlpForward64(unflatten(t, weights), lay, x, rows), labels, rows, C).loss;
    const pl = e.arena.alloc(rows);
    e.arena.u32.set(labels, pl >> 2);
    const px = put(e, x);
    const loss = e.kernels.softmax_ce(model.output.dz, model.forward(px, rows), pl, rows, C, 0);
    model.backward(px, rows, model.output.dz, true, false);
    const theta = flatten(weights);
    expect(Math.abs(loss - loss64(theta))).toBeLessThan(1e-5 * loss64(theta));
    expect(gradError(get(e, model.grads, model.size), numericalGradient(theta, loss64))).toBeLessThan(TOL);
  });
});

// The conditional GAN's step as src/train/gan.ts runs it (labels joined to G's noise and D's input, D's
// input gradient cut back to the sample's columns): with SGD at learning rate 1 and no momentum each
// update is w - g, so the gradients the step used are (w_before - w_after), to a rounding of |w| ~ 1e-7
// each, far inside TOL at these gradient sizes.
describe("the conditional GAN step: D's and G's gradients with labels joined to their inputs", () => {
  const cases: [ActivationSpec, ActivationSpec, number][] = [
    ["tanh", "tanh", 500],
    ["leaky_relu", "leaky_relu", 520],
  ];
  for (const [gAct, dAct, seed] of cases) {
    it(`G ${label(gAct)}, D ${label(dAct)}`, async () => {
      const m = 5,
        dim = 3,
        z = 4,
        values = [2, 5, 9],
        C = values.length;
      const batchLabels = [9, 2, 5, 5, 2];
      const real = randomArray(m * dim, seed + 1, -1, 1),
        noise = randomArray(m * z, seed + 2, -1, 1);
      const { createGAN } = await import("../src/train/gan.js");
      const gan = await createGAN({
        data: randomArray(6 * dim, seed, -1, 1),
        dim,
        labels: [2, 5, 9, 2, 5, 9],
        noiseDim: z,
        gHidden: [6],
        dHidden: [5],
        gActivation: gAct,
        dActivation: dAct,
        gOutputActivation: "tanh",
        gOptimizer: { type: "sgd", learningRate: 1 },
        dOptimizer: { type: "sgd", learningRate: 1 },
        batches: 1,
      });
      const G = gan.generator,
        D = gan.discriminator;
      expect([G.inputs, D.inputs]).toEqual([z + C, dim + C]);
      const gw = randomWeights(G, seed + 10),
        dw = randomWeights(D, seed + 20);
      const oneHot = (v: number) => values.map((u) => (u === v ? 1 : 0));
      const gIn = Float32Array.from(
        Array.from({ length: m }, (_, i) => [...noise.subarray(i * z, (i + 1) * z), ...oneHot(batchLabels[i]!)]).flat(),
      );
      const gl = layers64(G),
        dl = layers64(D);
      const fakeOf = (t: Float64Array, check = false) =>
        mlpForward64(unflatten(t, gw), gl, gIn, m, check ? clearOfKinks(gl) : undefined);
      // D's input: [x | y] for the real rows, then [G(z | y) | y] for the fakes (G's f32 output, as D sees it).
      const f32Fake = Float32Array.from(fakeOf(flatten(gw), true));
      const rows = (xs: ArrayLike<number>) =>
        Array.from({ length: m }, (_, i) => [
          ...Array.from(xs).slice(i * dim, (i + 1) * dim),
          ...oneHot(batchLabels[i]!),
        ]).flat();
      const dInput = Float32Array.from([...rows(real), ...rows(f32Fake)]);
      const dLoss64 = (t: Float64Array, check = false) =>
        sigmoidBCENaive(
          mlpForward64(unflatten(t, dw), dl, dInput, 2 * m, check ? clearOfKinks(dl) : undefined),
          m,
          Math.fround(0.9),
          Math.fround(0.1),
        ).loss;
      const dTheta = flatten(dw),
        dNumerical = numericalGradient(dTheta, dLoss64);
      dLoss64(dTheta, true);

      const losses = gan.trainStep({ real, noise, labels: batchLabels });
      const dAfter = flatten(D.getWeights()),
        gAfter = flatten(G.getWeights());
      expect(Math.abs(losses.dLoss - dLoss64(dTheta))).toBeLessThan(1e-5 * losses.dLoss);
      expect(
        gradError(
          dTheta.map((v, i) => v - dAfter[i]!),
          dNumerical,
        ),
        "D's gradients",
      ).toBeLessThan(TOL);

      // G's loss through the updated D (its f32 weights after the step), targets 0.9.
      const dNow = unflatten(dAfter, dw);
      const gLoss64 = (t: Float64Array) =>
        sigmoidBCENaive(mlpForward64(dNow, dl, rows(fakeOf(t)), m), m, Math.fround(0.9), Math.fround(0.9)).loss;
      const gTheta = flatten(gw);
      mlpForward64(dNow, dl, rows(fakeOf(gTheta)), m, clearOfKinks(dl));
      expect(Math.abs(losses.gLoss - gLoss64(gTheta))).toBeLessThan(1e-5 * losses.gLoss);
      expect(
        gradError(
          gTheta.map((v, i) => v - gAfter[i]!),
          numericalGradient(gTheta, gLoss64),
        ),
        "G's gradients",
      ).toBeLessThan(TOL);
    });
  }
});
