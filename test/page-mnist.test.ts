// The training page's digits under Node (web/mnist.ts, shared by the page's worker and the Chromium
// test): the classifier behind the page's image metrics is the one `simdgan classifier` trains by default,
// bit for bit, and the page's digits run takes the files' digits and labels as `--data` / `--labels` do.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadClassifier, resolveOptions } from "../src/index.js";
import { MNIST_FILES, digitOptions, readDigits, trainClassifier } from "../web/mnist.js";
import { DIM_DEFAULTS, DEFAULT_VALUES, check } from "../web/settings.js";
import { hexWeights } from "./browser/reference.js";

const run = promisify(execFile);
const files = { images: fileURLToPath(MNIST_FILES.images), labels: fileURLToPath(MNIST_FILES.labels) };

describe("the page's MNIST digits", () => {
  it("are judged by the classifier `simdgan classifier` trains by default, to the bit", async () => {
    const dir = await mkdtemp(join(tmpdir(), "simdgan-page-mnist-"));
    try {
      const out = join(dir, "clf.json");
      const cli = run(process.execPath, [
        resolve("dist/src/cli/main.js"),
        "classifier",
        "--data",
        files.images,
        "--labels",
        files.labels,
        "-o",
        out,
        "--json",
      ]);
      const digits = await readDigits(await readFile(files.images), await readFile(files.labels));
      const epochs: number[] = [];
      const page = await trainClassifier(digits, (e) => epochs.push(e));
      const { stdout } = await cli;
      const { classifier, file } = await loadClassifier(await readFile(out, "utf8"));
      expect(epochs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(hexWeights(page.classifier.mlp.getWeights())).toEqual(hexWeights(classifier.mlp.getWeights()));
      expect([page.accuracy, page.heldOut]).toEqual([file.testAccuracy, file.testRows]);
      expect(JSON.parse(stdout).testAccuracy).toBeGreaterThan(0.9);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("train on the first digits of the files, with their labels when conditional", async () => {
    const digits = await readDigits(await readFile(files.images), await readFile(files.labels));
    expect([digits.images.rows, digits.images.dim, digits.labels.values]).toEqual([
      10_000,
      784,
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    ]);
    const { options, image } = check({ ...DEFAULT_VALUES, ...DIM_DEFAULTS.image, target: "mnist:300,conditional" });
    const resolved = resolveOptions(digitOptions(options!, image!, digits));
    expect([resolved.samples, resolved.dim, resolved.sampleShape]).toEqual([300, 784, [28, 28]]);
    expect(resolved.data!.subarray(0, 784 * 300)).toEqual(digits.images.data.subarray(0, 784 * 300));
    // The pixels as --data scales them: byte / 127.5 - 1.
    expect(Math.min(...resolved.data!.subarray(0, 784))).toBe(-1);
    expect(resolved.labels).toEqual(Array.from(digits.labels.classes.subarray(0, 300)));
    const plain = check({ ...DEFAULT_VALUES, ...DIM_DEFAULTS.image, target: "mnist:300" });
    expect(resolveOptions(digitOptions(plain.options!, plain.image!, digits)).labels).toBeNull();
  });
});
