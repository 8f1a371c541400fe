// The planner (src/kernels/planner.ts): the kernels it chooses for each layer shape are those its table
// promises, the plan's own account of each pass is what the pass really calls, and no call it issues hands
// a kernel its own output as an input (only the elementwise backward kernels run in place, by design).
import { beforeAll, describe, expect, it } from "vitest";
import { type KernelName, signature } from "../src/kernels/boundary.js";
import { MLP, type MLPSpec } from "../src/model/mlp.js";
import type { Engine } from "../src/wasm/load.js";
import { engine, put, randomArray } from "./helpers.js";

/** Each kernel's output pointers; every other pointer parameter is an input. */
const OUTPUTS: Partial<Record<KernelName, string[]>> = {
  gemm_nn: ["c"],
  gemm_tn: ["c"],
  gemm_nt: ["c"],
  gemm_nn_packed: ["c", "panels", "block"],
  gemm_tn_packed: ["c", "panels", "block"],
  gemm_nt_packed: ["c", "panels", "block"],
  unit_backward: ["dw", "dx"],
  sum_rows: ["out"],
  critic1d_forward: ["z", "h"],
  critic1d_backward: ["dw1", "db1", "dw2"],
  unit_input_grad: ["dx"],
};
const IN_PLACE = /_backward$/; // relu_backward(dx, dy, ...) and the like may have dx == dy

let e: Engine;
const calls: { name: KernelName; args: number[] }[] = [];

beforeAll(async () => {
  e = await engine();
  // Record every kernel call at the boundary, then make it.
  const k = e.kernels as unknown as Record<string, unknown>;
  for (const name of Object.keys(OUTPUTS).concat(
    ["relu", "leaky_relu", "sigmoid", "tanh"].flatMap((a) => [`${a}_forward`, `${a}_backward`]),
  )) {
    const f = k[name] as (...a: number[]) => unknown;
    k[name] = (...args: number[]) => {
      calls.push({ name: name as KernelName, args });
      return f(...args);
    };
  }
});

const MODELS: { label: string; spec: MLPSpec; plan: Record<"forward" | "params" | "input" | "both", string[]> }[] = [
  {
    label: "the reference workload's discriminator, 1 -> relu 32 -> 1: the fused critic",
    spec: { inputs: 1, hidden: [32], activation: "relu", outputs: 1, outputActivation: "linear" },
    plan: {
      forward: ["critic1d_forward"],
      params: ["critic1d_backward", "sum_rows"],
      input: ["unit_input_grad"],
      both: ["unit_backward+relu", "sum_rows", "gemm_tn", "sum_rows", "gemm_nt"],
    },
  },
  {
    label: "the reference workload's generator, 16 -> relu 32 -> 1: a one-unit top layer",
    spec: { inputs: 16, hidden: [32], activation: "relu", outputs: 1, outputActivation: "linear" },
    plan: {
      forward: ["gemm_nn+relu", "gemm_nn"],
      params: ["unit_backward+relu", "sum_rows", "gemm_tn", "sum_rows"],
      input: ["unit_backward+relu", "gemm_nt"],
      both: ["unit_backward+relu", "sum_rows", "gemm_tn", "sum_rows", "gemm_nt"],
    },
  },
  {
    label: "2 -> leaky 6 -> leaky 5 -> 3: leaky relu fused on both sides",
    spec: { inputs: 2, hidden: [6, 5], activation: "leaky_relu", outputs: 3, outputActivation: "linear" },
    plan: {
      forward: ["gemm_nn+leaky_relu", "gemm_nn+leaky_relu", "gemm_nn"],
      params: [
        "gemm_tn",
        "sum_rows",
        "gemm_nt+leaky_relu",
        "gemm_tn",
        "sum_rows",
        "gemm_nt+leaky_relu",
        "gemm_tn",
        "sum_rows",
      ],
      input: ["gemm_nt+leaky_relu", "gemm_nt+leaky_relu", "gemm_nt"],
      both: [
        "gemm_tn",
        "sum_rows",
        "gemm_nt+leaky_relu",
        "gemm_tn",
        "sum_rows",
        "gemm_nt+leaky_relu",
        "gemm_tn",
        "sum_rows",
        "gemm_nt",
      ],
    },
  },
  {
    label: "300 -> relu 70 -> 65: packed products on wide layers (forward from 256 inputs, dW from 16, dx from 32)",
    spec: { inputs: 300, hidden: [70], activation: "relu", outputs: 65, outputActivation: "linear" },
    plan: {
      forward: ["gemm_nn_packed+relu", "gemm_nn"],
      params: ["gemm_tn_packed", "sum_rows", "gemm_nt_packed+relu", "gemm_tn_packed", "sum_rows"],
      input: ["gemm_nt_packed+relu", "gemm_nt_packed"],
      both: ["gemm_tn_packed", "sum_rows", "gemm_nt_packed+relu", "gemm_tn_packed", "sum_rows", "gemm_nt_packed"],
    },
  },
  {
    label: "31 -> leaky 32 -> 4 -> 3: dx packs from 32 inputs and 4 units",
    spec: { inputs: 31, hidden: [32, 4], activation: "leaky_relu", outputs: 3, outputActivation: "linear" },
    plan: {
      forward: ["gemm_nn+leaky_relu", "gemm_nn+leaky_relu", "gemm_nn"],
      params: [
        "gemm_tn",
        "sum_rows",
        "gemm_nt+leaky_relu",
        "gemm_tn",
        "sum_rows",
        "gemm_nt_packed+leaky_relu",
        "gemm_tn",
        "sum_rows",
      ],
      input: ["gemm_nt+leaky_relu", "gemm_nt_packed+leaky_relu", "gemm_nt"],
      both: [
        "gemm_tn",
        "sum_rows",
        "gemm_nt+leaky_relu",
        "gemm_tn",
        "sum_rows",
        "gemm_nt_packed+leaky_relu",
        "gemm_tn",
        "sum_rows",
        "gemm_nt",
      ],
    },
  },
  {
    label: "3 -> tanh 5 -> sigmoid 4: activations on their own kernels, the top one first in the backward",
    spec: { inputs: 3, hidden: [5], activation: "tanh", outputs: 4, outputActivation: "sigmoid" },
    plan: {
      forward: ["gemm_nn", "tanh_forward", "gemm_nn", "sigmoid_forward"],
      params: ["sigmoid_backward", "gemm_tn", "sum_rows", "gemm_nt", "tanh_backward", "gemm_tn", "sum_rows"],
      input: ["sigmoid_backward", "gemm_nt", "tanh_backward", "gemm_nt"],
      both: ["sigmoid_backward", "gemm_tn", "sum_rows", "gemm_nt", "tanh_backward", "gemm_tn", "sum_rows", "gemm_nt"],
    },
  },
  {
    label: "1 -> leaky(1.5) 4 -> 1: a slope above 1 is not fused, and no critic",
    spec: {
      inputs: 1,
      hidden: [4],
      activation: { name: "leaky_relu", alpha: 1.5 },
      outputs: 1,
      outputActivation: "linear",
    },
    plan: {
      forward: ["gemm_nn", "leaky_relu_forward", "gemm_nn"],
      params: ["unit_backward", "sum_rows", "leaky_relu_backward", "gemm_tn", "sum_rows"],
      input: ["unit_backward", "leaky_relu_backward", "gemm_nt"],
      both: ["unit_backward", "sum_rows", "leaky_relu_backward", "gemm_tn", "sum_rows", "gemm_nt"],
    },
  },
];

describe("the planner", () => {
  for (const { label, spec, plan } of MODELS) {
    it(label, () => {
      const model = new MLP(e, spec),
        rows = 9;
      model.reserve(rows);
      expect(model.plan.kernels).toEqual(plan);
      const x = put(e, randomArray(rows * spec.inputs, 3)),
        dOut = put(e, new Float32Array(rows * spec.outputs));
      const passes = {
        forward: () => model.forward(x, rows),
        params: () => model.backward(x, rows, dOut, true, false),
        input: () => model.backward(x, rows, dOut, false, true),
        both: () => model.backward(x, rows, dOut, true, true),
      };
      for (const [pass, runPass] of Object.entries(passes) as [keyof typeof passes, () => void][]) {
        if (pass !== "forward") e.arena.write(dOut, randomArray(rows * spec.outputs, 4));
        calls.length = 0;
        runPass();
        // What the pass called is what the plan says, act suffixes aside.
        expect(
          calls.map((c) => c.name),
          pass,
        ).toEqual(plan[pass].map((n) => n.replace(/\+.*/, "")));
        for (const { name, args } of calls) {
          const params = signature(name).params,
            outs = OUTPUTS[name] ?? [params[0]!.name];
          const ptr = (p: string) => args[params.findIndex((q) => q.name === p)]!;
          const inputs = params.filter((p) => p.kind === "ptr" && !outs.includes(p.name)).map((p) => ptr(p.name));
          for (const out of outs) {
            const o = ptr(out);
            if (o === 0 || (IN_PLACE.test(name) && !OUTPUTS[name])) continue;
            expect(inputs, `${pass}: ${name} reads its output ${out}`).not.toContain(o);
          }
        }
      }
    });
  }
});
