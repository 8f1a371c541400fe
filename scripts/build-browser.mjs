// Bundles the built library (dist/src/index.js) into one self-contained ES module for browsers,
// dist/simdgan.browser.js: @assemblyscript/loader and the inlined wasm included, so a plain
// <script type="module"> or a module worker can import it from a static server with no import map.
import { writeFileSync } from "node:fs";
import { build } from "esbuild";

const root = new URL("../", import.meta.url);
const entry = new URL("dist/src/index.js", root).pathname;
const out = new URL("dist/simdgan.browser.js", root).pathname;

const result = await build({
  entryPoints: [entry],
  outfile: out,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: true,
  metafile: true,
  logLevel: "error",
  legalComments: "inline",
});

// Anything Node-only on the library's path would break pages; fail the build rather than ship it.
const nodeOnly = Object.values(result.metafile.inputs)
  .flatMap((i) => i.imports)
  .filter((i) => i.external || i.path.startsWith("node:"));
if (nodeOnly.length) {
  throw new Error(`browser bundle reaches outside itself: ${nodeOnly.map((i) => i.path).join(", ")}`);
}

// Types: the bundle exports exactly the library's public API.
writeFileSync(new URL("dist/simdgan.browser.d.ts", root), 'export * from "./src/index.js";\n');
