// The typed boundary (src/kernels/boundary.ts) against the module it describes: the module exports exactly
// the declared kernels, ACT_* codes and memory; each function takes as many arguments as its declared
// signature; and each declared signature has the parameter names and types of the AssemblyScript function
// it mirrors, read from assembly/*.ts. A kernel added, removed or changed on one side alone fails here.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACT_CODES, type KernelName, type Kernels, SIGNATURES, signature } from "../src/kernels/boundary.js";
import { compiledModule } from "../src/wasm/load.js";
import { engine } from "./helpers.js";

const NAMES = Object.keys(SIGNATURES) as KernelName[];
const ASSEMBLY = new URL("../assembly/", import.meta.url);

/** Every `export function` of assembly/*.ts: its parameters as [name, type] and its result type. */
function assemblySignatures(): Map<string, { params: [string, string][]; result: string }> {
  const out = new Map<string, { params: [string, string][]; result: string }>();
  for (const file of readdirSync(ASSEMBLY).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(new URL(file, ASSEMBLY), "utf8");
    for (const m of text.matchAll(/^export function (\w+)\(([^)]*)\)\s*:\s*(\w+)/gm)) {
      const params = m[2]!
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => p.split(":").map((s) => s.trim()) as [string, string]);
      out.set(m[1]!, { params, result: m[3]! });
    }
  }
  return out;
}

/** The AssemblyScript type each declared kind stands for. */
const AS_TYPE = { ptr: "usize", i32: "i32", u32: "u32", f32: "f32", f64: "f64", bool: "bool", act: "i32" } as const;

describe("the Kernels boundary", () => {
  it("names exactly the module's exports: every kernel, the ACT_* codes and the memory", async () => {
    const exports = WebAssembly.Module.exports(await compiledModule());
    const of = (kind: string) =>
      exports
        .filter((x) => x.kind === kind)
        .map((x) => x.name)
        .sort();
    expect(of("function")).toEqual([...NAMES].sort());
    expect(of("global")).toEqual([...ACT_CODES].sort());
    expect(of("memory")).toEqual(["memory"]);
  });

  it("declares each kernel with the arity of the exported function", async () => {
    const { kernels } = await engine();
    const arity = Object.fromEntries(
      NAMES.map((n) => [n, (kernels[n] as unknown as (...a: number[]) => unknown).length]),
    );
    expect(arity).toEqual(Object.fromEntries(NAMES.map((n) => [n, signature(n).params.length])));
  });

  it("declares each kernel with the parameter names and types of its AssemblyScript source", () => {
    const source = assemblySignatures();
    for (const name of NAMES) {
      const declared = signature(name),
        actual = source.get(name);
      expect(actual, `${name} in assembly/*.ts`).toBeDefined();
      expect(
        declared.params.map((p) => [p.name, AS_TYPE[p.kind]]),
        name,
      ).toEqual(actual!.params);
      expect(declared.result === null ? "void" : AS_TYPE[declared.result], `${name} result`).toBe(actual!.result);
      // An activation code is an i32 named act, and every i32 named act is declared as a code.
      for (const p of declared.params) expect(p.kind === "act", `${name}(${p.name})`).toBe(p.name === "act");
    }
  });

  it("reads the ACT_* codes the kernels define: distinct, the values of assembly/activations.ts", async () => {
    const { kernels } = await engine();
    const text = readFileSync(new URL("activations.ts", ASSEMBLY), "utf8");
    const defined = Object.fromEntries([...text.matchAll(/\b(ACT_\w+) = (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
    const read = Object.fromEntries(ACT_CODES.map((c) => [c, kernels[c].value as number]));
    expect(read).toEqual(defined);
    expect(new Set(Object.values(read)).size).toBe(ACT_CODES.length);
  });

  // The type-check (`npm run typecheck`, part of `npm test`) is the assertion here: an expected error that
  // does not occur is itself an error, so an argument marked optional, or a code typed as a number, fails it.
  it("types every argument as required, and an activation code as the module's, not a number", () => {
    const calls = (k: Kernels) => {
      // @ts-expect-error act and alpha are not optional
      k.gemm_nn(0, 0, 0, 0, 1, 1, 1, 0);
      // @ts-expect-error skipLoss is not optional
      k.sigmoid_bce(0, 0, 1, 1, 0.9, 0.1);
      // @ts-expect-error 1 is a number, not an ACT_* code read from the module
      k.gemm_nt(0, 0, 0, 1, 1, 1, 0, 0, 1, 0);
      // @ts-expect-error accumulate is 0 or 1
      k.sum_rows(0, 0, 1, 1, 2);
    };
    expect(calls).toBeTypeOf("function");
  });
});
