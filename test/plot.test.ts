// The --plot charts and the terminal histogram, rendered from real training runs.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGAN } from "../src/train/gan.js";
import { OptionError } from "../src/errors.js";
import { COLORS, LABELS, trainingPlotSpec, type PlotInput } from "../src/plot/spec.js";
import { plotFormat, renderPlot, renderSVG } from "../src/plot/render.js";
import { terminalHistogram } from "../src/plot/terminal.js";
import { testRandom } from "./helpers.js";

let dir = "";
let oneD: PlotInput, twoD: PlotInput;

function normals(n: number, mean: number, seed: number): Float32Array {
  const rand = testRandom(seed),
    out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "simdgan-plot-"));
  const gan = await createGAN({ seed: 5 });
  const run = gan.train({ epochs: 60 });
  const grid = Float32Array.from({ length: 121 }, (_, i) => -4 + i / 15);
  oneD = {
    dim: 1,
    real: gan.realData(),
    fake: gan.generate(1000),
    dCurve: { x: grid, d: gan.discriminate(grid) },
    reports: run.reports,
  };

  // A ring: 2-D data whose real and generated clouds look nothing alike early in training.
  const rand = testRandom(11),
    ring = new Float32Array(1200);
  for (let i = 0; i < 600; i++) {
    const t = 2 * Math.PI * rand(),
      r = 2 + 0.1 * (rand() - 0.5);
    ring[2 * i] = r * Math.cos(t);
    ring[2 * i + 1] = r * Math.sin(t);
  }
  const gan2 = await createGAN({ seed: 5, data: ring, dim: 2 });
  const run2 = gan2.train({ epochs: 30 });
  twoD = { dim: 2, real: gan2.realData(), fake: gan2.generate(800), reports: run2.reports, title: "ring" };
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Node = Record<string, unknown>;

// Every element of the parsed SVG, depth first, with its tag.
function* elements(node: unknown, tag = ""): Generator<{ tag: string; node: Node }> {
  if (Array.isArray(node)) {
    for (const n of node) yield* elements(n, tag);
    return;
  }
  if (node === null || typeof node !== "object") return;
  yield { tag, node: node as Node };
  for (const [key, child] of Object.entries(node))
    if (!key.startsWith("@_") && key !== "#text") yield* elements(child, key);
}

function parseSVG(svg: string) {
  expect(XMLValidator.validate(svg)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, trimValues: false }).parse(svg) as Node;
  const all = [...elements(doc.svg, "svg")];
  const texts = all.filter((e) => e.tag === "text").map((e) => String(e.node["#text"] ?? ""));
  const marks = all
    .filter((e) => e.node["@_role"] === "graphics-symbol")
    .map((e) => String(e.node["@_aria-label"] ?? ""));
  const root = doc.svg as Node;
  return { texts, marks, all, width: Number(root["@_width"]), height: Number(root["@_height"]) };
}

/** Marks drawn for a series (vega labels each with its fields, the series last). */
function seriesMarks(marks: string[], label: string, kind?: RegExp): string[] {
  return marks.filter((m) => m.endsWith(`series: ${label}`) && (!kind || kind.test(m)));
}

function hex(color: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) as [number, number, number];
}

function readPNG(bytes: Buffer) {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const png = PNG.sync.read(bytes);
  const pixel = (x: number, y: number) => {
    const o = 4 * (y * png.width + x);
    return [png.data[o]!, png.data[o + 1]!, png.data[o + 2]!] as const;
  };
  const near = (p: readonly number[], c: readonly number[], tol: number) =>
    p.every((v, i) => Math.abs(v - c[i]!) <= tol);
  const count = (test: (p: readonly number[]) => boolean, x0 = 0, y0 = 0, x1 = png.width, y1 = png.height) => {
    let n = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (test(pixel(x, y))) n++;
    return n;
  };
  return { png, near, count };
}

describe("trainingPlotSpec", () => {
  it("keeps the data small and the spec plain JSON", () => {
    const big = {
      ...twoD,
      real: new Float32Array(200_000).map((_, i) => Math.sin(i)),
      fake: new Float32Array(200_000).map((_, i) => Math.cos(i)),
    };
    const text = JSON.stringify(trainingPlotSpec(big));
    expect(text.length).toBeLessThan(400_000);
    expect(JSON.parse(text)).toEqual(trainingPlotSpec(big)); // deterministic, nothing but JSON values
  });

  it("rejects rows that do not divide by dim and a D(x) grid of the wrong length", () => {
    expect(() => trainingPlotSpec({ ...twoD, real: new Float32Array(5) })).toThrow(/whole rows of 2/);
    expect(() => trainingPlotSpec({ ...oneD, dCurve: { x: new Float32Array(3), d: new Float32Array(2) } })).toThrow(
      /dCurve/,
    );
  });
});

describe("renderPlot", () => {
  it("draws 1-D histograms, density curves, D(x), losses and KL to a well-formed SVG", async () => {
    const path = join(dir, "one.svg");
    await renderPlot(trainingPlotSpec(oneD), path);
    const svg = parseSVG(await readFile(path, "utf8"));
    expect(svg.width).toBeGreaterThan(500);
    expect(svg.height).toBeGreaterThan(500);
    for (const label of [LABELS.real, LABELS.fake, LABELS.d, LABELS.dLoss, LABELS.gLoss, "KL"]) {
      expect(svg.texts, `legend label ${label}`).toContain(label);
      expect(seriesMarks(svg.marks, label).length, `marks of ${label}`).toBeGreaterThan(0);
    }
    // 40 histogram bars per series over the same bins, and one density curve each.
    const bars = (label: string) => seriesMarks(svg.marks, label, /density: /).filter((m) => m.includes("x1: "));
    expect(bars(LABELS.real)).toHaveLength(40);
    expect(bars(LABELS.fake).map((m) => m.split(";")[0])).toEqual(bars(LABELS.real).map((m) => m.split(";")[0]));
    // The D(x) line is dashed in D's colour, and D = 0.5 is marked.
    const lines = svg.all.filter(
      (e) => e.tag === "path" && e.node["@_stroke"] === COLORS.d && e.node["@_stroke-dasharray"],
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(svg.texts).toContain("D(x)");
  });

  it("draws a 2-D scatter of real vs generated; a metric with no finite value gets no panel", async () => {
    const path = join(dir, "two.svg");
    // The trainer reports 2-D KL as the mean over marginals; blank it to check that an empty panel is dropped.
    await renderPlot(trainingPlotSpec({ ...twoD, reports: twoD.reports.map((r) => ({ ...r, kl: NaN })) }), path);
    const svg = parseSVG(await readFile(path, "utf8"));
    expect(svg.texts).toContain("ring");
    for (const label of [LABELS.real, LABELS.fake, LABELS.dLoss, LABELS.gLoss]) expect(svg.texts).toContain(label);
    expect(seriesMarks(svg.marks, LABELS.real, /^x₁: .*; x₂: /)).toHaveLength(600);
    expect(seriesMarks(svg.marks, LABELS.fake, /^x₁: .*; x₂: /)).toHaveLength(800);
    // No finite KL: no metric panel; and no D(x) series in 2-D.
    expect(svg.texts).not.toContain("KL");
    expect(svg.texts).not.toContain(LABELS.d);
  });

  it("rasterises to a PNG with colour and legible text", async () => {
    for (const [name, input] of [
      ["one", oneD],
      ["two", twoD],
    ] as const) {
      const spec = trainingPlotSpec(input),
        path = join(dir, `${name}.png`);
      await renderPlot(spec, path);
      const { png, near, count } = readPNG(await readFile(path));
      const svg = parseSVG(await renderSVG(spec));
      expect(png.width).toBe(2 * svg.width); // drawn at twice the SVG's size
      expect(png.height).toBe(2 * svg.height);
      const white = count((p) => near(p, [255, 255, 255], 0));
      expect(white).toBeGreaterThan(0.3 * png.width * png.height);
      expect(white).toBeLessThan(0.97 * png.width * png.height);
      for (const c of [COLORS.real, COLORS.fake, COLORS.dLoss])
        expect(
          count((p) => near(p, hex(c), 12)),
          `${name}: ${c}`,
        ).toBeGreaterThan(200);
      // Only the title's glyphs are dark in the top-left corner: text was drawn with a font.
      expect(count((p) => p.every((v) => v < 90), 0, 0, 400, 70)).toBeGreaterThan(150);
    }
  });

  it("rejects other extensions, naming the flag, the value and what is allowed", async () => {
    const spec = trainingPlotSpec(oneD),
      path = join(dir, "chart.pdf");
    const failure = renderPlot(spec, path);
    await expect(failure).rejects.toBeInstanceOf(OptionError);
    // The library names its own argument; the CLI alone speaks of --plot.
    await expect(failure).rejects.toThrow(/^invalid plot: .*chart\.pdf.*\.svg.*\.png/);
    expect(() => plotFormat("plot")).toThrow(OptionError);
    expect(plotFormat("OUT.PNG")).toBe("png");
    // Nothing but the finished images is left behind: no .pdf, no temp files.
    expect((await readdir(dir)).sort()).toEqual(["one.png", "one.svg", "two.png", "two.svg"]);
  });
});

describe("terminalHistogram", () => {
  const real = normals(4000, 0, 1);

  function columns(text: string, glyph: string): number[] {
    const hits: number[] = [];
    for (const line of text.split("\n"))
      [...line].forEach((ch, i) => {
        if (ch === glyph) hits.push(i);
      });
    return hits;
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it("is height rows of bars plus axis, labels and legend, none wider than width", () => {
    const text = terminalHistogram(real, normals(4000, 0, 2), { width: 60, height: 12, bins: 20 });
    const lines = text.split("\n");
    expect(lines).toHaveLength(12 + 3);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(60);
    expect(lines[12]).toBe("─".repeat(59)); // 20 bins of 3 cells, less the last gap
    expect(lines[13]).toMatch(/^-?\d.*\d$/);
    expect(lines[14]).toBe("█ real  ▒ generated");
    // The tallest bar reaches the top row.
    expect(lines[0]).toMatch(/[█▒]/);
  });

  it("puts a shifted generated distribution in different bins", () => {
    const text = terminalHistogram(real, normals(4000, 5, 3), { width: 72, height: 10, bins: 24 });
    const r = columns(text, "█"),
      f = columns(text, "▒");
    expect(r.length).toBeGreaterThan(0);
    expect(f.length).toBeGreaterThan(0);
    // N(0, 1) and N(5, 1) over [-4, 9]: their centres lie about 5/13 of the width apart.
    expect(mean(f) - mean(r)).toBeGreaterThan(0.3 * 72);
    // Same distribution: the centres coincide within a bin.
    const same = terminalHistogram(real, normals(4000, 0, 4), { width: 72, height: 10, bins: 24 });
    expect(Math.abs(mean(columns(same, "▒")) - mean(columns(same, "█")))).toBeLessThan(3);
  });

  it("colours only on request, and falls back to ASCII", () => {
    const fake = normals(2000, 1, 5),
      plain = terminalHistogram(real, fake);
    const coloured = terminalHistogram(real, fake, { color: true });
    expect(plain).not.toContain("\x1b[");
    expect(coloured).toContain("\x1b[34m");
    expect(coloured).toContain("\x1b[33m");
    // eslint-disable-next-line no-control-regex -- the colour codes are ANSI escapes, which start with ESC (0x1b)
    expect(coloured.replace(/\x1b\[\d+m/g, "")).toBe(plain);
    const ascii = terminalHistogram(real, fake, { ascii: true });
    expect(ascii).toMatch(/^[\x20-\x7e\n]+$/);
    expect(ascii).toContain("#");
    expect(ascii).toContain(":");
  });

  it("rejects sizes it cannot draw", () => {
    expect(() => terminalHistogram(real, real, { width: 10 })).toThrow(/width/);
    expect(() => terminalHistogram(real, real, { height: 0 })).toThrow(/height/);
  });
});
