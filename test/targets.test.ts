import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/wasm/load.js";
import { Rng, Stream } from "../src/data/rng.js";
import {
  drawTarget,
  formatTarget,
  parseTarget,
  sampleTarget,
  targetDim,
  targetModes,
  validateTarget,
  TARGET_KINDS,
  TARGET_SYNTAX,
  TARGETS,
  type TargetKind,
  type TargetSpec,
} from "../src/data/targets.js";
import { OptionError } from "../src/errors.js";
import { modeCoverage } from "../src/metrics/modes.js";
import { engine, get } from "./helpers.js";

let e: Engine;
beforeAll(async () => {
  e = await engine();
});

const N = 100_000;

function stats(x: ArrayLike<number>): { n: number; mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  const mean = s / x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i]! - mean) ** 2;
  return { n: x.length, mean, variance: v / x.length };
}

// For a normal sample of size n: sd of the mean sigma / sqrt(n), of the variance sigma^2 sqrt(2 / n).
function expectNormalLike(x: ArrayLike<number>, mean: number, std: number, what: string): void {
  const s = stats(x);
  expect(Math.abs(s.mean - mean), `${what} mean`).toBeLessThan((5 * std) / Math.sqrt(s.n));
  expect(Math.abs(s.variance - std * std), `${what} variance`).toBeLessThan(5 * std * std * Math.sqrt(2 / s.n));
}

// Rows of [n, dim] samples grouped by their nearest centre (the modes here are many stds apart).
function byMode(x: Float32Array, dim: number, centres: ArrayLike<number>): number[][] {
  const k = centres.length / dim;
  const rows = Array.from({ length: k }, () => [] as number[]);
  for (let r = 0; r < x.length / dim; r++) {
    let best = 0,
      bestD = Infinity;
    for (let m = 0; m < k; m++) {
      let d2 = 0;
      for (let d = 0; d < dim; d++) d2 += (x[r * dim + d]! - centres[m * dim + d]!) ** 2;
      if (d2 < bestD) {
        bestD = d2;
        best = m;
      }
    }
    rows[best]!.push(r);
  }
  return rows;
}

function draw(spec: TargetSpec, count = N, seed = 11): Float32Array {
  return drawTarget(spec, e, new Rng(e, seed, Stream.data), count);
}

describe("targets: sampling", () => {
  it("the reference workload's N(0, 1) draws bit for bit what the library draws today", () => {
    const count = 1000;
    const today = e.arena.alloc(count);
    new Rng(e, 1, Stream.data).normal(today, count, 0, 1);
    const viaTarget = e.arena.alloc(count);
    sampleTarget({ kind: "normal" }, e, new Rng(e, 1, Stream.data), viaTarget, count);
    const parsed = draw(parseTarget("normal:0,1"), count, 1);
    const want = new Uint32Array(get(e, today, count).buffer);
    expect(new Uint32Array(get(e, viaTarget, count).buffer)).toEqual(want);
    expect(new Uint32Array(parsed.buffer)).toEqual(want);
  });

  it("normal(3, 0.5): mean and variance within 5 standard errors", () => {
    const x = draw({ kind: "normal", mean: 3, std: 0.5 });
    expectNormalLike(x, 3, 0.5, "normal");
  });

  it("uniform(-1, 3): inside [a, b), mean (a + b) / 2 and variance (b - a)^2 / 12", () => {
    const x = draw({ kind: "uniform", a: -1, b: 3 });
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...x)).toBeLessThan(3);
    const s = stats(x);
    // U(0, 1): var 1/12, var of (u - 1/2)^2 is 1/80 - 1/144; scaled by (b - a) = 4.
    expect(Math.abs(s.mean - 1)).toBeLessThan(5 * 4 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(s.variance - 16 / 12)).toBeLessThan(5 * 16 * Math.sqrt((1 / 80 - 1 / 144) / N));
  });

  // Every midpoint between means lies 5 or more stds from each component: grouping by the nearest mean
  // misplaces a sample with probability below 1e-6.
  it("mixture: each component gets its weight's share, and is normal with its mean and std", () => {
    const spec = { kind: "mixture", means: [-10, 0, 10], stds: [0.3, 1, 0.5], weights: [1, 2, 1] } as const;
    const x = draw(spec);
    const groups = byMode(x, 1, spec.means);
    const shares = [0.25, 0.5, 0.25];
    groups.forEach((rows, k) => {
      const w = shares[k]!;
      // Binomial share: sd sqrt(w (1 - w) / N).
      expect(Math.abs(rows.length / N - w), `share ${k}`).toBeLessThan(5 * Math.sqrt((w * (1 - w)) / N));
      expectNormalLike(
        rows.map((r) => x[r]!),
        spec.means[k]!,
        spec.stds[k]!,
        `component ${k}`,
      );
    });
  });

  it("mixture:-2,2: two equal modes of std 0.5, so mean 0 and variance 0.25 + 4", () => {
    const x = draw(parseTarget("mixture:-2,2"));
    const s = stats(x);
    // Var of the mixture 4.25; its fourth central moment: E[(m + 0.5 z)^4] = 16 + 6 * 4 * 0.25 + 3 * 0.0625.
    const mu4 = 16 + 6 + 0.1875;
    expect(Math.abs(s.mean)).toBeLessThan(5 * Math.sqrt(4.25 / N));
    expect(Math.abs(s.variance - 4.25)).toBeLessThan(5 * Math.sqrt((mu4 - 4.25 ** 2) / N));
  });

  it("ring: 8 equal modes on the circle of radius 2, each an isotropic normal of std 0.02", () => {
    const modes = targetModes({ kind: "ring" })!;
    expect(modes.dim).toBe(2);
    // Hand values: the first centre at (2, 0), the third at (0, 2), the fifth at (-2, 0).
    expect(modes.centres[0]).toBe(2);
    expect(modes.centres[1]).toBe(0);
    expect(modes.centres[4]).toBeCloseTo(0, 12);
    expect(modes.centres[5]).toBeCloseTo(2, 12);
    expect(modes.centres[8]).toBeCloseTo(-2, 12);
    expect(Array.from(modes.stds)).toEqual(new Array(8).fill(0.02));
    const x = draw({ kind: "ring" });
    expect(x.length).toBe(2 * N);
    const groups = byMode(x, 2, modes.centres);
    groups.forEach((rows, k) => {
      expect(Math.abs(rows.length / N - 1 / 8), `share ${k}`).toBeLessThan(5 * Math.sqrt(((1 / 8) * (7 / 8)) / N));
      for (const d of [0, 1])
        expectNormalLike(
          rows.map((r) => x[2 * r + d]!),
          modes.centres[2 * k + d]!,
          0.02,
          `mode ${k} axis ${d}`,
        );
    });
  });

  it("grid: 25 modes at {-4, -2, 0, 2, 4}^2 with std 0.05, counts uniform by a chi-square test", () => {
    const modes = targetModes(parseTarget("grid"))!;
    const xs = new Set<number>();
    for (let m = 0; m < 25; m++) {
      xs.add(modes.centres[2 * m]!);
      xs.add(modes.centres[2 * m + 1]!);
    }
    expect([...xs].sort((a, b) => a - b)).toEqual([-4, -2, 0, 2, 4]);
    const x = draw({ kind: "grid" });
    const groups = byMode(x, 2, modes.centres);
    const expected = N / 25;
    const chi2 = groups.reduce((s, rows) => s + (rows.length - expected) ** 2 / expected, 0);
    // 24 degrees of freedom: mean 24, sd sqrt(48).
    expect(chi2).toBeLessThan(24 + 5 * Math.sqrt(48));
    const first = groups[0]!;
    for (const d of [0, 1])
      expectNormalLike(
        first.map((r) => x[2 * r + d]!),
        -4,
        0.05,
        `corner axis ${d}`,
      );
  });

  it("the ring's and grid's own samples capture every mode, high quality with probability 1 - exp(-9/2)", () => {
    // |offset| / std of an isotropic 2-D normal is Rayleigh: P(within 3 std) = 1 - exp(-9 / 2).
    const p = 1 - Math.exp(-4.5);
    for (const spec of [parseTarget("ring"), parseTarget("grid")]) {
      const modes = targetModes(spec)!;
      const c = modeCoverage(draw(spec), 2, modes);
      expect(c.modesCaptured, spec.kind).toBe(c.modes);
      expect(Math.abs(c.highQualityShare - p), spec.kind).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
    }
  });

  it("is deterministic per seed and differs between seeds", () => {
    for (const spec of ["normal:2,3", "uniform", "mixture:-2,2", "ring", "grid"].map((t) => parseTarget(t))) {
      const a = draw(spec, 501, 5),
        b = draw(spec, 501, 5),
        c = draw(spec, 501, 6);
      expect(Array.from(a), spec.kind).toEqual(Array.from(b));
      expect(Array.from(a), spec.kind).not.toEqual(Array.from(c));
    }
  });

  it("knows each target's dimension and modes", () => {
    expect(targetDim({ kind: "normal" })).toBe(1);
    expect(targetDim({ kind: "mixture", means: [0] })).toBe(1);
    expect(targetDim({ kind: "ring" })).toBe(2);
    expect(targetDim({ kind: "grid" })).toBe(2);
    expect(targetModes({ kind: "uniform" })).toBeNull();
    expect(targetModes({ kind: "normal", mean: 1, std: 2 })).toEqual({
      dim: 1,
      centres: Float64Array.of(1),
      stds: Float64Array.of(2),
    });
    const mix = targetModes(parseTarget("mixture:-2~0.1,2"))!;
    expect(Array.from(mix.centres)).toEqual([-2, 2]);
    expect(Array.from(mix.stds)).toEqual([0.1, 0.5]);
    expect(targetModes({ kind: "grid", size: 3, spacing: 1 })!.centres.length).toBe(18);
  });
});

describe("targets: parsing and validation", () => {
  it.each([
    ["normal", { kind: "normal", mean: 0, std: 1 }],
    ["normal:0,1", { kind: "normal", mean: 0, std: 1 }],
    [" normal: 3 , 0.5 ", { kind: "normal", mean: 3, std: 0.5 }],
    ["normal:-1", { kind: "normal", mean: -1, std: 1 }],
    ["uniform", { kind: "uniform", a: -1, b: 1 }],
    ["uniform:0,2.5", { kind: "uniform", a: 0, b: 2.5 }],
    ["mixture:-2,2", { kind: "mixture", means: [-2, 2], stds: [0.5, 0.5], weights: [1, 1] }],
    ["mixture:-2@0.5,2@0.5", { kind: "mixture", means: [-2, 2], stds: [0.5, 0.5], weights: [0.5, 0.5] }],
    ["mixture:-3~0.2@1,0~1@3", { kind: "mixture", means: [-3, 0], stds: [0.2, 1], weights: [1, 3] }],
    ["ring", { kind: "ring", modes: 8, radius: 2, std: 0.02 }],
    ["ring:8,2,0.02", { kind: "ring", modes: 8, radius: 2, std: 0.02 }],
    ["ring:16", { kind: "ring", modes: 16, radius: 2, std: 0.02 }],
    ["grid", { kind: "grid", size: 5, spacing: 2, std: 0.05 }],
    ["grid:5,2,0.05", { kind: "grid", size: 5, spacing: 2, std: 0.05 }],
    ["grid:3,1.5,1e-1", { kind: "grid", size: 3, spacing: 1.5, std: 0.1 }],
  ])("parses %j", (text, want) => {
    const t = parseTarget(text);
    expect(t).toEqual(want);
    expect(parseTarget(formatTarget(t))).toEqual(t);
  });

  it.each([
    ["gauss", "target", /must be normal\[:MEAN,STD\], uniform/],
    ["", "target", /must be normal/],
    ["normal:0,1,2", "target", /normal takes at most 2 parameters: normal:MEAN,STD/],
    ["normal:zero,1", "target.mean", /invalid target.mean: "zero" \(must be a number\)/],
    ["normal:0,-1", "target.std", /invalid target.std: -1 \(must be a number > 0\)/],
    ["normal:0,", "target.std", /target.std: "" \(must be a number\)/],
    ["uniform:1,1", "target.b", /invalid target.b: 1 \(must be greater than a \(1\)\)/],
    ["mixture", "target", /a mixture needs its means/],
    ["mixture:-2,x", "target.means[1]", /target.means\[1\]: "x"/],
    ["mixture:-2~0,2", "target.stds[0]", /target.stds\[0\]: 0 \(must be a number > 0\)/],
    ["mixture:-2@1,2", "target.weights", /give a @WEIGHT to every component or to none/],
    ["mixture:-2@-1,2@1", "target.weights[0]", /target.weights\[0\]: -1 \(must be a number >= 0\)/],
    ["mixture:-2@0,2@0", "target.weights", /must have a positive sum/],
    ["mixture:-2@1@2", "target.components[0]", /must be MEAN\[~STD\]\[@WEIGHT\]/],
    ["ring:8.5", "target.modes", /target.modes: 8.5 \(must be a whole number in \[1, 10000\]\)/],
    ["ring:8,0", "target.radius", /target.radius: 0 \(must be a number > 0\)/],
    ["grid:0", "target.size", /target.size: 0 \(must be a whole number in \[1, 100\]\)/],
    ["grid:5,2,Infinity", "target.std", /target.std: "Infinity" \(must be a number\)/],
  ])("rejects %j naming %s, the value and what is allowed", (text, option, message) => {
    let error: unknown;
    try {
      parseTarget(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OptionError);
    expect((error as OptionError).option).toBe(option);
    expect((error as OptionError).message).toMatch(message);
  });

  it("validates specs given as objects, naming the field", () => {
    expect(validateTarget({ kind: "normal", mean: 2 })).toEqual({ kind: "normal", mean: 2, std: 1 });
    expect(() => validateTarget({ kind: "cauchy" })).toThrow(
      /invalid target.kind: "cauchy" \(must be one of normal, uniform, mixture, ring, grid\)/,
    );
    expect(() => validateTarget(null)).toThrow(OptionError);
    expect(() => validateTarget({ kind: "normal", std: NaN })).toThrow(/target.std/);
    expect(() => validateTarget({ kind: "mixture", means: [] })).toThrow(
      /target.means: \[\] \(must be a non-empty list of numbers\)/,
    );
    expect(() => validateTarget({ kind: "mixture", means: [0, 1], stds: [1] })).toThrow(
      /target.stds: \[1\] \(must be a list of 2 numbers, one per mean\)/,
    );
    expect(() => validateTarget({ kind: "ring", std: -0.1 }, "data")).toThrow(/invalid data.std: -0.1/);
    expect(() => sampleTarget({ kind: "grid", spacing: 0 }, e, new Rng(e, 1, Stream.data), 0, 1)).toThrow(
      /target.spacing/,
    );
  });
});

describe("every target kind, through its record", () => {
  // One spec per kind, typed by the kinds: a new kind must add its own here (and its statistics above).
  const EXAMPLES: Record<TargetKind, TargetSpec> = {
    normal: { kind: "normal", mean: 1, std: 2 },
    uniform: { kind: "uniform", a: -3, b: 5 },
    mixture: { kind: "mixture", means: [-2, 2], weights: [1, 3] },
    ring: { kind: "ring", modes: 6 },
    grid: { kind: "grid", size: 3 },
  };

  it.each(TARGET_KINDS.map((k) => [k] as const))("%s: text round trip, dimension, samples and modes agree", (kind) => {
    expect(Object.keys(EXAMPLES).sort()).toEqual([...TARGET_KINDS].sort());
    const t = validateTarget(EXAMPLES[kind]);
    expect(parseTarget(formatTarget(t))).toEqual(t);
    expect(formatTarget(t).startsWith(`${kind}:`)).toBe(true);
    expect(TARGET_SYNTAX).toContain(TARGETS[kind].syntax);
    const dim = targetDim(t);
    const x = drawTarget(t, e, new Rng(e, 5, Stream.data), 2000);
    expect(x.length).toBe(2000 * dim);
    expect(x.every(Number.isFinite)).toBe(true);
    const modes = targetModes(t);
    if (modes) {
      expect(modes.dim).toBe(dim);
      // Samples of the target fall on its own modes.
      expect(modeCoverage(x, dim, modes).modesCaptured).toBe(modes.centres.length / dim);
    }
    // Defaults: the kind with every omitted parameter filled in validates (a mixture needs its means).
    if (kind !== "mixture") expect(validateTarget({ kind })).toMatchObject(TARGETS[kind].defaults);
  });
});
