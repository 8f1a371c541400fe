// NumPy's .npy format (numpy.lib.format): magic "\x93NUMPY", a version, the header's length, then a
// Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (n, d), } padded with spaces to
// a multiple of 64 bytes, then the values. Versions 1.0 (2-byte length) and 2.0 / 3.0 (4-byte) are read.
import { BYTES, checkSize, DataFileError, type DType, type NdArray, product, readValues } from "./arrays.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const KINDS: Readonly<Record<string, DType>> = {
  u1: "uint8",
  b1: "uint8",
  i1: "int8",
  i2: "int16",
  i4: "int32",
  i8: "int64",
  f4: "float32",
  f8: "float64",
};

function field(file: string, header: string, key: string): string {
  const m = new RegExp(`['"]${key}['"]\\s*:\\s*(\\([^)]*\\)|'[^']*'|"[^"]*"|True|False)`).exec(header);
  if (!m) throw new DataFileError(file, `the .npy header has no '${key}': ${header.trim()}`);
  return m[1]!;
}

/** Parses a .npy file: uint8, int8-int64, float32 and float64 in either byte order, C order. */
export function parseNpy(bytes: Uint8Array, file = "npy data"): NdArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new DataFileError(file, "wrong magic number: a .npy file starts with \\x93NUMPY");
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new DataFileError(file, `unknown .npy version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new DataFileError(file, "truncated in the .npy header");
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes + headerLength;
  if (bytes.length < start)
    throw new DataFileError(file, `truncated: the header promises ${headerLength} bytes, the file ends before them`);
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(8 + lengthBytes, start));

  const descr = field(file, header, "descr").slice(1, -1);
  const order = /^[<>|=]/.test(descr) ? descr[0]! : "=";
  const dtype = KINDS[order === "=" && !descr.startsWith("=") ? descr : descr.slice(1)];
  if (dtype === undefined)
    throw new DataFileError(file, `dtype '${descr}' is not supported (uint8, int8-int64, float32, float64)`);
  // '|' (no order, one-byte types) and '=' (native: little on every engine JavaScript runs on) read as little.
  const littleEndian = order !== ">";
  if (field(file, header, "fortran_order") !== "False")
    throw new DataFileError(file, "Fortran order is not supported: save the array in C order");
  const shapeText = field(file, header, "shape");
  const dims = shapeText
    .slice(1, -1)
    .split(",")
    .map((d) => d.trim())
    .filter((d) => d !== "");
  const shape = dims.map(Number);
  if (shape.length === 0) throw new DataFileError(file, "a scalar (shape ()): the data needs at least one dimension");
  if (shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new DataFileError(file, `shape ${shapeText} is not a tuple of whole numbers`);
  checkSize(file, bytes.length - start, shape, dtype);
  return { dtype, shape, values: readValues(file, bytes, start, product(shape), dtype, littleEndian) };
}

/** Writes uint8 or float32 values as a version 1.0 .npy file (little-endian, C order). */
export function encodeNpy(values: Uint8Array | Float32Array, shape: readonly number[]): Uint8Array {
  const descr = values instanceof Uint8Array ? "|u1" : "<f4";
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  // Magic, version and length take 10 bytes; the header ends in a newline and pads the data to 64 bytes.
  header = header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1, " ") + "\n";
  const size = values.length * BYTES[values instanceof Uint8Array ? "uint8" : "float32"];
  const out = new Uint8Array(10 + header.length + size);
  out.set(MAGIC);
  out[6] = 1;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const data = new DataView(out.buffer, 10 + header.length);
  if (values instanceof Uint8Array) out.set(values, 10 + header.length);
  else values.forEach((v, i) => data.setFloat32(4 * i, v, true));
  return out;
}
