// A small PNG codec for image data sets and sample grids: 8-bit grayscale, gray + alpha, RGB and RGBA,
// non-interlaced (what image tools write by default); alpha is dropped. The zlib stream inside is
// inflated and deflated by functions the caller passes (node:zlib in the CLI, CompressionStream on a
// page), so the codec has no platform dependency.
import { DataFileError, type NdArray } from "./arrays.js";

export type Inflate = (data: Uint8Array) => Uint8Array;
export type Deflate = (data: Uint8Array) => Uint8Array;

export interface Image {
  width: number;
  height: number;
  /** 1 (gray) or 3 (RGB). */
  channels: 1 | 3;
  /** [height, width, channels] bytes. */
  pixels: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// Samples per pixel of each colour type, and which of them is alpha.
const COLOR: Readonly<Record<number, { samples: number; keep: 1 | 3 }>> = {
  0: { samples: 1, keep: 1 },
  2: { samples: 3, keep: 3 },
  4: { samples: 2, keep: 1 },
  6: { samples: 4, keep: 3 },
};

let crcTable: Uint32Array | null = null;
function crc32(bytes: Uint8Array, from: number, to: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = from; i < to; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c,
    pa = Math.abs(p - a),
    pb = Math.abs(p - b),
    pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes one PNG file into gray or RGB bytes. */
export function decodePng(bytes: Uint8Array, inflate: Inflate, file = "PNG data"): Image {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b))
    throw new DataFileError(file, "wrong magic number: not a PNG file (no \\x89PNG signature)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let at = 8,
    width = 0,
    height = 0,
    color = { samples: 1, keep: 1 as 1 | 3 },
    ended = false;
  const idat: Uint8Array[] = [];
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new DataFileError(file, `truncated: a chunk header at byte ${at} is cut off`);
    const length = view.getUint32(at, false),
      type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length)
      throw new DataFileError(file, `truncated: chunk ${type} needs ${length} bytes, the file ends first`);
    if (crc32(bytes, at + 4, at + 8 + length) !== view.getUint32(at + 8 + length, false))
      throw new DataFileError(file, `corrupt: chunk ${type} at byte ${at} fails its CRC`);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      const d = new DataView(data.buffer, data.byteOffset, data.length);
      width = d.getUint32(0, false);
      height = d.getUint32(4, false);
      const depth = data[8]!,
        colorType = data[9]!,
        interlace = data[12]!;
      if (depth !== 8) throw new DataFileError(file, `bit depth ${depth} is not supported (8 bits per sample)`);
      const c = COLOR[colorType];
      if (!c)
        throw new DataFileError(
          file,
          `colour type ${colorType} (palette) is not supported: gray, gray+alpha, RGB, RGBA`,
        );
      if (interlace !== 0) throw new DataFileError(file, "interlaced PNG is not supported");
      color = c;
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") {
      ended = true;
      break;
    }
    at += 12 + length;
  }
  if (width === 0 || height === 0) throw new DataFileError(file, "no IHDR chunk (or a zero-sized image)");
  if (!ended) throw new DataFileError(file, "truncated: no IEND chunk");
  const joined = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  idat.reduce((o, c) => (joined.set(c, o), o + c.length), 0);
  let raw: Uint8Array;
  try {
    raw = inflate(joined);
  } catch (e) {
    throw new DataFileError(file, `corrupt image data: ${(e as Error).message}`);
  }
  const bpp = color.samples,
    stride = width * bpp;
  if (raw.length < height * (stride + 1))
    throw new DataFileError(file, `truncated image data: ${raw.length} bytes for ${height} rows of ${stride + 1}`);

  // Undo the per-row filters (PNG spec 9.2) in place, into a copy without the filter bytes.
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!,
      src = y * (stride + 1) + 1,
      dst = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? rows[dst + x - bpp]! : 0,
        b = y > 0 ? rows[dst - stride + x]! : 0,
        c = x >= bpp && y > 0 ? rows[dst - stride + x - bpp]! : 0;
      const v = raw[src + x]!;
      let out: number;
      if (filter === 0) out = v;
      else if (filter === 1) out = v + a;
      else if (filter === 2) out = v + b;
      else if (filter === 3) out = v + ((a + b) >> 1);
      else if (filter === 4) out = v + paeth(a, b, c);
      else throw new DataFileError(file, `corrupt image data: row ${y} has filter type ${filter}`);
      rows[dst + x] = out & 0xff;
    }
  }
  if (color.samples === color.keep) return { width, height, channels: color.keep, pixels: rows };
  const pixels = new Uint8Array(width * height * color.keep);
  for (let p = 0; p < width * height; p++)
    for (let k = 0; k < color.keep; k++) pixels[p * color.keep + k] = rows[p * color.samples + k]!;
  return { width, height, channels: color.keep, pixels };
}

/** Encodes gray or RGB bytes as a PNG file (filter type 0 on every row). */
export function encodePng(image: Image, deflate: Deflate): Uint8Array {
  const { width, height, channels, pixels } = image,
    stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const ihdr = new Uint8Array(13);
  const h = new DataView(ihdr.buffer);
  h.setUint32(0, width, false);
  h.setUint32(4, height, false);
  ihdr[8] = 8;
  ihdr[9] = channels === 1 ? 0 : 2;
  const chunks: [string, Uint8Array][] = [
    ["IHDR", ihdr],
    ["IDAT", deflate(raw)],
    ["IEND", new Uint8Array(0)],
  ];
  const out = new Uint8Array(8 + chunks.reduce((n, [, d]) => n + 12 + d.length, 0));
  const view = new DataView(out.buffer);
  out.set(SIGNATURE);
  let at = 8;
  for (const [type, data] of chunks) {
    view.setUint32(at, data.length, false);
    for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i);
    out.set(data, at + 8);
    view.setUint32(at + 8 + data.length, crc32(out, at + 4, at + 8 + data.length), false);
    at += 12 + data.length;
  }
  return out;
}

/** Stacks same-size images (in the order given) into one array [images, height, width(, 3)]. */
export function stackImages(images: readonly { file: string; image: Image }[], what = "image directory"): NdArray {
  if (images.length === 0) throw new DataFileError(what, "no PNG images found");
  const first = images[0]!;
  const { width, height, channels } = first.image,
    size = width * height * channels;
  const values = new Uint8Array(images.length * size);
  images.forEach(({ file, image }, i) => {
    if (image.width !== width || image.height !== height || image.channels !== channels) {
      const desc = (m: Image) => `${m.width}x${m.height} ${m.channels === 1 ? "gray" : "RGB"}`;
      throw new DataFileError(
        file,
        `mixed image sizes: ${desc(image)}, but ${first.file} is ${desc(first.image)} (all images must match)`,
      );
    }
    values.set(image.pixels, i * size);
  });
  const shape = channels === 1 ? [images.length, height, width] : [images.length, height, width, channels];
  return { dtype: "uint8", shape, values };
}
