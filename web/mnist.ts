// The page's MNIST target, shared by its worker and by the tests that hold it against Node: the digits
// of assets/mnist/ (fetched compressed, inflated by the platform's DecompressionStream, read by the
// library's IDX reader), the options that make them a GAN's data, the classifier behind the image
// metrics, and the fixed grid of digits the page draws.
import {
  ImageJudge,
  createClassifier,
  parseIdx,
  toDataset,
  toLabels,
  type Classifier,
  type Dataset,
  type GAN,
  type GANOptions,
  type Labels,
} from "simdgan";
import { MNIST_SHAPE, type ImageTarget } from "./settings.js";

/** The compressed IDX files; Vite copies them beside the built page. */
export const MNIST_FILES = {
  images: new URL("../assets/mnist/images.idx.gz", import.meta.url),
  labels: new URL("../assets/mnist/labels.idx.gz", import.meta.url),
};

export interface Digits {
  images: Dataset;
  labels: Labels;
}

/** gzip bytes inflated by the platform (browsers and Node alike), so the page needs no inflate of its own. */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The digits from the two compressed files, pixels scaled to [-1, 1] for G's tanh output. */
export async function readDigits(images: Uint8Array, labels: Uint8Array): Promise<Digits> {
  return {
    images: toDataset(parseIdx(await gunzip(images), "images.idx.gz"), "symmetric", "images.idx.gz"),
    labels: toLabels(parseIdx(await gunzip(labels), "labels.idx.gz"), "labels.idx.gz"),
  };
}

/** The library's options of a digits run: the form's, with the first `rows` digits (and labels) as data. */
export function digitOptions(options: GANOptions, target: ImageTarget, digits: Digits): GANOptions {
  const dim = digits.images.dim,
    rows = target.rows;
  const { target: _target, samples: _samples, ...rest } = options;
  return {
    ...rest,
    data: digits.images.data.subarray(0, rows * dim),
    dim,
    sampleShape: [...MNIST_SHAPE],
    ...(target.conditional && {
      labels: Array.from(digits.labels.classes.subarray(0, rows), (c) => digits.labels.values[c]!),
    }),
  };
}

/**
 * The judge's classifier, trained as `simdgan classifier` trains it by default (hidden 256,64, 10 epochs
 * of batches of 64, Adam 1e-3, seed 1), on every digit but an evenly spread fifth held out for its
 * accuracy: the page's metrics are those of `simdgan train --classifier` with that file. Seconds of work.
 */
export async function trainClassifier(
  digits: Digits,
  onEpoch?: (epoch: number, of: number) => void,
): Promise<{ classifier: Classifier; accuracy: number; heldOut: number }> {
  const { data, rows, dim } = digits.images,
    classes = digits.labels.classes,
    share = 0.2,
    epochs = 10;
  const held = Array.from({ length: rows }, (_, i) => Math.floor((i + 1) * share) > Math.floor(i * share));
  const split = (test: boolean) => {
    const picked = held.flatMap((h, i) => (h === test ? [i] : []));
    const x = new Float32Array(picked.length * dim);
    picked.forEach((i, r) => x.set(data.subarray(i * dim, (i + 1) * dim), r * dim));
    return { x, c: Int32Array.from(picked, (i) => classes[i]!) };
  };
  const train = split(false),
    test = split(true);
  const classifier = await createClassifier({
    inputs: dim,
    classes: digits.labels.values,
    hidden: [256, 64],
    seed: 1,
    learningRate: 1e-3,
  });
  classifier.fit(train.x, train.c, { epochs, batchSize: 64, onEpoch: (e) => onEpoch?.(e, epochs) });
  return { classifier, accuracy: classifier.accuracy(test.x, test.c), heldOut: test.c.length };
}

/** The judge of a GAN's digits, on its first 2000 real rows (as `simdgan train --classifier` measures). */
export function judgeOf(classifier: Classifier, gan: GAN): ImageJudge {
  const rows = Math.min(gan.options.samples, 2000);
  return new ImageJudge(classifier, gan.realData().subarray(0, rows * gan.options.dim), rows);
}

/** Digits a row of the grid: a conditional G gets a row per class, an unconditional one a square. */
export const GRID_COLUMNS = 10;

/**
 * The grid's digits, row by row, from the random state `start`: every redraw gives G the same noise, so
 * what changes is G. A conditional G gets the same noise in every row (a column is one noise vector,
 * drawn as each class), an unconditional one 10 x 10 draws.
 */
export function digitGrid(viewer: GAN, start: Uint32Array): { values: Float32Array; rows: number } {
  const labels = viewer.classValues,
    dim = viewer.options.dim;
  viewer.rng.setState(start);
  if (!labels.length) return { values: viewer.generate(GRID_COLUMNS * GRID_COLUMNS), rows: GRID_COLUMNS };
  const values = new Float32Array(labels.length * GRID_COLUMNS * dim);
  labels.forEach((label, row) => {
    viewer.rng.setState(start);
    values.set(viewer.generate(GRID_COLUMNS, { label }), row * GRID_COLUMNS * dim);
  });
  return { values, rows: labels.length };
}
