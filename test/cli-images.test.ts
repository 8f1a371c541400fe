// The image side of the CLI end to end, on the built binary: the classifier command on the MNIST asset,
// and data files refused with status 2 and one line naming the file and the fault.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { PNG } from "pngjs";
import { encodeIdx, loadCheckpoint, loadClassifier, parseIdx, parseNpy } from "../src/index.js";
import { readDataFile, readLabelsFile } from "../src/cli/datafile.js";

const IMAGES = resolve("assets/mnist/images.idx.gz"),
  LABELS = resolve("assets/mnist/labels.idx.gz");
const dir = await mkdtemp(join(tmpdir(), "simdgan-cli-images-"));

const simdgan = (...args: string[]) => runCli(dir, args);

describe("simdgan classifier", () => {
  it("trains on the MNIST asset, reports its held-out accuracy and saves a classifier that reproduces it", async () => {
    const out = join(dir, "clf.json");
    const r = await simdgan(
      "classifier",
      ...["--data", IMAGES, "--labels", LABELS, "-o", out, "--epochs", "2", "--hidden", "64,32", "--json"],
    );
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { testAccuracy: number; testRows: number; trainRows: number };
    expect([result.trainRows, result.testRows]).toEqual([8000, 2000]);
    // Two epochs of a small MLP: ~90%; chance is 10%.
    expect(result.testAccuracy).toBeGreaterThan(0.85);
    const { classifier, file } = await loadClassifier(await readFile(out, "utf8"));
    expect([file.classes, file.sampleShape, file.testAccuracy]).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [28, 28],
      result.testAccuracy,
    ]);
    // Every fifth row was held out; the reloaded classifier scores them the same.
    const data = await readDataFile(IMAGES),
      labels = await readLabelsFile(LABELS);
    const rows = Array.from({ length: 2000 }, (_, i) => 5 * i + 4);
    const x = new Float32Array(2000 * 784);
    rows.forEach((row, i) => x.set(data.data.subarray(row * 784, (row + 1) * 784), i * 784));
    expect(
      classifier.accuracy(
        x,
        rows.map((row) => labels.classes[row]!),
      ),
    ).toBe(result.testAccuracy);
  });

  it("refuses bad data and label files with status 2 and one line naming the file and the fault", async () => {
    const cut = join(dir, "cut.idx");
    await writeFile(cut, encodeIdx(new Uint8Array(12), [3, 2, 2]).subarray(0, 20));
    const labels3 = join(dir, "l3.idx.gz");
    await writeFile(labels3, gzipSync(encodeIdx(Uint8Array.of(1, 2, 1), [3])));
    const a = await simdgan("classifier", "--data", cut, "--labels", labels3, "-o", join(dir, "x.json"));
    expect(a.code).toBe(2);
    expect(a.stderr).toBe(
      `simdgan: invalid --data '${cut}': truncated: dimensions 3 x 2 x 2 of uint8 need 12 bytes of data, ` +
        "the file has 4\n",
    );
    const b = await simdgan("classifier", "--data", IMAGES, "--labels", labels3, "-o", join(dir, "x.json"));
    expect(b.code).toBe(2);
    expect(b.stderr).toBe(
      `simdgan: invalid --labels '${labels3}': label count 3 differs from the 10000 samples of images.idx.gz\n`,
    );
  });
});

// 24 images of 6 x 5 pixels, labels 3 and 7 alternating: a conditional GAN small enough to train in a blink.
async function tinyImageRun(): Promise<string> {
  const px = Uint8Array.from({ length: 24 * 30 }, (_, i) => (i * 37) % 256);
  await writeFile(join(dir, "tiny.idx"), encodeIdx(px, [24, 6, 5]));
  await writeFile(
    join(dir, "tiny-labels.csv"),
    "label\n" + Array.from({ length: 24 }, (_, i) => (i % 2 ? 7 : 3)).join("\n"),
  );
  const save = join(dir, "tiny.json");
  const r = await simdgan(
    "train",
    ...["--data", "tiny.idx", "--labels", "tiny-labels.csv", "--epochs", "2", "--batch-size", "8", "--g-hidden", "16"],
    ...["--d-hidden", "16", "--g-output-activation", "tanh", "--save", save, "--plot", "tiny.png"],
  );
  expect(r.code, r.stderr).toBe(0);
  return save;
}

describe("simdgan train and sample on image data", () => {
  it("trains a conditional GAN on IDX images, plots a grid, samples PNG, .npy and IDX of right shapes", async () => {
    const save = await tinyImageRun();
    const gan = await loadCheckpoint(await readFile(save, "utf8"));
    expect([gan.conditional, gan.classValues, gan.options.sampleShape]).toEqual([true, [3, 7], [6, 5]]);
    expect(PNG.sync.read(await readFile(join(dir, "tiny.png"))).width).toBeGreaterThan(100);

    // A row per label, 4 images each: 2 + 4 * (5 + 2) wide, 2 + 2 * (6 + 2) high.
    const a = await simdgan("sample", save, "-n", "4", "--format", "png", "-o", "grid.png");
    expect(a.code, a.stderr).toBe(0);
    const grid = PNG.sync.read(await readFile(join(dir, "grid.png")));
    expect([grid.width, grid.height]).toEqual([30, 18]);
    // Gaps are the background grey; the generated pixels are tanh's [-1, 1] scaled back to bytes.
    expect([grid.data[0], grid.data[4 * (2 * 30 + 2) - 4]]).toEqual([64, 64]);
    // One label, 6 images, 3 per row.
    const b = await simdgan("sample", save, "-n", "6", "--label", "7", "--columns", "3", "-o", "seven.png");
    expect(b.code, b.stderr).toBe(0);
    const seven = PNG.sync.read(await readFile(join(dir, "seven.png")));
    expect([seven.width, seven.height]).toEqual([2 + 3 * 7, 2 + 2 * 8]);

    const c = await simdgan("sample", save, "-n", "5", "--label", "3", "--dtype", "uint8", "-o", "s.npy");
    expect(c.code, c.stderr).toBe(0);
    const npy = parseNpy(new Uint8Array(await readFile(join(dir, "s.npy"))));
    expect([npy.dtype, npy.shape]).toEqual(["uint8", [5, 6, 5]]);
    const d = await simdgan("sample", save, "-n", "5", "--format", "idx", "-o", "s.idx");
    expect(d.code, d.stderr).toBe(0);
    const idx = parseIdx(new Uint8Array(await readFile(join(dir, "s.idx"))));
    expect([idx.dtype, idx.shape]).toEqual(["float32", [5, 6, 5]]);
    expect(Array.from(idx.values).every((v) => v >= -1 && v <= 1)).toBe(true);
    // The same checkpoint generates the same samples: the uint8 file is the float one scaled back.
    const e = await simdgan("sample", save, "-n", "5", "--label", "3", "--format", "idx", "-o", "s3.idx");
    expect(e.code).toBe(0);
    const floats = parseIdx(new Uint8Array(await readFile(join(dir, "s3.idx")))).values;
    expect(Array.from(npy.values)).toEqual(
      Array.from(floats, (v) => Math.min(255, Math.max(0, Math.round((v + 1) * 127.5)))),
    );

    const bad = await simdgan("sample", save, "--label", "5", "--format", "png", "-o", "x.png");
    expect([bad.code, bad.stderr]).toEqual([2, "simdgan: invalid --label '5': must be one of the labels 3, 7\n"]);
  });
});
