// Optimizer kernels and the host classes of src/optim against references that mirror tfjs op by op in
// float32 (test/reference.ts). The kernels perform the same IEEE float32 operations in the same order,
// each correctly rounded (add, mul, div, sqrt), so they must agree to the bit; the references themselves
// are first checked against tfjs's own optimizers.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/wasm/load.js";
import { Adam } from "../src/optim/adam.js";
import { RMSprop } from "../src/optim/rmsprop.js";
import { SGD } from "../src/optim/sgd.js";
import type { Optimizer } from "../src/optim/optimizer.js";
import { engine, get, put, randomArray } from "./helpers.js";
import { AdamNaive, MomentumNaive, RMSpropNaive } from "./reference.js";

const LENGTHS = [1, 3, 4, 5, 97, 577];
const STEPS = 6;

let e: Engine;
beforeAll(async () => {
  e = await engine();
  await tf.setBackend("cpu");
});

/** Gradients for step s: varied in sign and scale (1e-4 .. 1), with exact zeros mixed in. */
function gradient(n: number, s: number): Float32Array {
  const g = randomArray(n, 1000 * s + n, -1, 1);
  return g.map((v, i) => (i % 11 === 5 ? 0 : v * 10 ** -(i % 5)));
}

const bits = (a: ArrayLike<number>) => Array.from(a, (v) => (Object.is(v, -0) ? "-0" : String(v)));

interface Case {
  name: string;
  spec: Record<string, number>;
}

// The references, with the hyperparameters used below, against tfjs on the cpu backend.
describe("the references are tfjs's optimizers", () => {
  const cases: [string, () => tf.Optimizer, (n: number) => { step(w: Float32Array, g: Float32Array): void }][] = [
    ["adam", () => tf.train.adam(0.01, 0.8, 0.99, 1e-6), (n) => new AdamNaive(n, 0.01, 0.8, 0.99, 1e-6)],
    ["adam (defaults)", () => tf.train.adam(0.001, 0.9, 0.999, 1e-7), (n) => new AdamNaive(n, 0.001)],
    ["rmsprop", () => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7), (n) => new RMSpropNaive(n, 0.01, 0.9, 0.5, 1e-7)],
    ["momentum", () => tf.train.momentum(0.05, 0.9), (n) => new MomentumNaive(n, 0.05, 0.9)],
  ];
  for (const [name, make, naive] of cases) {
    it(name, () => {
      const n = 97,
        w0 = randomArray(n, 3);
      const variable = tf.variable(tf.tensor1d(w0), true, `w_${name.replace(/\W/g, "")}`);
      const opt = make(),
        ref = naive(n),
        w = w0.slice();
      for (let s = 0; s < STEPS; s++) {
        const g = gradient(n, s);
        opt.applyGradients({ [variable.name]: tf.tensor1d(g) });
        ref.step(w, g);
        expect(bits(w), `step ${s + 1}`).toEqual(bits(variable.dataSync()));
      }
      opt.dispose();
      variable.dispose();
    });
  }
});

describe("kernels against the references, bit for bit", () => {
  const adamCases: Case[] = [
    { name: "defaults", spec: { lr: 0.001, b1: 0.9, b2: 0.999, eps: 1e-7 } },
    { name: "other hyperparameters", spec: { lr: 0.01, b1: 0.8, b2: 0.99, eps: 1e-6 } },
  ];
  for (const { name, spec } of adamCases) {
    it(`adam_update, ${name}`, () => {
      for (const n of LENGTHS) {
        const ref = new AdamNaive(n, spec.lr!, spec.b1!, spec.b2!, spec.eps!);
        const w = randomArray(n, n),
          pw = put(e, w),
          pg = put(e, new Float32Array(n));
        const pm = put(e, new Float32Array(n)),
          pv = put(e, new Float32Array(n));
        // The kernel advances beta1^t, beta2^t in memory (1, 1 before the first step), as the reference does.
        const pows = put(e, new Float32Array([1, 1]));
        let acc1 = 1,
          acc2 = 1;
        for (let s = 0; s < STEPS; s++) {
          const g = gradient(n, s);
          e.arena.write(pg, g);
          e.kernels.adam_update(pw, pg, pm, pv, n, spec.lr!, spec.b1!, spec.b2!, spec.eps!, pows);
          acc1 = Math.fround(acc1 * Math.fround(spec.b1!));
          acc2 = Math.fround(acc2 * Math.fround(spec.b2!));
          expect(Array.from(get(e, pows, 2)), `beta powers, step ${s + 1}`).toEqual([acc1, acc2]);
          ref.step(w, g);
          expect(bits(get(e, pm, n)), `m, n=${n}, step ${s + 1}`).toEqual(bits(ref.m));
          expect(bits(get(e, pv, n)), `v, n=${n}, step ${s + 1}`).toEqual(bits(ref.v));
          expect(bits(get(e, pw, n)), `w, n=${n}, step ${s + 1}`).toEqual(bits(w));
          expect(bits(get(e, pg, n)), "g is left alone").toEqual(bits(g));
        }
      }
    });
  }

  for (const momentum of [0, 0.5]) {
    it(`rmsprop_update, momentum ${momentum}`, () => {
      for (const n of LENGTHS) {
        const ref = new RMSpropNaive(n, 0.01, 0.9, momentum, 1e-7);
        const w = randomArray(n, n),
          pw = put(e, w),
          pg = put(e, new Float32Array(n));
        const pms = put(e, new Float32Array(n)),
          pmom = put(e, new Float32Array(n));
        for (let s = 0; s < STEPS; s++) {
          const g = gradient(n, s);
          e.arena.write(pg, g);
          e.kernels.rmsprop_update(pw, pg, pms, pmom, n, 0.01, 0.9, momentum, 1e-7);
          ref.step(w, g);
          expect(bits(get(e, pms, n)), `ms, n=${n}, step ${s + 1}`).toEqual(bits(ref.ms));
          expect(bits(get(e, pmom, n)), `mom, n=${n}, step ${s + 1}`).toEqual(bits(ref.mom));
          expect(bits(get(e, pw, n)), `w, n=${n}, step ${s + 1}`).toEqual(bits(w));
        }
      }
    });
  }

  for (const momentum of [0, 0.9]) {
    it(`sgd_update, momentum ${momentum}`, () => {
      for (const n of LENGTHS) {
        const ref = new MomentumNaive(n, 0.05, momentum);
        const w = randomArray(n, n),
          pw = put(e, w),
          pg = put(e, new Float32Array(n)),
          pacc = put(e, new Float32Array(n));
        for (let s = 0; s < STEPS; s++) {
          const g = gradient(n, s);
          e.arena.write(pg, g);
          e.kernels.sgd_update(pw, pg, pacc, n, 0.05, momentum);
          ref.step(w, g);
          expect(bits(get(e, pacc, n)), `acc, n=${n}, step ${s + 1}`).toEqual(bits(ref.acc));
          expect(bits(get(e, pw, n)), `w, n=${n}, step ${s + 1}`).toEqual(bits(w));
        }
      }
    });
  }
});

describe("host optimizer classes", () => {
  type Make = (params: number, grads: number, size: number) => Optimizer;
  const makers: [string, Make, (n: number) => { step(w: Float32Array, g: Float32Array): void }][] = [
    [
      "Adam",
      (p, g, n) => new Adam(e, { type: "adam", learningRate: 0.002, beta1: 0.85 }, p, g, n),
      (n) => new AdamNaive(n, 0.002, 0.85),
    ],
    [
      "RMSprop",
      (p, g, n) => new RMSprop(e, { type: "rmsprop", learningRate: 0.01, momentum: 0.3 }, p, g, n),
      (n) => new RMSpropNaive(n, 0.01, 0.9, 0.3),
    ],
    [
      "SGD",
      (p, g, n) => new SGD(e, { type: "sgd", learningRate: 0.05, momentum: 0.9 }, p, g, n),
      (n) => new MomentumNaive(n, 0.05, 0.9),
    ],
  ];

  for (const [name, make, naive] of makers) {
    it(`${name}: steps follow the reference, counting t`, () => {
      const n = 97,
        w = randomArray(n, 11),
        pw = put(e, w),
        pg = put(e, new Float32Array(n));
      const opt = make(pw, pg, n),
        ref = naive(n);
      for (let s = 0; s < 12; s++) {
        const g = gradient(n, s);
        e.arena.write(pg, g);
        opt.step();
        ref.step(w, g);
        expect(bits(get(e, pw, n)), `step ${s + 1}`).toEqual(bits(w));
      }
      expect(opt.getState().step).toBe(12);
    });

    it(`${name}: getState / setState restores exactly the same subsequent updates`, () => {
      const n = 37,
        pw = put(e, randomArray(n, 21)),
        pg = put(e, new Float32Array(n));
      const first = make(pw, pg, n);
      for (let s = 0; s < 5; s++) {
        e.arena.write(pg, gradient(n, s));
        first.step();
      }
      const saved = first.getState(),
        savedW = get(e, pw, n);

      const continued: string[][] = [];
      for (let s = 5; s < 9; s++) {
        e.arena.write(pg, gradient(n, s));
        first.step();
        continued.push(bits(get(e, pw, n)));
      }

      // A fresh optimizer over a fresh copy of the weights, given the saved state, makes the same updates.
      const pw2 = put(e, savedW),
        pg2 = put(e, new Float32Array(n)),
        second = make(pw2, pg2, n);
      second.setState(saved);
      expect(second.getState().step).toBe(5);
      for (let s = 5; s < 9; s++) {
        e.arena.write(pg2, gradient(n, s));
        second.step();
        expect(bits(get(e, pw2, n)), `step ${s + 1} after restore`).toEqual(continued[s - 5]);
      }

      // Without the state (fresh slots, t = 0) the updates differ: the round trip carries information.
      const pw3 = put(e, savedW),
        pg3 = put(e, gradient(n, 5)),
        third = make(pw3, pg3, n);
      third.step();
      expect(bits(get(e, pw3, n))).not.toEqual(continued[0]);
    });
  }

  it("Adam's step count alone changes the update (bias correction uses t)", () => {
    const n = 8,
      pw = put(e, randomArray(n, 1)),
      pg = put(e, gradient(n, 1));
    const a = new Adam(e, { type: "adam", learningRate: 0.01 }, pw, pg, n);
    a.step();
    const state = a.getState(),
      w1 = get(e, pw, n);
    const pwB = put(e, w1),
      b = new Adam(e, { type: "adam", learningRate: 0.01 }, pwB, pg, n);
    b.setState({ step: state.step + 3, slots: state.slots });
    a.step();
    b.step();
    expect(bits(get(e, pwB, n))).not.toEqual(bits(get(e, pw, n)));
  });
});
