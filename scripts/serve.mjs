// A tiny static file server on the loopback interface, for the demo and the browser tests:
//   node scripts/serve.mjs <dir> [port]
// It serves files under <dir> only, with the MIME types pages need (application/wasm for streaming), and
// cross-origin isolated: COOP same-origin and COEP require-corp give pages SharedArrayBuffer, which the
// thread pool needs (a page without them runs on one thread).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

/** The two headers that make a page cross-origin isolated, so that it may share memory with workers. */
export const ISOLATION_HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

/**
 * Starts serving `root` on 127.0.0.1 (port 0 picks a free one); resolves once listening.
 * `isolate: false` leaves out the isolation headers (the tests' non-isolated page).
 */
export async function serve(root, port = 0, { isolate = true } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
      let file = resolve(join(base, path));
      if (file !== base && !file.startsWith(base + sep)) throw Object.assign(new Error("outside"), { code: "ENOENT" });
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
        ...(isolate ? ISOLATION_HEADERS : {}),
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (error) {
      const missing = error?.code === "ENOENT" || error?.code === "ENOTDIR" || error instanceof URIError;
      res.writeHead(missing ? 404 : 500, { "content-type": "text/plain" }).end(missing ? "not found" : "server error");
    }
  });
  await new Promise((done, fail) => server.once("error", fail).listen(port, "127.0.0.1", done));
  const { port: actual } = server.address();
  return {
    url: `http://127.0.0.1:${actual}/`,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [root = ".", port = "5180"] = process.argv.slice(2);
  const { url } = await serve(root, Number(port));
  console.log(`serving ${resolve(root)} at ${url} (Ctrl-C stops)`);
}
