// What a web page must load to train the reference GAN in the browser, weighed as shipped: simdgan's browser
// bundle (its public API minified, the .wasm inlined), against tfjs's browser bundle
// plus the wasm backend's script and its SIMD .wasm. Sizes gzipped at level 9, as a server would.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import type { FileSize } from "../report/results.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const require = createRequire(import.meta.url);

export function sizeOf(file: string, bytes: Uint8Array): FileSize {
  return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

export function wasmSize(): FileSize {
  return sizeOf("build/simdgan.wasm", readFileSync(join(root, "build/simdgan.wasm")));
}

/**
 * simdgan's public API as one minified ES module for browsers, the wasm inlined as base64: the bundle the
 * package ships (dist/simdgan.browser.js) when the build made one, else the same bundle made here.
 */
export async function simdganPayload(): Promise<FileSize[]> {
  const shipped = join(root, "dist/simdgan.browser.js");
  if (existsSync(shipped)) return [sizeOf("dist/simdgan.browser.js", readFileSync(shipped))];
  const out = await build({
    entryPoints: [join(root, "dist/src/index.js")],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "error",
  });
  return [sizeOf("dist/src/index.js bundled + minified (esbuild)", out.outputFiles[0]!.contents)];
}

/** tfjs's minified browser bundle, the wasm backend's minified script and the SIMD build of its .wasm. */
export function tfjsPayload(): FileSize[] {
  const tfjs = dirname(require.resolve("@tensorflow/tfjs/package.json"));
  const wasm = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
  return [
    join(tfjs, "dist/tf.min.js"),
    join(wasm, "dist/tf-backend-wasm.min.js"),
    join(wasm, "dist/tfjs-backend-wasm-simd.wasm"),
  ].map((f) => sizeOf(f.slice(f.indexOf("node_modules/") + "node_modules/".length), readFileSync(f)));
}

export function total(files: FileSize[]): { files: FileSize[]; bytes: number; gzip: number } {
  return { files, bytes: files.reduce((s, f) => s + f.bytes, 0), gzip: files.reduce((s, f) => s + f.gzip, 0) };
}
