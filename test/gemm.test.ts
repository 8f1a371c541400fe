// Every GEMM form, unit_backward, sum_rows and the one-dimensional critic's fused kernels against the float64
// references of test/reference.ts, on shapes that cover each of 1, 3, 4, 5, 16, 17, 32, 33, 333 in every
// dimension next to odd partners, so each tile width and every scalar tail runs. Two kinds of data:
// - small integers: every product and partial sum is exact in f32, so any summation order gives the exact
//   result and the kernel must equal the reference to the bit (a wrong index cannot hide in a tolerance);
// - uniform floats: the result must lie within the rounding bound that holds for any summation order,
//   |c - ref| <= γ(K+3) · (Σ|a·b| + |bias| + |c0|) + u·|ref|, γ(n) = n·u / (1 - n·u), u = 2^-24
//   (Higham, Accuracy and Stability of Numerical Algorithms, §3.1; the u·|ref| covers a leaky-relu scaling).
// Memory just outside the output must keep its guard values, inputs must be left as they were, and a
// non-accumulating call must not read the output (it starts as NaN there).
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/wasm/load.js";
import { type ActivationCodes, activationCodes } from "../src/kernels/boundary.js";
import { engine, get, put, testRandom } from "./helpers.js";
import {
  type Act,
  critic1dBackwardNaive,
  critic1dForwardNaive,
  gemmNNNaive,
  gemmNTNaive,
  gemmTNNaive,
  type Product,
  sumRowsNaive,
  unitBackwardNaive,
  unitInputGradNaive,
} from "./reference.js";

const U = 2 ** -24;
const gamma = (n: number) => (n * U) / (1 - n * U);
const GUARD = 8; // floats checked on each side of the output (two v128 widths)
const GUARD_VALUE = -12345.5;
const ALPHA = 0.2;

const SMALL = [1, 3, 4, 5, 16, 17, 32, 33];
const BIG = 333;
const ODD_PARTNERS = [1, 3, 4, 5, 17, 33];

/** [d0, d1, d2] triples: all small combinations; 333 in each position with odd partners in the others;
 *  333 in two positions; and the shapes of the reference workload (333 and 334 rows, 666 and 668). */
function shapes(): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (const x of SMALL) for (const y of SMALL) for (const z of SMALL) out.push([x, y, z]);
  for (const x of ODD_PARTNERS) {
    for (const y of ODD_PARTNERS) out.push([BIG, x, y], [x, BIG, y], [x, y, BIG]);
    out.push([BIG, BIG, x], [BIG, x, BIG], [x, BIG, BIG]);
  }
  for (const m of [333, 334, 666, 668]) out.push([m, 16, 32], [m, 1, 32], [m, 32, 1], [m, 32, 16]);
  // A 2-D sample's layers: two units or two inputs beside wide ones.
  out.push([333, 130, 2], [333, 2, 130], [7, 129, 2], [130, 7, 2], [5, 2, 2]);
  return out;
}

let e: Engine;
let codes: ActivationCodes;
const CAP = 668 * 333 + 2 * GUARD;
let pa = 0,
  pb = 0,
  pbias = 0,
  pmask = 0,
  pc = 0,
  pd = 0,
  pe = 0,
  ppanels = 0,
  pablock = 0;

beforeAll(async () => {
  e = await engine();
  codes = activationCodes(e.kernels);
  // One scratch region per operand, reused by every case: the arena never frees.
  const alloc = () => e.arena.alloc(CAP);
  pa = alloc();
  pb = alloc();
  pbias = alloc();
  pmask = alloc();
  pc = alloc();
  pd = alloc();
  pe = alloc();
  ppanels = alloc();
  pablock = e.arena.alloc(4 * 668);
});

type Data = "int" | "float";

/** The module's code for the activation below a backward product. */
function actOf(name: "none" | "relu" | "leaky_relu") {
  return name === "relu" ? codes.relu : name === "leaky_relu" ? codes.leaky : codes.none;
}

function fill(n: number, rand: () => number, data: Data): Float32Array {
  const x = new Float32Array(n);
  if (data === "int") for (let i = 0; i < n; i++) x[i] = Math.floor(rand() * 7) - 3;
  else for (let i = 0; i < n; i++) x[i] = 2 * rand() - 1;
  return x;
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length),
    y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return x.length === y.length;
}

/** Writes the operands, runs the kernel on an output framed by guard values, and returns what it wrote. */
function run(
  cLen: number,
  c0: Float32Array | null,
  inputs: [number, Float32Array][],
  call: (c: number) => void,
): Float32Array {
  const f32 = e.arena.f32,
    c = pc + GUARD * 4;
  for (const [ptr, values] of inputs) f32.set(values, ptr >> 2);
  f32.fill(GUARD_VALUE, pc >> 2, (pc >> 2) + cLen + 2 * GUARD);
  if (c0) f32.set(c0, c >> 2);
  else f32.fill(NaN, c >> 2, (c >> 2) + cLen);
  call(c);
  const after = e.arena.f32;
  for (const [ptr, values] of inputs) {
    if (!sameBits(after.subarray(ptr >> 2, (ptr >> 2) + values.length), values))
      throw new Error("an input was modified");
  }
  for (let g = 0; g < GUARD; g++) {
    if (after[(pc >> 2) + g] !== GUARD_VALUE)
      throw new Error(`guard ${GUARD - g} floats before the output was overwritten`);
    if (after[(c >> 2) + cLen + g] !== GUARD_VALUE)
      throw new Error(`guard ${g} floats after the output was overwritten`);
  }
  return after.slice(c >> 2, (c >> 2) + cLen);
}

/** The first element that breaks the rule for its data kind, described; null when all hold. */
function mismatch(got: Float32Array, ref: Product, terms: number, data: Data): string | null {
  for (let i = 0; i < got.length; i++) {
    const r = ref.c[i]!,
      g = got[i]!;
    const ok = data === "int" ? g === r : Math.abs(g - r) <= gamma(terms) * ref.mag[i]! + U * Math.abs(r);
    if (!ok) return `element ${i}: got ${g}, reference ${r} (magnitude ${ref.mag[i]})`;
  }
  return null;
}

function check(
  label: string,
  cases: [number, number, number][],
  one: (M: number, K: number, N: number, seed: number, data: Data) => string | null,
): void {
  const failures: string[] = [];
  for (const data of ["int", "float"] as const) {
    cases.forEach(([M, K, N], i) => {
      const problem = one(M, K, N, 1000 + i, data);
      if (problem) failures.push(`${label} ${data} M=${M} K=${K} N=${N}: ${problem}`);
    });
  }
  expect(failures.slice(0, 10)).toEqual([]);
}

const ALL = shapes();
// The costliest shapes (two or three dimensions of 333 or more) run with the variants the library calls
// most; every other variant still meets 333 in each dimension, one at a time.
const LIGHT = ALL.filter((s) => s.filter((d) => d >= BIG).length <= 1);
// 333 in all three dimensions, once per form.
const CUBE = [...ALL, [BIG, BIG, BIG] as [number, number, number]];
// Rows (every size, and the reference workload's 666 and 668) by units (every size): the one-unit and critic kernels.
const ROWS_BY_UNITS = [...SMALL, BIG, 666, 668].flatMap((M) =>
  [...SMALL, BIG].map((H) => [M, H, 1] as [number, number, number]),
);

describe("gemm_nn: C[M,N] (+)= A[M,K]·B[K,N] (+ bias), fused activation", () => {
  const variants: { bias: boolean; acc: boolean; act: Act }[] = [];
  for (const bias of [false, true])
    for (const acc of [false, true])
      for (const act of ["none", "relu", "leaky_relu"] as const) variants.push({ bias, acc, act });

  for (const { bias, acc, act } of variants) {
    const label = `bias=${bias} accumulate=${acc} act=${act}`;
    // Every variant on every small shape; the large shapes with the variants the library uses most.
    const cases =
      bias && !acc && act === "none"
        ? CUBE
        : (bias && !acc && act === "relu") || (!bias && acc && act === "none") || (bias && acc && act === "leaky_relu")
          ? ALL
          : LIGHT;
    it(label, () => {
      check(label, cases, (M, K, N, seed, data) => {
        const r = testRandom(seed);
        const a = fill(M * K, r, data),
          b = fill(K * N, r, data);
        const bv = bias ? fill(N, r, data) : null,
          c0 = acc ? fill(M * N, r, data) : null;
        const inputs: [number, Float32Array][] = [
          [pa, a],
          [pb, b],
        ];
        if (bv) inputs.push([pbias, bv]);
        const code = actOf(act);
        const got = run(M * N, c0, inputs, (c) =>
          e.kernels.gemm_nn(c, pa, pb, bv ? pbias : 0, M, K, N, acc ? 1 : 0, code, ALPHA),
        );
        return mismatch(got, gemmNNNaive(a, b, bv, c0, M, K, N, act, ALPHA), K + 3, data);
      });
    });
  }
});

describe("gemm_tn: C[K,N] (+)= A[M,K]ᵀ·B[M,N]", () => {
  for (const acc of [false, true]) {
    it(`accumulate=${acc}`, () => {
      check(`tn accumulate=${acc}`, acc ? ALL : CUBE, (M, K, N, seed, data) => {
        const r = testRandom(seed);
        const a = fill(M * K, r, data),
          b = fill(M * N, r, data),
          c0 = acc ? fill(K * N, r, data) : null;
        const got = run(
          K * N,
          c0,
          [
            [pa, a],
            [pb, b],
          ],
          (c) => e.kernels.gemm_tn(c, pa, pb, M, K, N, acc ? 1 : 0),
        );
        return mismatch(got, gemmTNNaive(a, b, c0, M, K, N), M + 3, data);
      });
    });
  }
});

// The activation below an input gradient: none, relu (its output is zero where it was off; the kernel must
// ignore alpha) or leaky relu (negative there, slope alpha). slope is what the reference multiplies by below zero.
const GATES = [
  { name: "none", slope: 0 },
  { name: "relu", slope: 0 },
  { name: "leaky_relu", slope: ALPHA },
] as const;

/** What that activation's forward stored, the gate's mask: relu output (exact zeros where off) or leaky output. */
function forwardOutput(gate: (typeof GATES)[number]["name"], n: number, r: () => number): Float32Array | null {
  if (gate === "none") return null;
  return Float32Array.from({ length: n }, () => {
    const z = r() - 0.4;
    return z > 0 ? z : gate === "relu" ? 0 : Math.fround(z * ALPHA);
  });
}

/** gemm_nt's operands A [M,N], B [K,N], C0 (when accumulating) and the gate's mask, and where they go. */
function ntOperands(
  M: number,
  K: number,
  N: number,
  seed: number,
  data: Data,
  acc: boolean,
  gate: (typeof GATES)[number]["name"],
) {
  const r = testRandom(seed);
  const a = fill(M * N, r, data),
    b = fill(K * N, r, data),
    c0 = acc ? fill(K * M, r, data) : null;
  const inputs: [number, Float32Array][] = [
    [pa, a],
    [pb, b],
  ];
  const m = forwardOutput(gate, M * K, r);
  if (m) inputs.push([pmask, m]);
  return { a, b, c0, m, inputs };
}

describe("gemm_nt: C[M,K] (+)= A[M,N]·B[K,N]ᵀ, fused relu / leaky relu backward", () => {
  for (const acc of [false, true]) {
    for (const mask of GATES) {
      const label = `nt accumulate=${acc} mask=${mask.name}`;
      // The variants the library calls most run on every shape; the others skip the costliest ones.
      const cases =
        !acc && mask.name === "none"
          ? CUBE
          : (!acc && mask.name === "relu") || (acc && mask.name === "leaky_relu")
            ? ALL
            : LIGHT;
      it(label, () => {
        check(label, cases, (M, K, N, seed, data) => {
          const { a, b, c0, m, inputs } = ntOperands(M, K, N, seed, data, acc, mask.name);
          const got = run(M * K, c0, inputs, (c) =>
            e.kernels.gemm_nt(c, pa, pb, M, K, N, acc ? 1 : 0, m ? pmask : 0, actOf(mask.name), ALPHA),
          );
          return mismatch(got, gemmNTNaive(a, b, c0, M, K, N, m, mask.slope), N + 3, data);
        });
      });
    }
  }
});

describe("unit_backward: a one-unit layer's dw (+)= xᵀ·dz and dx = dz·wᵀ (masked on x) in one sweep", () => {
  const cases = ROWS_BY_UNITS;
  const masks = [
    { name: "none", slope: 0 },
    { name: "relu", slope: 0 },
    { name: "leaky_relu", slope: ALPHA },
  ] as const;
  for (const acc of [false, true]) {
    for (const mask of masks) {
      const label = `unit_backward accumulate=${acc} mask=${mask.name}`;
      it(label, () => {
        check(label, cases, (M, K, _N, seed, data) => {
          const r = testRandom(seed);
          // x is what the layer below stored: a relu's output is never negative; the kernel reads only its sign.
          const x = fill(M * K, r, data).map((v) => (mask.name === "relu" ? Math.max(v, 0) : v));
          const dz = fill(M, r, data),
            w = fill(K, r, data),
            c0 = acc ? fill(K, r, data) : null;
          const inputs: [number, Float32Array][] = [
            [pa, x],
            [pb, dz],
            [pbias, w],
          ];
          const act = actOf(mask.name);
          const { dw: dwRef, dx: dxRef } = unitBackwardNaive(
            x,
            dz,
            w,
            c0,
            M,
            K,
            mask.name === "none" ? null : mask.slope,
          );
          // Each output alone (the other pointer 0), then both at once with dw outside the guarded region.
          const dw = run(K, c0, inputs, (c) =>
            e.kernels.unit_backward(c, 0, pa, pb, pbias, M, K, acc ? 1 : 0, act, ALPHA),
          );
          const dx = run(M * K, null, inputs, (c) =>
            e.kernels.unit_backward(0, c, pa, pb, pbias, M, K, acc ? 1 : 0, act, ALPHA),
          );
          if (c0) e.arena.f32.set(c0, pmask >> 2);
          const both = run(M * K, null, inputs, (c) =>
            e.kernels.unit_backward(pmask, c, pa, pb, pbias, M, K, acc ? 1 : 0, act, ALPHA),
          );
          const dwBoth = e.arena.read(pmask, K);
          return (
            mismatch(dw, dwRef, M + 3, data) ??
            mismatch(dx, dxRef, 4, data) ??
            (sameBits(both, dx) && sameBits(dwBoth, dw) ? null : "dw and dx together differ from each alone")
          );
        });
      });
    }
  }
});

describe("critic1d_forward: z = relu(x ⊗ w1 + b1)·w2 + b2, storing h", () => {
  const cases = ROWS_BY_UNITS;
  it("relu", () => {
    check("critic1d_forward", cases, (M, H, _N, seed, data) => {
      const r = testRandom(seed);
      const x = fill(M, r, data),
        w1 = fill(H, r, data),
        b1 = fill(H, r, data),
        w2 = fill(H, r, data),
        b2 = fill(1, r, data);
      const z = run(
        M,
        null,
        [
          [pa, x],
          [pb, w1],
          [pbias, b1],
          [pmask, w2],
          [pe, b2],
        ],
        (c) => e.kernels.critic1d_forward(c, pd, pa, pb, pbias, pmask, pe, M, H),
      );
      const h = e.arena.read(pd, M * H);
      // The two layers it fuses.
      const ref = critic1dForwardNaive(x, w1, b1, w2, b2, M, H);
      return mismatch(h, ref.h, 4, data) ?? mismatch(z, ref.z, H + 3, data);
    });
  });
});

describe("critic1d_backward: a relu critic's dw2, dw1 and db1 in one sweep", () => {
  const cases = ROWS_BY_UNITS;
  it("relu", () => {
    check("critic1d_backward", cases, (M, H, _N, seed, data) => {
      const r = testRandom(seed);
      const x = fill(M, r, data),
        h = fill(M * H, r, data).map((v) => Math.max(v, 0)),
        dz = fill(M, r, data),
        w2 = fill(H, r, data);
      const dw1 = run(
        H,
        null,
        [
          [pa, x],
          [pb, h],
          [pbias, dz],
          [pmask, w2],
        ],
        (c) => e.kernels.critic1d_backward(c, pd, pe, pa, pb, pbias, pmask, M, H),
      );
      const db1 = e.arena.read(pd, H),
        dw2 = e.arena.read(pe, H);
      // The kernels it replaces: dw2 = hᵀ·dz; dz1 = dz·w2ᵀ where h > 0; dw1 = xᵀ·dz1; db1 = 1ᵀ·dz1.
      const ref = critic1dBackwardNaive(x, h, dz, w2, M, H);
      return (
        mismatch(dw2, ref.dw2, M + 3, data) ??
        mismatch(dw1, ref.dw1, M + 3, data) ??
        mismatch(db1, ref.db1, M + 3, data)
      );
    });
  });
});

describe("unit_input_grad: the input gradient of a frozen 1 -> relu / leaky relu -> 1 block", () => {
  const cases = ROWS_BY_UNITS;
  for (const mask of [
    { name: "relu", slope: 0 },
    { name: "leaky_relu", slope: ALPHA },
  ] as const) {
    it(mask.name, () => {
      check(`unit_input_grad ${mask.name}`, cases, (M, H, _N, seed, data) => {
        const r = testRandom(seed);
        // h is what the hidden layer stored (a relu's output is never negative); w1 [1,H], w2 [H,1].
        const h = fill(M * H, r, data).map((v) => (mask.name === "relu" ? Math.max(v, 0) : v));
        const dz = fill(M, r, data),
          w1 = fill(H, r, data),
          w2 = fill(H, r, data);
        const got = run(
          M,
          null,
          [
            [pa, h],
            [pb, dz],
            [pbias, w1],
            [pmask, w2],
          ],
          (c) => e.kernels.unit_input_grad(c, pa, pb, pbias, pmask, M, H, actOf(mask.name), ALPHA),
        );
        // The two products it replaces: dz1 = gate(dz·w2ᵀ) on h, then dx = dz1·w1ᵀ.
        const ref = unitInputGradNaive(h, dz, w1, w2, M, H, mask.slope);
        // Leaky relu regroups the sum (alpha·Σu + (1 - alpha)·Σ_{h>0} u): not exact even on integers.
        return mismatch(got, ref, H + 6, mask.name === "relu" ? data : "float");
      });
    });
  }
});

describe("sum_rows: out[N] (+)= Σ_rows A[M,N]", () => {
  const values = [...SMALL, BIG, 666];
  const cases: [number, number, number][] = values.flatMap((M) =>
    values.map((N) => [M, 0, N] as [number, number, number]),
  );
  for (const acc of [false, true]) {
    it(`accumulate=${acc}`, () => {
      check(`sum_rows accumulate=${acc}`, cases, (M, _K, N, seed, data) => {
        const r = testRandom(seed);
        const a = fill(M * N, r, data),
          c0 = acc ? fill(N, r, data) : null;
        const got = run(N, c0, [[pa, a]], (c) => e.kernels.sum_rows(c, pa, M, N, acc ? 1 : 0));
        return mismatch(got, sumRowsNaive(a, c0, M, N), M + 3, data);
      });
    });
  }
});

describe("finite_check: out is 0 when every value is finite, NaN (all bits set) when any is not", () => {
  it("flags a NaN or an infinity anywhere, and never large finite values (whose sum overflows)", () => {
    const out = put(e, new Float32Array(1));
    const flag = (values: Float32Array) => {
      e.kernels.finite_check(out, put(e, values), values.length);
      return new Uint32Array(get(e, out, 1).buffer)[0];
    };
    for (const n of [1, 2, 3, 4, 5, 8, 9, 130, 1001]) {
      const r = testRandom(n);
      const base = Float32Array.from({ length: n }, () => 2 * r() - 1);
      expect(flag(base), `${n} finite values`).toBe(0);
      // 3e38 each: finite, though their sum is not (the check this one replaced summed the weights).
      expect(flag(new Float32Array(n).fill(3e38)), `${n} large finite values`).toBe(0);
      for (const bad of [NaN, Infinity, -Infinity]) {
        for (const at of new Set([0, n >> 1, n - 1])) {
          const v = base.slice();
          v[at] = bad;
          const want = v.every(Number.isFinite) ? 0 : 0xffffffff;
          expect(flag(v), `${n} values, ${bad} at ${at}`).toBe(want);
        }
      }
    }
  });
});

// The packed products must be the plain ones to the bit (same slices, same order over the inner dimension),
// and so the reference's within rounding, on every shape: the slices of a long inner dimension (333, 668 with
// N >= 64), widths that leave 1-7 columns past the last panel, and any range of columns [n0, n1) a thread
// takes. Their scratch holds whatever the previous call left there.
// Shapes with N >= 64, where the planner packs and where a long inner dimension is cut into slices.
const WIDE: [number, number, number][] = [
  [64, 100, 256],
  [5, 300, 67],
  [13, 668, 65],
  [37, 129, 70],
  [4, 257, 64],
  [130, 20, 71],
  [3, 333, 72],
];
const PACKED_CASES = [...LIGHT, ...WIDE, [BIG, BIG, 17] as [number, number, number]];

/** Column ranges a share may take: the whole width, and runs of whole panels, the last ending at N. */
function columnRanges(N: number): [number, number][] {
  const out: [number, number][] = [[0, N]];
  if (N > 8) out.push([0, 8], [8, N]);
  if (N > 24) out.push([8, 24], [16, N]);
  return out;
}

describe("gemm_nn_packed: gemm_nn's bits through packed panels, any range of columns", () => {
  for (const { bias, acc, act } of [
    { bias: true, acc: false, act: "relu" },
    { bias: false, acc: true, act: "none" },
    { bias: true, acc: true, act: "leaky_relu" },
    { bias: false, acc: false, act: "none" },
  ] as const) {
    const label = `bias=${bias} accumulate=${acc} act=${act}`;
    it(label, () => {
      check(`nn packed ${label}`, PACKED_CASES, (M, K, N, seed, data) => {
        const r = testRandom(seed);
        const a = fill(M * K, r, data),
          b = fill(K * N, r, data);
        const bv = bias ? fill(N, r, data) : null,
          c0 = acc ? fill(M * N, r, data) : null;
        const inputs: [number, Float32Array][] = [
          [pa, a],
          [pb, b],
        ];
        if (bv) inputs.push([pbias, bv]);
        const code = actOf(act),
          bp = bv ? pbias : 0;
        const plain = run(M * N, c0, inputs, (c) =>
          e.kernels.gemm_nn(c, pa, pb, bp, M, K, N, acc ? 1 : 0, code, ALPHA),
        );
        const problem = mismatch(plain, gemmNNNaive(a, b, bv, c0, M, K, N, act, ALPHA), K + 3, data);
        if (problem) return `plain: ${problem}`;
        for (const [n0, n1] of columnRanges(N)) {
          const got = run(M * N, c0, inputs, (c) =>
            e.kernels.gemm_nn_packed(c, pa, pb, bp, M, K, N, acc ? 1 : 0, code, ALPHA, ppanels, pablock, n0, n1),
          );
          const differs = columnsDiffer(got, plain, c0, M, N, n0, n1);
          if (differs) return `columns [${n0}, ${n1}): ${differs}`;
        }
        return null;
      });
    });
  }
});

describe("gemm_tn_packed: gemm_tn's bits through packed panels, any range of columns", () => {
  for (const acc of [false, true]) {
    it(`accumulate=${acc}`, () => {
      check(`tn packed accumulate=${acc}`, PACKED_CASES, (M, K, N, seed, data) => {
        const r = testRandom(seed);
        const a = fill(M * K, r, data),
          b = fill(M * N, r, data),
          c0 = acc ? fill(K * N, r, data) : null;
        const inputs: [number, Float32Array][] = [
          [pa, a],
          [pb, b],
        ];
        const plain = run(K * N, c0, inputs, (c) => e.kernels.gemm_tn(c, pa, pb, M, K, N, acc ? 1 : 0));
        const problem = mismatch(plain, gemmTNNaive(a, b, c0, M, K, N), M + 3, data);
        if (problem) return `plain: ${problem}`;
        for (const [n0, n1] of columnRanges(N)) {
          const got = run(K * N, c0, inputs, (c) =>
            e.kernels.gemm_tn_packed(c, pa, pb, M, K, N, acc ? 1 : 0, ppanels, pablock, n0, n1),
          );
          const differs = columnsDiffer(got, plain, c0, K, N, n0, n1);
          if (differs) return `columns [${n0}, ${n1}): ${differs}`;
        }
        return null;
      });
    });
  }
});

// gemm_nt_packed sums in order over n, not in gemm_nt's lanes: the reference's within rounding (exact on
// integers), on the packed shapes and inner lengths past a slice (300, 333), and any range of columns
// [k0, k1) a thread takes gives the whole call's bits there.
const NT_PACKED_CASES: [number, number, number][] = [...PACKED_CASES, [70, 40, 300], [9, 75, 260]];

describe("gemm_nt_packed: C[M,K] (+)= A[M,N]·B[K,N]ᵀ through panels of Bᵀ, gated, any range of columns", () => {
  for (const acc of [false, true]) {
    for (const mask of GATES) {
      const label = `nt packed accumulate=${acc} mask=${mask.name}`;
      it(label, () => {
        check(label, NT_PACKED_CASES, (M, K, N, seed, data) => {
          const { a, b, c0, m, inputs } = ntOperands(M, K, N, seed, data, acc, mask.name);
          const call = (k0: number, k1: number) => (c: number) =>
            e.kernels.gemm_nt_packed(
              c,
              pa,
              pb,
              M,
              K,
              N,
              acc ? 1 : 0,
              m ? pmask : 0,
              actOf(mask.name),
              ALPHA,
              ppanels,
              pablock,
              k0,
              k1,
            );
          const whole = run(M * K, c0, inputs, call(0, K));
          const problem = mismatch(whole, gemmNTNaive(a, b, c0, M, K, N, m, mask.slope), N + 3, data);
          if (problem) return problem;
          for (const [k0, k1] of columnRanges(K).slice(1)) {
            const differs = columnsDiffer(run(M * K, c0, inputs, call(k0, k1)), whole, c0, M, K, k0, k1);
            if (differs) return `columns [${k0}, ${k1}): ${differs}`;
          }
          return null;
        });
      });
    }
  }
});

/** Where a packed call over columns [n0, n1) is not the plain call's bits there and untouched elsewhere. */
function columnsDiffer(
  got: Float32Array,
  plain: Float32Array,
  c0: Float32Array | null,
  rows: number,
  N: number,
  n0: number,
  n1: number,
): string | null {
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length),
    p = new Uint32Array(plain.buffer, plain.byteOffset, plain.length);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < N; j++) {
      const at = i * N + j;
      if (j >= n0 && j < n1) {
        if (g[at] !== p[at]) return `element ${at}: got ${got[at]}, gemm's ${plain[at]}`;
      } else if (c0 ? got[at] !== c0[at] : !Number.isNaN(got[at])) return `element ${at}, outside, was written`;
    }
  }
  return null;
}

describe("the checks themselves", () => {
  it("catch a product missing one term, and a write just outside the output", () => {
    const M = 1,
      K = 333,
      N = 1,
      r = testRandom(7);
    const a = fill(M * K, r, "float"),
      b = fill(K * N, r, "float");
    const got = run(
      M * N,
      null,
      [
        [pa, a],
        [pb, b],
      ],
      (c) => e.kernels.gemm_nn(c, pa, pb, 0, M, K, N, 0, codes.none, 0),
    );
    expect(mismatch(got, gemmNNNaive(a, b, null, null, M, K, N), K + 3, "float")).toBeNull();
    // The bound is loose by design, yet far tighter than one term of the sum.
    let biggest = 0;
    a.forEach((v, l) => {
      if (Math.abs(v * b[l]!) > Math.abs(a[biggest]! * b[biggest]!)) biggest = l;
    });
    const dropped = gemmNNNaive(
      a.map((v, l) => (l === biggest ? 0 : v)),
      b,
      null,
      null,
      M,
      K,
      N,
    );
    expect(mismatch(got, dropped, K + 3, "float")).not.toBeNull();
    expect(() =>
      run(4, null, [], (c) => {
        e.arena.f32[(c >> 2) + 4] = 1;
      }),
    ).toThrow(/guard 0 floats after/);
    expect(() =>
      run(4, null, [], (c) => {
        e.arena.f32[(c >> 2) - 1] = 1;
      }),
    ).toThrow(/guard 1 floats before/);
  });
});
