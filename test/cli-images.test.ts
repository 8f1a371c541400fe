// The image side of the CLI end to end, on the built binary: the classifier command on the MNIST asset,
// and data files refused with status 2 and one line naming the file and the fault.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeIdx, loadClassifier } from "../src/index.js";
import { readDataFile, readLabelsFile } from "../src/cli/datafile.js";

const BIN = resolve("dist/src/cli/main.js");
const IMAGES = resolve("assets/mnist/images.idx.gz"),
  LABELS = resolve("assets/mnist/labels.idx.gz");
const run = promisify(execFile);
const dir = await mkdtemp(join(tmpdir(), "simdgan-cli-images-"));

async function simdgan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

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
      `simdgan: invalid --data '${cut}': truncated: dimensions 3 x 2 x 2 of uint8 need 12 bytes of data, the file has 4\n`,
    );
    const b = await simdgan("classifier", "--data", IMAGES, "--labels", labels3, "-o", join(dir, "x.json"));
    expect(b.code).toBe(2);
    expect(b.stderr).toBe(
      `simdgan: invalid --labels '${labels3}': label count 3 differs from the 10000 samples of images.idx.gz\n`,
    );
  });
});
