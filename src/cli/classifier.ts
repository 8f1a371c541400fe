// `simdgan classifier`: trains the MLP classifier behind the image metrics on labelled real data and
// saves it. A spread-out share of the rows (every k-th, so class-sorted files are held out evenly) is
// kept for the test accuracy it reports.
import type { Command } from "commander";
import { createClassifier } from "../model/classifier.js";
import { classifierText } from "../checkpoint/classifier.js";
import { readDataFlag, readLabelsFlag } from "./datafile.js";
import { writeAtomic } from "./files.js";
import { UsageError } from "./usage.js";
import { PIXEL_SCALES, type PixelScale } from "../data/dataset.js";

function whole(flag: string, min: number) {
  return (text: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new UsageError(`invalid ${flag} '${text}': must be a whole number >= ${min}`);
    return n;
  };
}

interface ClassifierFlags {
  data: string;
  labels: string;
  out: string;
  hidden: number[];
  epochs: number;
  batchSize: number;
  lr: number;
  testShare: number;
  seed: number;
  pixelScale: PixelScale;
  json?: boolean;
}

/** Which rows are held out: a share of them, spread evenly through the file. */
export function testRows(rows: number, share: number): boolean[] {
  return Array.from({ length: rows }, (_, i) => Math.floor((i + 1) * share) > Math.floor(i * share));
}

export function registerClassifier(program: Command): void {
  program
    .command("classifier")
    .description("train the classifier that scores generated images (--metrics classifier) and save it")
    .requiredOption("--data <file>", "real samples: IDX (.gz), .npy, a PNG directory or CSV")
    .requiredOption("--labels <file>", "their labels: IDX, .npy integers or a one-column CSV")
    .requiredOption("-o, --out <file>", "where to write the classifier (JSON)")
    .option(
      "--hidden <widths>",
      "hidden relu layers; the last one's activations are the Frechet features",
      (text: string) => {
        const w = text.split(",").map(Number);
        if (w.some((v) => !Number.isInteger(v) || v < 1))
          throw new UsageError(`invalid --hidden '${text}': must be whole numbers >= 1, e.g. 256,64`);
        return w;
      },
      [256, 64],
    )
    .option("--epochs <n>", "passes over the training rows", whole("--epochs", 1), 10)
    .option("--batch-size <n>", "rows per step", whole("--batch-size", 1), 64)
    .option(
      "--lr <rate>",
      "Adam's learning rate",
      (text: string) => {
        const v = Number(text);
        if (!(v > 0) || !Number.isFinite(v)) throw new UsageError(`invalid --lr '${text}': must be a number > 0`);
        return v;
      },
      1e-3,
    )
    .option(
      "--test-share <fraction>",
      "share of the rows held out for the test accuracy",
      (text: string) => {
        const v = Number(text);
        if (!(v > 0 && v < 1)) throw new UsageError(`invalid --test-share '${text}': must be a number in (0, 1)`);
        return v;
      },
      0.2,
    )
    .option("--seed <n>", "seeds the initial weights and the shuffling", whole("--seed", 0), 1)
    .option(
      "--pixel-scale <kind>",
      `how uint8 pixels become inputs: ${PIXEL_SCALES.join(", ")} (symmetric: [-1, 1]); use the GAN's`,
      (text: string) => {
        if (!PIXEL_SCALES.includes(text as PixelScale))
          throw new UsageError(`invalid --pixel-scale '${text}': must be one of ${PIXEL_SCALES.join(", ")}`);
        return text as PixelScale;
      },
      "symmetric" as PixelScale,
    )
    .option("--json", "print the result as one JSON object")
    .action(async (o: ClassifierFlags) => {
      const data = await readDataFlag("--data", o.data, o.pixelScale);
      const labels = await readLabelsFlag("--labels", o.labels, data.rows, o.data);
      if (labels.values.length < 2)
        throw new UsageError(
          `invalid --labels '${o.labels}': needs at least 2 distinct labels, found ${labels.values.length}`,
        );
      const held = testRows(data.rows, o.testShare),
        d = data.dim;
      const nTest = held.filter(Boolean).length,
        nTrain = data.rows - nTest;
      const split = (test: boolean) => {
        const x = new Float32Array((test ? nTest : nTrain) * d),
          c = new Int32Array(test ? nTest : nTrain);
        let r = 0;
        for (let i = 0; i < data.rows; i++) {
          if (held[i] !== test) continue;
          x.set(data.data.subarray(i * d, (i + 1) * d), r * d);
          c[r++] = labels.classes[i]!;
        }
        return { x, c };
      };
      const train = split(false),
        test = split(true);
      const clf = await createClassifier({
        inputs: d,
        classes: labels.values,
        hidden: o.hidden,
        seed: o.seed,
        learningRate: o.lr,
      });
      const started = performance.now();
      const losses = clf.fit(train.x, train.c, {
        epochs: o.epochs,
        batchSize: o.batchSize,
        onEpoch: (e, loss) => {
          if (!o.json) process.stdout.write(`epoch ${e}: loss ${loss.toFixed(4)}\n`);
        },
      });
      const seconds = (performance.now() - started) / 1000;
      const accuracy = clf.accuracy(test.x, test.c);
      await writeAtomic(o.out, classifierText(clf, data.shape, accuracy, nTest));
      const result = {
        trainRows: nTrain,
        testRows: nTest,
        classes: labels.values,
        testAccuracy: accuracy,
        seconds,
        losses,
      };
      process.stdout.write(
        o.json
          ? JSON.stringify(result) + "\n"
          : `test accuracy ${(100 * accuracy).toFixed(2)}% on ${nTest} held-out rows ` +
              `(${nTrain} trained, ${labels.values.length} classes, ${seconds.toFixed(1)} s); wrote ${o.out}\n`,
      );
    });
}
