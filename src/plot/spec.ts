// Vega-Lite specs for a training run, built from plain arrays. No Node APIs: a web page can hand the same
// spec to vega-embed. Data are binned, smoothed and subsampled here so a spec stays small.
import type { TopLevelSpec } from "vega-lite";
import { finiteCount, histogramCounts, linspaceEdges, type Range, viewRange } from "../metrics/histogram.js";
import { exp, pow } from "../metrics/math.js";

/** One report of a run: the losses, then any metrics (kl, or other numeric fields) by name. */
export interface PlotReport {
  epoch: number;
  dLoss: number;
  gLoss: number;
  kl?: number;
}

export interface PlotInput {
  dim: 1 | 2;
  /** Real samples, row-major [n, dim]. */
  real: Float32Array;
  /** Generated samples, row-major [m, dim]. */
  fake: Float32Array;
  /** D(x) on a grid of x (1-D only). */
  dCurve?: { x: Float32Array; d: Float32Array };
  reports: readonly PlotReport[];
  title?: string;
  /** Histogram bins for 1-D data. */
  bins?: number;
  /** Image data: a grid of generated samples (a PNG data URL) drawn in place of the histogram or scatter. */
  grid?: { url: string; width: number; height: number; title: string };
}

/** Legend labels, one per series; tests and pages can look them up. */
export const LABELS = { real: "real", fake: "generated", d: "D(x)", dLoss: "D-Loss", gLoss: "G-Loss" } as const;

// Discriminator things are green, generator things orange, real data blue: the panels read together.
export const COLORS = { real: "#4c78a8", fake: "#f58518", d: "#2f8f3a", dLoss: "#2f8f3a", gLoss: "#f58518" };
const METRIC_COLORS = ["#b279a2", "#e45756", "#72b7b2", "#9d755d", "#bab0ac"];
const WIDTH = 560;
const MAX_POINTS = 2000; // per series, for the scatter
const KDE_SAMPLES = 4000;
const KDE_GRID = 160;

export function trainingPlotSpec(input: PlotInput): TopLevelSpec {
  const { dim, real, fake } = input;
  if (input.grid) return layout(input, [gridPanel(input.grid)]);
  if (dim !== 1 && dim !== 2) throw new RangeError(`dim must be 1 or 2, got ${String(dim)}`);
  for (const [name, v] of [
    ["real", real],
    ["fake", fake],
  ] as const) {
    if (v.length % dim !== 0) throw new RangeError(`${name} holds ${v.length} values, not whole rows of ${dim}`);
  }
  return layout(input, [dim === 1 ? histogramPanel(input) : scatterPanel(real, fake)]);
}

// An image shown at its own size: one image mark on unit scales without axes.
function gridPanel(grid: NonNullable<PlotInput["grid"]>): object {
  const axis = (size: number) => ({ type: "quantitative", axis: null, scale: { domain: [0, 1], range: [0, size] } });
  return {
    title: grid.title,
    width: grid.width,
    height: grid.height,
    data: { values: [{ x: 0, y: 0, url: grid.url }] },
    mark: { type: "image", width: grid.width, height: grid.height, align: "left", baseline: "top" },
    encoding: {
      x: { field: "x", ...axis(grid.width) },
      y: { field: "y", ...axis(grid.height) },
      url: { field: "url" },
    },
  };
}

function layout(input: PlotInput, panels: object[]): TopLevelSpec {
  const losses = lossPanel(input.reports);
  if (losses) panels.push(losses);
  const metrics = metricPanel(input.reports);
  if (metrics) panels.push(metrics);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: input.title ?? "simdgan training", anchor: "start", fontSize: 16 },
    padding: 16,
    spacing: 28,
    vconcat: panels,
    // Each panel has its own series, so each gets its own colour legend.
    resolve: { scale: { color: "independent" } },
    config: {
      background: "white",
      view: { stroke: "#d0d0d0" },
      axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#ececec", titleFontWeight: "normal" },
      // Stroke symbols: the histogram's pale bars would make faint swatches; the curves are the series.
      legend: {
        labelFontSize: 12,
        symbolType: "stroke",
        symbolStrokeWidth: 3,
        symbolOpacity: 1,
        symbolSize: 200,
        orient: "right",
      },
      title: { fontSize: 13, anchor: "start", offset: 8 },
    },
  } as TopLevelSpec;
}

function colorScale(labels: readonly string[], colors: readonly string[]) {
  return { scale: { domain: [...labels], range: [...colors] }, legend: { title: null } };
}

// Real vs generated as same-bin density histograms with smoothed curves over them, and D(x) on a 0..1 axis.
function histogramPanel(input: PlotInput): object {
  const { real, fake, dCurve } = input,
    bins = input.bins ?? 40;
  const range = viewRange(real, fake);
  const labels: string[] = [LABELS.real, LABELS.fake],
    colors = [COLORS.real, COLORS.fake];
  if (dCurve) {
    labels.push(LABELS.d);
    colors.push(COLORS.d);
  }
  const color = { field: "series", type: "nominal", ...colorScale(labels, colors) };
  const x = {
    field: "x",
    type: "quantitative",
    scale: { domain: [range.lo, range.hi], nice: false, zero: false },
    title: "x",
  };
  const bars = [...histogramRows(LABELS.real, real, range, bins), ...histogramRows(LABELS.fake, fake, range, bins)];
  const curves = [...kdeRows(LABELS.real, real, range), ...kdeRows(LABELS.fake, fake, range)];
  const densities = {
    layer: [
      {
        data: { values: bars },
        mark: { type: "bar", opacity: 0.32, binSpacing: 0 },
        encoding: {
          x: { ...x, field: "x0" },
          x2: { field: "x1" },
          y: { field: "density", type: "quantitative", stack: null, title: "density" },
          y2: { datum: 0 },
          color,
        },
      },
      {
        data: { values: curves },
        mark: { type: "line", strokeWidth: 2.5, interpolate: "monotone" },
        encoding: { x, y: { field: "density", type: "quantitative" }, color },
      },
    ],
  };
  const panel = {
    width: WIDTH,
    height: 280,
    title: "Samples: real vs generated (densities)",
    layer: [densities] as object[],
  };
  if (!dCurve) return panel;
  if (dCurve.x.length !== dCurve.d.length)
    throw new RangeError(`dCurve has ${dCurve.x.length} x but ${dCurve.d.length} D(x) values`);
  const dRows: { series: string; x: number; d: number }[] = [];
  for (let i = 0; i < dCurve.x.length; i++) {
    const xi = dCurve.x[i]!,
      di = dCurve.d[i]!;
    if (Number.isFinite(xi) && Number.isFinite(di) && xi >= range.lo && xi <= range.hi)
      dRows.push({ series: LABELS.d, x: round(xi), d: round(di) });
  }
  const dAxis = { scale: { domain: [0, 1], clamp: true }, axis: { orient: "right", title: "D(x)", grid: false } };
  panel.layer.push({
    layer: [
      // D = 0.5: where the discriminator can no longer tell real from generated.
      {
        data: { values: [{}] },
        mark: { type: "rule", color: "#9a9a9a", strokeDash: [2, 3] },
        encoding: { y: { datum: 0.5, type: "quantitative", ...dAxis } },
      },
      {
        data: { values: dRows },
        mark: { type: "line", strokeWidth: 2, strokeDash: [7, 4] },
        encoding: { x, y: { field: "d", type: "quantitative", ...dAxis }, color },
      },
    ],
  });
  return { ...panel, resolve: { scale: { y: "independent" } } };
}

function scatterPanel(real: Float32Array, fake: Float32Array): object {
  const values = [...pointRows(LABELS.real, real), ...pointRows(LABELS.fake, fake)];
  // One unit spans the same length on both axes, so a ring stays a ring.
  const xr = viewRange(values.map((p) => p.x)),
    yr = viewRange(values.map((p) => p.y));
  const half = (1.05 * Math.max(xr.hi - xr.lo, yr.hi - yr.lo)) / 2;
  const domain = (r: Range) => [round((r.lo + r.hi) / 2 - half), round((r.lo + r.hi) / 2 + half)];
  const axis = (field: string, title: string, r: Range) => ({
    field,
    type: "quantitative",
    scale: { domain: domain(r), nice: false },
    title,
  });
  const color = colorScale([LABELS.real, LABELS.fake], [COLORS.real, COLORS.fake]);
  return {
    width: 400,
    height: 400,
    title: "Samples: real vs generated",
    data: { values },
    mark: { type: "circle", size: 16, opacity: 0.5 },
    encoding: {
      x: axis("x", "x₁", xr),
      y: axis("y", "x₂", yr),
      color: {
        field: "series",
        type: "nominal",
        ...color,
        legend: { ...color.legend, symbolType: "circle", symbolOpacity: 0.8 },
      },
    },
  };
}

function lossPanel(reports: readonly PlotReport[]): object | null {
  const values: { epoch: number; series: string; value: number }[] = [];
  for (const r of reports) {
    if (Number.isFinite(r.dLoss)) values.push({ epoch: r.epoch, series: LABELS.dLoss, value: round(r.dLoss) });
    if (Number.isFinite(r.gLoss)) values.push({ epoch: r.epoch, series: LABELS.gLoss, value: round(r.gLoss) });
  }
  if (values.length === 0) return null;
  return curvePanel(
    "Losses",
    "loss",
    values,
    [LABELS.dLoss, LABELS.gLoss],
    [COLORS.dLoss, COLORS.gLoss],
    false,
    reports.length,
  );
}

// Every numeric field besides epoch and the losses is a metric: kl from the trainer, others from callers.
function metricPanel(reports: readonly PlotReport[]): object | null {
  const names: string[] = [],
    values: { epoch: number; series: string; value: number }[] = [];
  for (const r of reports) {
    for (const [key, v] of Object.entries(r)) {
      if (key === "epoch" || key === "dLoss" || key === "gLoss" || typeof v !== "number" || !Number.isFinite(v))
        continue;
      const label = metricLabel(key);
      if (!names.includes(label)) names.push(label);
      values.push({ epoch: r.epoch, series: label, value: round(v) });
    }
  }
  if (values.length === 0) return null;
  // Divergences fall over orders of magnitude; a log axis keeps the late epochs readable.
  const log = values.every((v) => v.value > 0);
  const colors = names.map((_, i) => METRIC_COLORS[i % METRIC_COLORS.length]!);
  return curvePanel("Metrics", log ? "value (log scale)" : "value", values, names, colors, log, reports.length);
}

export function metricLabel(key: string): string {
  return key.length <= 3 ? key.toUpperCase() : key;
}

function curvePanel(
  title: string,
  yTitle: string,
  values: object[],
  labels: string[],
  colors: string[],
  log: boolean,
  n: number,
): object {
  return {
    width: WIDTH,
    height: 150,
    title,
    data: { values },
    mark: { type: "line", strokeWidth: 2, point: n <= 40 ? { size: 18 } : false },
    encoding: {
      x: { field: "epoch", type: "quantitative", axis: { format: "d", tickMinStep: 1 }, title: "epoch" },
      y: { field: "value", type: "quantitative", scale: log ? { type: "log" } : { zero: false }, title: yTitle },
      color: { field: "series", type: "nominal", ...colorScale(labels, colors) },
    },
  };
}

function histogramRows(series: string, values: Float32Array, range: Range, bins: number) {
  const edges = linspaceEdges(range.lo, range.hi, bins),
    counts = histogramCounts(values, edges),
    n = finiteCount(values),
    width = (range.hi - range.lo) / bins;
  const rows: { series: string; x0: number; x1: number; density: number }[] = [];
  for (let i = 0; i < bins; i++) {
    rows.push({
      series,
      x0: round(edges[i]!),
      x1: round(edges[i + 1]!),
      density: n ? round(counts[i]! / (n * width)) : 0,
    });
  }
  return rows;
}

// Gaussian kernel density with Silverman's bandwidth, on a grid over the shared range.
function kdeRows(series: string, values: Float32Array, range: Range) {
  const xs = sample(values, 1, KDE_SAMPLES).filter(Number.isFinite);
  const rows: { series: string; x: number; density: number }[] = [];
  if (xs.length === 0) return rows;
  const h = bandwidth(xs, range),
    norm = 1 / (xs.length * h * Math.sqrt(2 * Math.PI));
  for (let g = 0; g <= KDE_GRID; g++) {
    const x = range.lo + ((range.hi - range.lo) * g) / KDE_GRID;
    let sum = 0;
    for (const v of xs) {
      const z = (x - v) / h;
      sum += exp(-0.5 * z * z);
    }
    rows.push({ series, x: round(x), density: round(sum * norm) });
  }
  return rows;
}

function bandwidth(xs: number[], range: Range): number {
  const n = xs.length,
    mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / Math.max(1, n - 1));
  const sorted = [...xs].sort((a, b) => a - b);
  const iqr = (sorted[Math.floor(0.75 * (n - 1))]! - sorted[Math.floor(0.25 * (n - 1))]!) / 1.34;
  const spread = iqr > 0 ? Math.min(sd, iqr) : sd;
  const h = 0.9 * spread * pow(n, -0.2);
  // A collapsed generator has no spread: draw its spike a couple of grid steps wide.
  return h > 0 ? h : (2 * (range.hi - range.lo)) / KDE_GRID;
}

function pointRows(series: string, values: Float32Array) {
  const flat = sample(values, 2, MAX_POINTS),
    rows: { series: string; x: number; y: number }[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const x = flat[i]!,
      y = flat[i + 1]!;
    if (Number.isFinite(x) && Number.isFinite(y)) rows.push({ series, x: round(x), y: round(y) });
  }
  return rows;
}

// Up to max rows of [n, dim], picked by a fixed-seed shuffle so sorted input is not cut to one end
// and the same data always give the same spec.
function sample(values: Float32Array, dim: number, max: number): number[] {
  const n = values.length / dim;
  const rows = Array.from({ length: n }, (_, i) => i);
  if (n > max) {
    let s = 0x9e3779b9;
    for (let i = 0; i < max; i++) {
      s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      const j = i + (s % (n - i));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    rows.length = max;
  }
  const out: number[] = [];
  for (const r of rows) for (let k = 0; k < dim; k++) out.push(values[r * dim + k]!);
  return out;
}

// Five significant digits are plenty on screen and keep the spec and the SVG small.
function round(v: number): number {
  return Number(v.toPrecision(5));
}
