// Each activation kernel, forward and backward, against the float64 reference, on lengths that exercise
// the SIMD body and every scalar tail (1, 3, 4, 5, 17, 333). Inputs include the points where the
// definitions branch (±0) and saturate (large |x|).
// Tolerances: relu and leaky relu are exact (a select, or one f32 multiply the reference rounds the same
// way). sigmoid and tanh go through an f32 exp / tanh: a few ulps, so relative 4·2^-23 with an absolute
// floor of 1e-37 for results that underflow. Their backward is dy·y(1-y) or dy·(1-y²) in f32 on the same
// y: three roundings of relative 2^-24 each, 1-y being exact for y in [0.5, 1] (Sterbenz); tanh's y² is
// rounded before 1 - y² cancels, which adds up to 2^-24·|dy|·y² in absolute terms (as in tfjs, which
// computes the same 1 - square(y)).
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/wasm/load.js";
import { engine, get, put, randomArray } from "./helpers.js";
import { activationBackwardNaive, activationForwardNaive, type ActivationName } from "./reference.js";

const LENGTHS = [1, 3, 4, 5, 17, 333];
const GUARD = 4;
const GUARD_VALUE = 777.25;
const ALPHA = Math.fround(0.3);
const SPECIAL = [0, -0, 1e-30, -1e-30, 50, -50, 100, -100, 1, -1];

let e: Engine;
beforeAll(async () => {
  e = await engine();
});

type Name = Exclude<ActivationName, "linear">;
const NAMES: Name[] = ["relu", "leaky_relu", "sigmoid", "tanh"];

/** n inputs in [-6, 6] with the special points spread through them (so they land in body and tail). */
function inputs(n: number, seed: number): Float32Array {
  const x = randomArray(n, seed, -6, 6);
  SPECIAL.forEach((v, i) => {
    if (i * 7 < n) x[(i * 7 + seed) % n] = v;
  });
  return x;
}

/** A buffer framed by guard values; returns the pointer to its first element. */
function framed(values: ArrayLike<number>): number {
  const base = put(e, [...Array(GUARD).fill(GUARD_VALUE), ...Array.from(values), ...Array(GUARD).fill(GUARD_VALUE)]);
  return base + GUARD * 4;
}

function guardsIntact(ptr: number, n: number): boolean {
  const before = get(e, ptr - GUARD * 4, GUARD),
    after = get(e, ptr + n * 4, GUARD);
  return [...before, ...after].every((v) => v === GUARD_VALUE);
}

function forward(name: Name, y: number, x: number, n: number): void {
  const k = e.kernels;
  if (name === "relu") k.relu_forward(y, x, n);
  else if (name === "leaky_relu") k.leaky_relu_forward(y, x, n, ALPHA);
  else if (name === "sigmoid") k.sigmoid_forward(y, x, n);
  else k.tanh_forward(y, x, n);
}

// relu / leaky relu take the pre-activation x; sigmoid / tanh the output y (`from`).
function backward(name: Name, dx: number, dy: number, from: number, n: number): void {
  const k = e.kernels;
  if (name === "relu") k.relu_backward(dx, dy, from, n);
  else if (name === "leaky_relu") k.leaky_relu_backward(dx, dy, from, n, ALPHA);
  else if (name === "sigmoid") k.sigmoid_backward(dx, dy, from, n);
  else k.tanh_backward(dx, dy, from, n);
}

const exact = (name: Name) => name === "relu" || name === "leaky_relu";

function close(got: number, ref: number, rel: number, abs: number): boolean {
  return Math.abs(got - ref) <= rel * Math.abs(ref) + abs;
}

describe.each(NAMES)("%s", (name) => {
  it("forward matches the reference", () => {
    for (const n of LENGTHS) {
      const x = inputs(n, n),
        px = framed(x),
        py = framed(new Float32Array(n).fill(NaN));
      forward(name, py, px, n);
      const y = get(e, py, n);
      expect(guardsIntact(py, n), `guards, n=${n}`).toBe(true);
      expect(Array.from(get(e, px, n)), "x is left alone").toEqual(Array.from(x));
      x.forEach((xi, i) => {
        const ref = activationForwardNaive(name, xi, ALPHA);
        const ok = exact(name) ? y[i] === Math.fround(ref) : close(y[i]!, ref, 4 * 2 ** -23, 1e-37);
        if (!ok) expect.fail(`${name}(${xi}) = ${y[i]}, reference ${ref} (n=${n}, i=${i})`);
      });
    }
  });

  it("backward matches the reference, out of place and in place (dx == dy)", () => {
    for (const n of LENGTHS) {
      const x = inputs(n, 100 + n),
        dy = randomArray(n, 200 + n, -2, 2);
      // sigmoid and tanh read the forward's output: take it from the kernel, the same y the model keeps.
      const px = framed(x),
        py = framed(new Float32Array(n));
      forward(name, py, px, n);
      const from = name === "relu" || name === "leaky_relu" ? px : py,
        fromValues = get(e, from, n);
      const y = get(e, py, n);
      const ref = Array.from(dy, (d, i) => activationBackwardNaive(name, d, x[i]!, y[i]!, ALPHA));
      const agrees = (got: Float32Array) =>
        got.every((g, i) =>
          exact(name)
            ? g === Math.fround(ref[i]!)
            : close(g, ref[i]!, 3 * 2 ** -24, name === "tanh" ? 2 ** -24 * Math.abs(dy[i]!) * y[i]! * y[i]! : 0),
        );

      const pdy = framed(dy),
        pdx = framed(new Float32Array(n).fill(NaN));
      backward(name, pdx, pdy, from, n);
      expect(agrees(get(e, pdx, n)), `out of place, n=${n}`).toBe(true);
      expect(guardsIntact(pdx, n)).toBe(true);
      expect(Array.from(get(e, pdy, n)), "dy is left alone").toEqual(Array.from(dy));
      expect(Array.from(get(e, from, n)), "the input it reads is left alone").toEqual(Array.from(fromValues));

      const inPlace = framed(dy);
      backward(name, inPlace, inPlace, from, n);
      expect(agrees(get(e, inPlace, n)), `in place, n=${n}`).toBe(true);
      expect(guardsIntact(inPlace, n)).toBe(true);
    }
  });
});

describe("conventions at the branch points", () => {
  it("relu'(0) = 0 and leaky_relu'(0) = alpha, as tfjs's step(x) and where(x > 0, ...)", () => {
    const x = framed([0, -0, 0, -0, 0]),
      dy = framed([1, 1, 1, 1, 1]),
      dx = framed(new Float32Array(5));
    e.kernels.relu_backward(dx, dy, x, 5);
    expect(Array.from(get(e, dx, 5))).toEqual([0, 0, 0, 0, 0]);
    e.kernels.leaky_relu_backward(dx, dy, x, 5, ALPHA);
    expect(Array.from(get(e, dx, 5))).toEqual(Array(5).fill(ALPHA));
  });

  it("saturating inputs give the limits, never NaN", () => {
    const x = framed([-1e4, -100, 100, 1e4, -Infinity]),
      y = framed(new Float32Array(5));
    e.kernels.sigmoid_forward(y, x, 5);
    expect(Array.from(get(e, y, 5))).toEqual([0, expect.closeTo(0, 30), 1, 1, 0]);
    e.kernels.tanh_forward(y, x, 5);
    expect(Array.from(get(e, y, 5))).toEqual([-1, -1, 1, 1, -1]);
  });
});
