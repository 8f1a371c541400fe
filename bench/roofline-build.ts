// Compiles bench/roofline.as with asc into build/roofline.wasm. Run as a process of its own: asc is
// itself a large wasm module, and V8 would spend the next seconds optimising it on the same background
// threads that optimise the kernels being measured.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOFLINE_WASM = fileURLToPath(new URL("../../build/roofline.wasm", import.meta.url));

async function main(): Promise<void> {
  const { default: asc } = await import("assemblyscript/asc"); // only in this process, never in the bench's
  const source = readFileSync(new URL("../../bench/roofline.as", import.meta.url), "utf8");
  const out = await asc.compileString(
    { "roofline.ts": source },
    { optimizeLevel: 3, shrinkLevel: 0, runtime: "stub", enable: ["simd"], noAssert: true },
  );
  if (out.error || !out.binary)
    throw new Error(`roofline.as did not compile: ${out.error?.message ?? ""}\n${out.stderr.toString()}`);
  mkdirSync(new URL("../../build/", import.meta.url), { recursive: true });
  writeFileSync(ROOFLINE_WASM, out.binary);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
