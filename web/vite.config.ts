// Builds the training page (web/) into dist/web. "simdgan" resolves to the package's own entry, as it
// would in an app that installed it: Vite bundles the library, its loader and the inlined wasm.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = new URL("../", import.meta.url);
const ISOLATION = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as {
  exports: { ".": { default: string } };
};

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./", // relative URLs: the built page works from any directory
  resolve: { alias: { simdgan: fileURLToPath(new URL(pkg.exports["."].default, root)) } },
  worker: { format: "es" },
  build: { outDir: fileURLToPath(new URL("dist/web", root)), emptyOutDir: true, target: "es2022" },
  // Cross-origin isolation (as scripts/serve.mjs sends it): the thread pool needs SharedArrayBuffer.
  server: { host: "127.0.0.1", headers: ISOLATION },
  preview: { host: "127.0.0.1", headers: ISOLATION },
  logLevel: "warn",
});
