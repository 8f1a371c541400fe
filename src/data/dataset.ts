// From what a reader parsed to what training uses: samples as float32 rows (uint8 pixels scaled), and
// class labels (the file's own values, mapped to classes 0..k-1 in increasing order of value).
import { DataFileError, type NdArray, product } from "./arrays.js";
import { parseCsv } from "./csv.js";

/** How uint8 values become samples: symmetric to [-1, 1] (for a tanh generator), unit to [0, 1], none. */
export type PixelScale = "symmetric" | "unit" | "none";
export const PIXEL_SCALES: readonly PixelScale[] = ["symmetric", "unit", "none"];

export interface Dataset {
  /** Row-major [rows, dim]. */
  data: Float32Array;
  rows: number;
  dim: number;
  /** The shape of one sample (e.g. [28, 28] or [32, 32, 3]); [dim] for flat rows, [] for scalars. */
  shape: number[];
}

export interface Labels {
  /** The distinct label values, increasing: class c stands for value values[c]. */
  values: number[];
  /** The class of each row. */
  classes: Int32Array;
}

/** Rows are the first dimension, the rest one flattened sample. Only uint8 values are scaled. */
export function toDataset(array: NdArray, scale: PixelScale = "symmetric", file = "data"): Dataset {
  const [rows, ...shape] = array.shape,
    dim = product(shape);
  if (!rows || dim === 0) throw new DataFileError(file, `shape ${array.shape.join(" x ")} holds no samples`);
  const data = new Float32Array(rows * dim),
    v = array.values;
  if (array.dtype === "uint8" && scale !== "none") {
    // Exact in float64, then one rounding to float32: every engine gives the same bits.
    const mul = scale === "symmetric" ? 1 / 127.5 : 1 / 255,
      add = scale === "symmetric" ? -1 : 0;
    for (let i = 0; i < data.length; i++) data[i] = v[i]! * mul + add;
  } else {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(v[i]!)) throw new DataFileError(file, `value ${v[i]} at index ${i} is not finite`);
      data[i] = v[i]!;
    }
  }
  return { data, rows, dim, shape };
}

/** Labels from a parsed array: one integer per row ([n] or [n, 1]). */
export function toLabels(array: NdArray, file = "labels"): Labels {
  const [n, ...rest] = array.shape;
  if (product(rest) !== 1)
    throw new DataFileError(file, `shape ${array.shape.join(" x ")}: labels need one value per row`);
  return classesOf(Array.from(array.values.subarray(0, n)), file);
}

/** Labels from a one-column CSV (an optional header row). */
export function labelsFromCsv(text: string, file = "labels"): Labels {
  let csv;
  try {
    csv = parseCsv(text);
  } catch (e) {
    throw new DataFileError(file, (e as Error).message);
  }
  if (csv.dim !== 1) throw new DataFileError(file, `${csv.dim} columns: a labels CSV has one column`);
  return classesOf(Array.from(csv.data), file);
}

function classesOf(values: number[], file: string): Labels {
  const bad = values.findIndex((v) => !Number.isInteger(v));
  if (bad >= 0) throw new DataFileError(file, `label ${values[bad]} at row ${bad + 1} is not a whole number`);
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const index = new Map(distinct.map((v, c) => [v, c]));
  return { values: distinct, classes: Int32Array.from(values, (v) => index.get(v)!) };
}

/** A labels file must name one label per sample. */
export function checkLabelCount(labels: Labels, rows: number, file: string, dataFile: string): void {
  if (labels.classes.length !== rows) {
    throw new DataFileError(
      file,
      `label count ${labels.classes.length} differs from the ${rows} samples of ${dataFile}`,
    );
  }
}

/** Samples back to bytes, the inverse of the scaling (rounded, clamped to 0..255). */
export function toPixels(values: ArrayLike<number>, scale: PixelScale): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!,
      p = scale === "symmetric" ? (v + 1) * 127.5 : scale === "unit" ? v * 255 : v;
    out[i] = Math.min(255, Math.max(0, Math.round(p)));
  }
  return out;
}
