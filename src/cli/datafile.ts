// Reads a data or labels file for the CLI: the format is told by the content (gzip, IDX, .npy, PNG
// magic numbers; a directory of PNG images), anything else is CSV. Parsing itself is the library's
// (src/data/), which has no file system; decompression here is node:zlib's.
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { gunzipSync, inflateSync } from "node:zlib";
import { DataFileError, isGzip, type NdArray } from "../data/arrays.js";
import { parseIdx } from "../data/idx.js";
import { parseNpy } from "../data/npy.js";
import { decodePng, stackImages } from "../data/png.js";
import {
  checkLabelCount,
  labelsFromCsv,
  toDataset,
  toLabels,
  type Dataset,
  type Labels,
  type PixelScale,
} from "../data/dataset.js";
import { parseCsv } from "../data/csv.js";
import { UsageError } from "./usage.js";

export type Format = "idx" | "npy" | "png" | "png-dir" | "csv";

async function bytesOf(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFileError(
      path,
      `cannot read: ${code === "ENOENT" ? "no such file" : (code ?? (e as Error).message)}`,
    );
  }
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFileError(
      path,
      code === "Z_BUF_ERROR" ? "truncated gzip stream" : `corrupt gzip stream (${(e as Error).message})`,
    );
  }
}

function formatOf(bytes: Uint8Array): Format {
  if (bytes[0] === 0x93 && bytes[1] === 0x4e) return "npy";
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return "png";
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0) return "idx";
  return "csv";
}

const inflate = (d: Uint8Array) => new Uint8Array(inflateSync(d));

async function pngDirectory(path: string): Promise<NdArray> {
  const names = (await readdir(path)).filter((n) => n.toLowerCase().endsWith(".png")).sort();
  const images = await Promise.all(
    names.map(async (name) => {
      const file = join(path, name);
      return { file, image: decodePng(await bytesOf(file), inflate, file) };
    }),
  );
  return stackImages(images, path);
}

/** The array in a binary file or PNG directory, or null for CSV text. */
async function readArray(path: string): Promise<{ array: NdArray | null; text: string; format: Format }> {
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isDir) return { array: await pngDirectory(path), text: "", format: "png-dir" };
  const bytes = await bytesOf(path),
    format = formatOf(bytes);
  switch (format) {
    case "npy":
      return { array: parseNpy(bytes, path), text: "", format };
    case "idx":
      return { array: parseIdx(bytes, path), text: "", format };
    case "png":
      return { array: stackImages([{ file: path, image: decodePng(bytes, inflate, path) }], path), text: "", format };
    default:
      return { array: null, text: new TextDecoder().decode(bytes), format };
  }
}

/** Samples from IDX (.gz too), .npy, a PNG file or directory, or CSV. */
export async function readDataFile(
  path: string,
  scale: PixelScale = "symmetric",
): Promise<Dataset & { format: Format }> {
  const { array, text, format } = await readArray(path);
  if (array) return { ...toDataset(array, scale, path), format };
  let csv;
  try {
    csv = parseCsv(text);
  } catch (e) {
    throw new DataFileError(path, (e as Error).message);
  }
  return { data: csv.data, rows: csv.rows, dim: csv.dim, shape: [csv.dim], format };
}

/** Labels from IDX, .npy integers or a one-column CSV; checked against the number of samples when given. */
export async function readLabelsFile(path: string, rows?: number, dataFile = "the data"): Promise<Labels> {
  const { array, text } = await readArray(path);
  const labels = array ? toLabels(array, path) : labelsFromCsv(text, path);
  if (rows !== undefined) checkLabelCount(labels, rows, path, basename(dataFile));
  return labels;
}

// The file a flag names, as a UsageError that names the flag too: "invalid --data 'x.idx': truncated: ...".
async function forFlag<T>(flag: string, path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (!(e instanceof DataFileError)) throw e;
    throw new UsageError(`invalid ${flag} '${path}': ${e.file === path ? e.fault : e.message}`);
  }
}

export const readDataFlag = (flag: string, path: string, scale?: PixelScale) =>
  forFlag(flag, path, () => readDataFile(path, scale));

export const readLabelsFlag = (flag: string, path: string, rows?: number, dataFile?: string) =>
  forFlag(flag, path, () => readLabelsFile(path, rows, dataFile));
