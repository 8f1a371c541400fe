// The IDX, .npy and PNG readers on small files made by hand here (header bytes written out one by one),
// PNG files made by pngjs (an independent encoder, every filter type), and the CLI's file reader on
// gzip-compressed, truncated and mismatched files.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateSync, gzipSync, inflateSync } from "node:zlib";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { DataFileError } from "../src/data/arrays.js";
import { encodeIdx, parseIdx } from "../src/data/idx.js";
import { encodeNpy, parseNpy } from "../src/data/npy.js";
import { decodePng, encodePng, stackImages } from "../src/data/png.js";
import { labelsFromCsv, toDataset, toLabels } from "../src/data/dataset.js";
import { readDataFile, readLabelsFile } from "../src/cli/datafile.js";

const inflate = (d: Uint8Array) => new Uint8Array(inflateSync(d));
const deflate = (d: Uint8Array) => new Uint8Array(deflateSync(d));

function bytes(...parts: (number[] | Uint8Array)[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}
const be32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

function fault(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataFileError);
    return (e as Error).message;
  }
  throw new Error("expected a DataFileError");
}

describe("IDX", () => {
  it("reads uint8 of rank 3 (rows = first dimension) and every other type big-endian", () => {
    const a = parseIdx(bytes([0, 0, 8, 3], be32(2), be32(2), be32(3), [...Array(12).keys()]));
    expect(a.dtype).toBe("uint8");
    expect(a.shape).toEqual([2, 2, 3]);
    expect(Array.from(a.values)).toEqual([...Array(12).keys()]);

    const f32 = parseIdx(bytes([0, 0, 0x0d, 2], be32(1), be32(2), [0x3f, 0x80, 0, 0], [0xc0, 0x20, 0, 0]));
    expect(Array.from(f32.values)).toEqual([1, -2.5]);
    const i16 = parseIdx(bytes([0, 0, 0x0b, 1], be32(2), [0xff, 0xfe], [0x01, 0x00]));
    expect(Array.from(i16.values)).toEqual([-2, 256]);
    const i32 = parseIdx(bytes([0, 0, 0x0c, 1], be32(1), [0x80, 0, 0, 0]));
    expect(Array.from(i32.values)).toEqual([-(2 ** 31)]);
    const i8 = parseIdx(bytes([0, 0, 0x09, 1], be32(2), [0xff, 0x7f]));
    expect(Array.from(i8.values)).toEqual([-1, 127]);
    const f64 = parseIdx(bytes([0, 0, 0x0e, 1], be32(1), [0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18]));
    expect(f64.values[0]).toBe(Math.PI);
  });

  it("round-trips what encodeIdx writes, uint8 and float32", () => {
    const u = Uint8Array.from([0, 1, 254, 255, 7, 9]);
    expect(parseIdx(encodeIdx(u, [3, 2]))).toEqual({ dtype: "uint8", shape: [3, 2], values: u });
    const f = Float32Array.from([0.1, -3, 1e-30, 7]);
    const back = parseIdx(encodeIdx(f, [2, 1, 2]));
    expect(back.shape).toEqual([2, 1, 2]);
    expect(Array.from(back.values)).toEqual(Array.from(f));
  });

  it("refuses a wrong magic number, rank 0, a short header, truncated data and extra bytes", () => {
    expect(fault(() => parseIdx(bytes([1, 0, 8, 1], be32(1), [5]), "x.idx"))).toMatch(
      /^x\.idx: wrong magic number 01 00 08 01/,
    );
    expect(fault(() => parseIdx(bytes([0, 0, 7, 1], be32(1), [5])))).toMatch(/wrong magic number 00 00 07 01/);
    expect(fault(() => parseIdx(bytes([0, 0, 8, 0])))).toMatch(/rank 0/);
    expect(fault(() => parseIdx(bytes([0, 0, 8, 2], be32(1))))).toMatch(
      /truncated: the header of rank 2 needs 12 bytes/,
    );
    expect(fault(() => parseIdx(bytes([0, 0, 8, 2], be32(2), be32(3), [1, 2, 3, 4, 5]), "t.idx"))).toBe(
      "t.idx: truncated: dimensions 2 x 3 of uint8 need 6 bytes of data, the file has 5",
    );
    expect(fault(() => parseIdx(bytes([0, 0, 0x0d, 1], be32(1), [0, 0, 0, 0, 0])))).toMatch(
      /dimensions 1 of float32 disagree with the file size: 4 bytes of data expected, 5 found/,
    );
    expect(fault(() => parseIdx(gzipSync(encodeIdx(Uint8Array.of(1), [1]))))).toMatch(/gzip-compressed/);
  });
});

// A .npy header as numpy writes it: the dict, padded with spaces and a newline to a multiple of 64.
function npy(descr: string, shape: string, data: number[], opts: { version?: number; fortran?: boolean } = {}) {
  const version = opts.version ?? 1,
    lengthBytes = version === 1 ? 2 : 4;
  let header = `{'descr': '${descr}', 'fortran_order': ${opts.fortran ? "True" : "False"}, 'shape': ${shape}, }`;
  const total = Math.ceil((8 + lengthBytes + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 8 - lengthBytes - 1, " ") + "\n";
  const len =
    version === 1 ? [header.length & 255, header.length >> 8] : [header.length & 255, header.length >> 8, 0, 0];
  return bytes([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0], len, new TextEncoder().encode(header), data);
}

describe(".npy", () => {
  it("reads uint8, float32 and float64 in both byte orders, versions 1.0 and 2.0", () => {
    const u = parseNpy(npy("|u1", "(2, 3)", [1, 2, 3, 4, 5, 255]));
    expect(u).toEqual({ dtype: "uint8", shape: [2, 3], values: Uint8Array.from([1, 2, 3, 4, 5, 255]) });
    const f = parseNpy(npy("<f4", "(2,)", [0, 0, 0x80, 0x3f, 0, 0, 0x20, 0xc0]));
    expect(f.dtype).toBe("float32");
    expect(Array.from(f.values)).toEqual([1, -2.5]);
    const fb = parseNpy(npy(">f4", "(1, 1)", [0x3f, 0x80, 0, 0]));
    expect(Array.from(fb.values)).toEqual([1]);
    const d = parseNpy(npy(">f8", "(1,)", [0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18], { version: 2 }));
    expect(d.values[0]).toBe(Math.PI);
    const i = parseNpy(npy("<i8", "(2,)", [7, 0, 0, 0, 0, 0, 0, 0, 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect(Array.from(i.values)).toEqual([7, -3]);
    const i4 = parseNpy(npy("<i4", "(1,)", [0xff, 0xff, 0xff, 0x7f]));
    expect(Array.from(i4.values)).toEqual([2 ** 31 - 1]);
  });

  it("round-trips what encodeNpy writes, and its header is 64-byte aligned as numpy's", () => {
    const f = Float32Array.from([1.5, -2, 3e-8]);
    const file = encodeNpy(f, [3, 1]);
    expect((10 + (file[8]! | (file[9]! << 8))) % 64).toBe(0);
    const back = parseNpy(file);
    expect(back.shape).toEqual([3, 1]);
    expect(Array.from(back.values)).toEqual(Array.from(f));
    expect(parseNpy(encodeNpy(Uint8Array.of(9, 8), [2])).values).toEqual(Uint8Array.of(9, 8));
  });

  it("refuses a wrong magic, Fortran order, a scalar, an unknown dtype, truncation and extra bytes", () => {
    expect(fault(() => parseNpy(bytes([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x58, 1, 0, 0, 0]), "a.npy"))).toMatch(
      /^a\.npy: wrong magic number/,
    );
    expect(fault(() => parseNpy(npy("<f4", "(1,)", [0, 0, 0, 0], { fortran: true })))).toMatch(/Fortran order/);
    expect(fault(() => parseNpy(npy("<f4", "()", [0, 0, 0, 0])))).toMatch(/scalar/);
    expect(fault(() => parseNpy(npy("<c8", "(1,)", [0, 0, 0, 0, 0, 0, 0, 0])))).toMatch(/dtype '<c8' is not supported/);
    expect(fault(() => parseNpy(npy("<f4", "(2, 2)", [0, 0, 0, 0])))).toMatch(
      /truncated: dimensions 2 x 2 of float32 need 16 bytes of data, the file has 4/,
    );
    expect(fault(() => parseNpy(npy("|u1", "(2,)", [1, 2, 3])))).toMatch(/disagree with the file size/);
    expect(fault(() => parseNpy(npy("|u1", "(2,)", [1, 2]).subarray(0, 40)))).toMatch(/truncated: the header promises/);
  });
});

function pngjsFile(width: number, height: number, colorType: number, samples: number, filterType: number, seed = 1) {
  const png = new PNG({ width, height, colorType: colorType as 0, inputColorType: colorType as 0, bitDepth: 8 });
  png.data = Buffer.from(Array.from({ length: width * height * samples }, (_, i) => (i * 37 + seed * 11) % 256));
  const hasAlpha = colorType === 4 || colorType === 6;
  const file = PNG.sync.write(png, {
    colorType: colorType as 0,
    inputColorType: colorType as 0,
    filterType,
    inputHasAlpha: hasAlpha,
  });
  return { file: new Uint8Array(file), data: png.data };
}

describe("PNG", () => {
  it("decodes gray, gray+alpha, RGB and RGBA written by pngjs with every filter type (alpha dropped)", () => {
    for (const [colorType, samples, keep] of [
      [0, 1, 1],
      [4, 2, 1],
      [2, 3, 3],
      [6, 4, 3],
    ] as const) {
      for (const filterType of [0, 1, 2, 3, 4, -1]) {
        const { file, data } = pngjsFile(7, 5, colorType, samples, filterType);
        const img = decodePng(file, inflate);
        expect([img.width, img.height, img.channels]).toEqual([7, 5, keep]);
        const want = Uint8Array.from(
          { length: 35 * keep },
          (_, i) => data[Math.floor(i / keep) * samples + (i % keep)]!,
        );
        expect(img.pixels, `colour type ${colorType}, filter ${filterType}`).toEqual(want);
      }
    }
  });

  it("encodes gray and RGB that pngjs reads back", () => {
    const gray = Uint8Array.from({ length: 6 * 4 }, (_, i) => i * 10);
    const back = PNG.sync.read(Buffer.from(encodePng({ width: 6, height: 4, channels: 1, pixels: gray }, deflate)));
    expect([back.width, back.height]).toEqual([6, 4]);
    expect(Array.from({ length: 24 }, (_, i) => back.data[4 * i])).toEqual(Array.from(gray));
    const rgb = Uint8Array.from({ length: 2 * 3 * 3 }, (_, i) => 255 - i);
    const c = PNG.sync.read(Buffer.from(encodePng({ width: 2, height: 3, channels: 3, pixels: rgb }, deflate)));
    expect(Array.from({ length: 18 }, (_, i) => c.data[4 * Math.floor(i / 3) + (i % 3)])).toEqual(Array.from(rgb));
  });

  it("refuses a wrong signature, a bad CRC, truncation, 16-bit depth and a palette", () => {
    const { file } = pngjsFile(4, 4, 0, 1, 0);
    expect(fault(() => decodePng(file.slice(1), inflate, "a.png"))).toMatch(/^a\.png: wrong magic number/);
    const bad = file.slice();
    bad[20]! ^= 1; // inside IHDR's width
    expect(fault(() => decodePng(bad, inflate))).toMatch(/chunk IHDR at byte 8 fails its CRC/);
    expect(fault(() => decodePng(file.subarray(0, file.length - 20), inflate))).toMatch(/truncated/);
    const deep = new PNG({ width: 2, height: 2, bitDepth: 16, colorType: 0, inputColorType: 0 });
    deep.data = Buffer.alloc(2 * 2 * 2);
    const file16 = PNG.sync.write(deep, { bitDepth: 16, colorType: 0, inputColorType: 0 });
    expect(fault(() => decodePng(new Uint8Array(file16), inflate))).toMatch(/bit depth 16 is not supported/);
    // Colour type 3 (palette) in IHDR, its CRC recomputed by zlib's crc32.
    const pal = encodePng({ width: 1, height: 1, channels: 1, pixels: Uint8Array.of(0) }, deflate);
    pal[25] = 3;
    new DataView(pal.buffer).setUint32(29, crc32(pal.subarray(12, 29)), false);
    expect(fault(() => decodePng(pal, inflate))).toMatch(/colour type 3 \(palette\) is not supported/);
  });

  it("stacks same-size images and names the odd one out", () => {
    const a = decodePng(pngjsFile(3, 2, 0, 1, 0, 1).file, inflate),
      b = decodePng(pngjsFile(3, 2, 0, 1, 0, 2).file, inflate);
    const s = stackImages([
      { file: "a.png", image: a },
      { file: "b.png", image: b },
    ]);
    expect(s.shape).toEqual([2, 2, 3]);
    expect(s.values).toEqual(Uint8Array.from([...a.pixels, ...b.pixels]));
    const c = decodePng(pngjsFile(2, 3, 0, 1, 0).file, inflate);
    expect(
      fault(() =>
        stackImages([
          { file: "a.png", image: a },
          { file: "c.png", image: c },
        ]),
      ),
    ).toBe("c.png: mixed image sizes: 2x3 gray, but a.png is 3x2 gray (all images must match)");
  });
});

describe("datasets and labels", () => {
  it("scales uint8 to [-1, 1] by default, to [0, 1] or not at all on request; floats stay as they are", () => {
    const a = { dtype: "uint8" as const, shape: [1, 3], values: Uint8Array.of(0, 51, 255) };
    expect(Array.from(toDataset(a).data)).toEqual([-1, Math.fround(51 / 127.5 - 1), 1]);
    expect(Array.from(toDataset(a, "unit").data)).toEqual([0, Math.fround(0.2), 1]);
    expect(Array.from(toDataset(a, "none").data)).toEqual([0, 51, 255]);
    const f = toDataset({ dtype: "float32", shape: [2, 2, 1], values: Float32Array.of(2, 3, 4, 5) });
    expect([f.rows, f.dim, f.shape, Array.from(f.data)]).toEqual([2, 2, [2, 1], [2, 3, 4, 5]]);
  });

  it("maps label values to classes in increasing order, from arrays and one-column CSV", () => {
    const l = toLabels({ dtype: "uint8", shape: [4], values: Uint8Array.of(7, 3, 7, 7) });
    expect(l.values).toEqual([3, 7]);
    expect(Array.from(l.classes)).toEqual([1, 0, 1, 1]);
    const c = labelsFromCsv("label\n9\n-1\n9\n", "l.csv");
    expect([c.values, Array.from(c.classes)]).toEqual([
      [-1, 9],
      [1, 0, 1],
    ]);
    expect(fault(() => labelsFromCsv("1,2\n3,4\n", "l.csv"))).toBe("l.csv: 2 columns: a labels CSV has one column");
    expect(fault(() => labelsFromCsv("1\n2.5\n", "l.csv"))).toBe("l.csv: label 2.5 at row 2 is not a whole number");
    expect(fault(() => toLabels({ dtype: "uint8", shape: [2, 2], values: Uint8Array.of(1, 2, 3, 4) }))).toMatch(
      /one value per row/,
    );
  });
});

describe("the CLI's file reader", () => {
  const dir = mkdtempSync(join(tmpdir(), "simdgan-readers-"));
  const images = encodeIdx(
    Uint8Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20),
    [3, 2, 2],
  );

  it("reads raw and gzip-compressed IDX, .npy, a PNG directory and CSV by their content", async () => {
    writeFileSync(join(dir, "img.idx"), images);
    writeFileSync(join(dir, "img.idx.gz"), gzipSync(images));
    const raw = await readDataFile(join(dir, "img.idx")),
      gz = await readDataFile(join(dir, "img.idx.gz"));
    expect([raw.format, raw.rows, raw.dim, raw.shape]).toEqual(["idx", 3, 4, [2, 2]]);
    expect(gz.data).toEqual(raw.data);
    writeFileSync(join(dir, "x.npy"), encodeNpy(Float32Array.of(1, 2, 3, 4), [2, 2]));
    expect(Array.from((await readDataFile(join(dir, "x.npy"))).data)).toEqual([1, 2, 3, 4]);
    mkdirSync(join(dir, "pngs"));
    for (const s of [2, 1]) writeFileSync(join(dir, "pngs", `${s}.png`), pngjsFile(3, 2, 2, 3, 0, s).file);
    const p = await readDataFile(join(dir, "pngs"), "none");
    expect([p.format, p.rows, p.shape]).toEqual(["png-dir", 2, [2, 3, 3]]);
    expect(Array.from(p.data.subarray(0, 18))).toEqual(Array.from(pngjsFile(3, 2, 2, 3, 0, 1).data));
    writeFileSync(join(dir, "d.csv"), "a,b\n1,2\n");
    expect((await readDataFile(join(dir, "d.csv"))).format).toBe("csv");
  });

  it("refuses truncated gzip, mixed PNG sizes and a label count that differs from the sample count", async () => {
    const gz = gzipSync(images);
    writeFileSync(join(dir, "cut.idx.gz"), gz.subarray(0, gz.length - 6));
    await expect(readDataFile(join(dir, "cut.idx.gz"))).rejects.toThrow(/cut\.idx\.gz: truncated gzip stream/);
    mkdirSync(join(dir, "mixed"));
    writeFileSync(join(dir, "mixed", "a.png"), pngjsFile(3, 2, 0, 1, 0).file);
    writeFileSync(join(dir, "mixed", "b.png"), pngjsFile(3, 3, 0, 1, 0).file);
    await expect(readDataFile(join(dir, "mixed"))).rejects.toThrow(/b\.png: mixed image sizes: 3x3 gray, but .*a\.png/);
    writeFileSync(join(dir, "labels.idx"), encodeIdx(Uint8Array.of(1, 2), [2]));
    await expect(readLabelsFile(join(dir, "labels.idx"), 3, "img.idx")).rejects.toThrow(
      /labels\.idx: label count 2 differs from the 3 samples of img\.idx/,
    );
    const l = await readLabelsFile(join(dir, "labels.idx"), 2);
    expect(l.values).toEqual([1, 2]);
    await expect(readDataFile(join(dir, "none.idx"))).rejects.toThrow(/none\.idx: cannot read: no such file/);
  });
});
