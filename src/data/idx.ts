// IDX, the format of MNIST, Fashion-MNIST and EMNIST (LeCun's): two zero bytes, a type code, the rank,
// then each dimension as a big-endian uint32, then the values in C order, big-endian. Decompressing a
// .gz is the caller's job (node:zlib in the CLI, DecompressionStream on a page), so this runs anywhere.
import { BYTES, checkSize, DataFileError, type DType, isGzip, type NdArray, product, readValues } from "./arrays.js";

const TYPES: Readonly<Record<number, DType>> = {
  0x08: "uint8",
  0x09: "int8",
  0x0b: "int16",
  0x0c: "int32",
  0x0d: "float32",
  0x0e: "float64",
};
const CODES = new Map(Object.entries(TYPES).map(([code, t]) => [t, Number(code)]));

/** Parses an uncompressed IDX file of any rank >= 1. */
export function parseIdx(bytes: Uint8Array, file = "IDX data"): NdArray {
  if (isGzip(bytes)) throw new DataFileError(file, "gzip-compressed: decompress it before parsing");
  if (bytes.length < 4) throw new DataFileError(file, `truncated: ${bytes.length} bytes, an IDX header needs 4`);
  const type = TYPES[bytes[2]!];
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new DataFileError(
      file,
      `wrong magic number ${magic}: an IDX file starts 00 00, a type code (08 09 0b 0c 0d 0e) and its rank`,
    );
  }
  const rank = bytes[3]!;
  if (rank === 0) throw new DataFileError(file, "rank 0: an IDX data file needs at least one dimension");
  const header = 4 + 4 * rank;
  if (bytes.length < header)
    throw new DataFileError(
      file,
      `truncated: the header of rank ${rank} needs ${header} bytes, the file has ${bytes.length}`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, header);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  checkSize(file, bytes.length - header, shape, type);
  return { dtype: type, shape, values: readValues(file, bytes, header, product(shape), type, false) };
}

/** Writes uint8 or float32 values as an uncompressed IDX file. */
export function encodeIdx(values: Uint8Array | Float32Array, shape: readonly number[]): Uint8Array {
  const dtype: DType = values instanceof Uint8Array ? "uint8" : "float32";
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + values.length * BYTES[dtype]);
  const view = new DataView(out.buffer);
  out[2] = CODES.get(dtype)!;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  if (values instanceof Uint8Array) out.set(values, header);
  else values.forEach((v, i) => view.setFloat32(header + 4 * i, v, false));
  return out;
}
