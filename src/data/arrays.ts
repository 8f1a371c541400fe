// What the binary readers (IDX, .npy, PNG) hand over: an n-dimensional array of numbers as stored in the
// file, before any scaling. Rows are the first dimension; the rest is one sample, flattened.

export type DType = "uint8" | "int8" | "int16" | "int32" | "int64" | "float32" | "float64";

export interface NdArray {
  dtype: DType;
  /** Every dimension, rows first. */
  shape: number[];
  /** The values in C order, as many as the product of the shape. */
  values: Uint8Array | Float32Array | Float64Array;
}

/** A data file that cannot be read: one line naming the file and what is wrong with it. */
export class DataFileError extends RangeError {
  constructor(
    readonly file: string,
    readonly fault: string,
  ) {
    super(`${file}: ${fault}`);
    this.name = "DataFileError";
  }
}

export const BYTES: Readonly<Record<DType, number>> = {
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  float32: 4,
  float64: 8,
};

/** Whether the bytes begin a gzip stream (RFC 1952 magic 1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function product(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

/**
 * Reads `count` values of `dtype` from `bytes` at `offset`, in either byte order, into the narrowest
 * array that holds them exactly: uint8 stays bytes, float32 stays float32, every other type goes to
 * float64 (int64 beyond 2^53 is refused, since a float64 would change it).
 */
export function readValues(
  file: string,
  bytes: Uint8Array,
  offset: number,
  count: number,
  dtype: DType,
  littleEndian: boolean,
): NdArray["values"] {
  if (dtype === "uint8") return bytes.slice(offset, offset + count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * BYTES[dtype]);
  const out = dtype === "float32" ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case "int8":
        out[i] = view.getInt8(i);
        break;
      case "int16":
        out[i] = view.getInt16(2 * i, littleEndian);
        break;
      case "int32":
        out[i] = view.getInt32(4 * i, littleEndian);
        break;
      case "int64": {
        const v = view.getBigInt64(8 * i, littleEndian);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))
          throw new DataFileError(file, `value ${v} at index ${i} is beyond the integers a float64 holds exactly`);
        out[i] = Number(v);
        break;
      }
      case "float32":
        out[i] = view.getFloat32(4 * i, littleEndian);
        break;
      case "float64":
        out[i] = view.getFloat64(8 * i, littleEndian);
        break;
    }
  }
  return out;
}

/** The data part must hold exactly the values the header promises: fewer is truncation, more a wrong header. */
export function checkSize(file: string, have: number, shape: readonly number[], dtype: DType): void {
  const need = product(shape) * BYTES[dtype];
  const dims = `dimensions ${shape.join(" x ")} of ${dtype}`;
  if (have < need) throw new DataFileError(file, `truncated: ${dims} need ${need} bytes of data, the file has ${have}`);
  if (have > need)
    throw new DataFileError(file, `${dims} disagree with the file size: ${need} bytes of data expected, ${have} found`);
}
