// The live views, drawn by uPlot. For 1-D data: real vs generated densities with D(x) on a second axis;
// for 2-D data: a scatter of real and generated points over a D(x) heatmap on a diverging scale, with
// arrows where G's update pushes each generated point. Then the two losses and the metrics, against the
// epoch. After a single D or G update, what it changed is drawn beside what was there before. For digits:
// the grid of generated digits, and the classifier's metrics.
import uPlot from "uplot";
import { PALETTE, dShade, metricColor, type Report } from "simdgan";
import { DigitGrid } from "./digits.js";
import type { View, View1, View2 } from "./protocol.js";
import type { Layout } from "./settings.js";

type Size = { width: number; height: number };

function size(el: HTMLElement): Size {
  return { width: Math.max(el.clientWidth, 200), height: Math.max(el.clientHeight - 40, 120) };
}

// The scatter's plot area square (its y axis is 10 px wider than its x axis is tall), so a ring stays round.
function squareSize(el: HTMLElement): Size {
  const width = Math.max(el.clientWidth, 200);
  const side = Math.min(width, 520);
  return { width: side, height: side - 10 };
}

const MAX_POINTS = 2000; // per curve: older points are thinned past this, so redraws stay cheap

// Only the keys given: an explicit undefined would override uPlot's defaults.
const axis = (label: string, more: Partial<uPlot.Axis> = {}): uPlot.Axis => ({
  label,
  stroke: "#444",
  grid: { stroke: "#ececec" },
  ticks: { stroke: "#ddd" },
  ...more,
});

const rgba = (hex: string, alpha: number) => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r},${g},${b},${alpha})`;
};
const shadeCss = (d: number) => `rgb(${dShade(d).join(",")})`;

/** A uPlot chart kept sized to its box. */
class Mounted {
  readonly chart: uPlot;
  private readonly observer: ResizeObserver;

  constructor(opts: Omit<uPlot.Options, "width" | "height">, data: uPlot.AlignedData, el: HTMLElement, sizer = size) {
    this.chart = new uPlot({ ...sizer(el), ...opts } as uPlot.Options, data, el);
    let last = "";
    this.observer = new ResizeObserver(() => {
      const s = sizer(el),
        key = `${s.width}x${s.height}`;
      if (key !== last) this.chart.setSize(s);
      last = key;
    });
    this.observer.observe(el);
  }

  destroy(): void {
    this.observer.disconnect();
    this.chart.destroy();
  }
}

export interface ChartElements {
  distribution: HTMLElement;
  losses: HTMLElement;
  kl: HTMLElement;
  /** Where the 2-D view's pointer read-out goes. */
  readout: HTMLElement;
}

/** Metric series the metric chart can show, by report key. */
const METRIC_SERIES: [key: keyof Report, label: string][] = [
  ["kl", "KL"],
  ["js", "JS"],
  ["w1", "W1"],
  ["ks", "KS"],
];

/**
 * The classifier's metrics of digits, and the scale each is drawn on: the score and the classes covered
 * count to 10 (the real data's own score drawn dashed beside them), the Frechet distance on its own
 * axis, the share of digits classified as the label asked for on another (conditional runs only).
 */
const IMAGE_SERIES: [key: keyof Report, label: string, scale: "ten" | "fd" | "share"][] = [
  ["classifierScore", "score", "ten"],
  ["realScore", "real data's score", "ten"],
  ["classesCovered", "classes covered", "ten"],
  ["frechet", "Frechet distance", "fd"],
  ["labelAccuracy", "label accuracy", "share"],
];

export class Charts {
  private distribution: Mounted | null = null;
  private grid: DigitGrid | null = null;
  private metric!: Mounted;
  private losses!: Mounted;
  private layout: Layout = { dim: 1, modes: null };
  private imageKeys: (keyof Report)[] = [];
  private metricKeys: (keyof Report)[] = ["kl"];
  /** The 2-D view on screen, which the heatmap and arrow hooks draw from, and the one before it. */
  private view2: View2 | null = null;
  private before2: View2 | null = null;
  private before1: View1 | null = null;
  private last1: View1 | null = null;
  private changed: "d" | "g" | "both" | null = null;
  /** Drawing mode (2-D): points laid by the pointer, in a fixed square. */
  private drawing: { points: number[]; lo: number; hi: number; onAdd: (x: number, y: number) => void } | null = null;
  private readonly history = {
    epoch: [] as number[],
    dLoss: [] as number[],
    gLoss: [] as number[],
    metrics: new Map<string, (number | null)[]>(),
  };

  constructor(private readonly els: ChartElements) {
    this.build();
  }

  /** Empties every chart, and lays them out for a run of `layout` reporting `metrics`. */
  reset(layout: Layout, metrics: readonly string[]): void {
    this.history.epoch.length = 0;
    this.history.dLoss.length = 0;
    this.history.gLoss.length = 0;
    this.history.metrics.clear();
    this.distribution?.destroy();
    this.grid?.destroy();
    this.metric.destroy();
    this.losses.destroy();
    this.layout = layout;
    this.metricKeys = METRIC_SERIES.map(([k]) => k).filter((k) => metrics.includes(k));
    this.imageKeys =
      layout.dim === "image"
        ? IMAGE_SERIES.map(([k]) => k).filter((k) => k !== "labelAccuracy" || layout.conditional)
        : [];
    this.view2 = this.before2 = this.before1 = this.last1 = null;
    this.build();
  }

  private build(): void {
    const { dim, modes } = this.layout,
      els = this.els;
    els.distribution.classList.toggle("scatter", dim === 2);
    els.distribution.classList.toggle("image", dim === "image");
    this.distribution = dim === 1 ? this.histogram() : dim === 2 ? this.scatter() : null;
    this.grid = dim === "image" ? new DigitGrid(els.distribution) : null;
    const live = { live: true };
    this.losses = new Mounted(
      {
        legend: live,
        scales: { x: { time: false } },
        axes: [axis("epoch"), axis("loss", { size: 50 })],
        series: [
          { label: "epoch" },
          { label: "D-Loss", stroke: PALETTE.dLoss, width: 2, points: { show: false } },
          { label: "G-Loss", stroke: PALETTE.gLoss, width: 2, points: { show: false } },
        ],
      },
      [[], [], []],
      els.losses,
    );
    if (dim === "image") {
      this.metric = this.imageMetrics();
      return;
    }
    const series: uPlot.Series[] = [{ label: "epoch" }];
    for (const [key, label] of METRIC_SERIES) {
      if (this.metricKeys.includes(key))
        series.push({ label, stroke: metricColor(key), width: 2, points: { show: false } });
    }
    const axes = [axis("epoch"), axis(dim === 1 ? "divergence" : "mean over x, y", { size: 50 })];
    const scales: uPlot.Scales = { x: { time: false } };
    if (modes !== null) {
      series.push({
        label: `modes (of ${modes})`,
        stroke: metricColor("modesCaptured"),
        width: 2,
        scale: "modes",
        points: { show: false },
      });
      axes.push(axis("modes", { scale: "modes", side: 1, grid: { show: false }, size: 40 }));
      scales.modes = { range: [0, modes] };
    }
    this.metric = new Mounted(
      { legend: live, scales, axes, series },
      series.map(() => []) as unknown as uPlot.AlignedData,
      els.kl,
    );
  }

  private imageMetrics(): Mounted {
    const series: uPlot.Series[] = [{ label: "epoch" }];
    for (const [key, label, scale] of IMAGE_SERIES) {
      if (!this.imageKeys.includes(key)) continue;
      series.push({
        label,
        scale,
        stroke: metricColor(key),
        width: 2,
        ...(key === "realScore" && { dash: [5, 4], width: 1.5 }),
        points: { show: false },
      });
    }
    const axes = [
      axis("epoch"),
      axis("score, classes", { scale: "ten", size: 50 }),
      axis("Frechet", { scale: "fd", side: 1, grid: { show: false }, size: 50 }),
    ];
    if (this.imageKeys.includes("labelAccuracy"))
      axes.push(axis("label accuracy", { scale: "share", side: 1, grid: { show: false }, size: 45 }));
    return new Mounted(
      {
        legend: { live: true },
        scales: { x: { time: false }, ten: { range: [0, 10] }, share: { range: [0, 1] } },
        axes,
        series,
      },
      series.map(() => []) as unknown as uPlot.AlignedData,
      this.els.kl,
    );
  }

  private histogram(): Mounted {
    const stepped = uPlot.paths.stepped!({ align: 1 }); // x holds the bin edges
    return new Mounted(
      {
        legend: { live: true },
        scales: { x: { time: false }, p: { range: [0, 1] } },
        axes: [
          axis("x"),
          axis("density", { size: 50 }),
          axis("D(x)", { scale: "p", side: 1, grid: { show: false }, size: 40 }),
        ],
        series: [
          { label: "x", value: (_, v) => (v == null ? "-" : v.toFixed(2)) },
          {
            label: "real",
            stroke: PALETTE.real,
            fill: rgba(PALETTE.real, 0.15),
            width: 2,
            paths: stepped,
            points: { show: false },
          },
          {
            label: "generated",
            stroke: PALETTE.fake,
            fill: rgba(PALETTE.fake, 0.15),
            width: 2,
            paths: stepped,
            points: { show: false },
          },
          { label: "D(x)", stroke: PALETTE.d, scale: "p", width: 2.5, points: { show: false } },
          {
            label: "before this step",
            stroke: "#9a9a9a",
            width: 1.5,
            dash: [5, 4],
            paths: stepped,
            points: { show: false },
          },
          { label: "D(x) before", stroke: "#9a9a9a", scale: "p", width: 1.5, dash: [5, 4], points: { show: false } },
        ],
      },
      [[], [], [], [], [], []],
      this.els.distribution,
    );
  }

  // uPlot's scatter mode (mode 2): each series has its own x and y columns, drawn as dots only. The
  // generated points go first so the real ones, in tight clusters for the ring and grid, stay visible.
  private scatter(): Mounted {
    const dots = uPlot.paths.points!();
    const range = (): uPlot.Range.MinMax =>
      this.drawing ? [this.drawing.lo, this.drawing.hi] : this.view2 ? [this.view2.lo, this.view2.hi] : [-1, 1];
    const series = (label: string, color: string): uPlot.Series => ({
      label,
      stroke: color,
      fill: color,
      paths: dots,
      points: { show: false, size: 4.5, width: 0 },
    });
    const mounted = new Mounted(
      {
        mode: 2,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range }, y: { range } },
        axes: [axis("x", { size: 40 }), axis("y", { size: 50 })],
        series: [{}, series("generated", PALETTE.fake), series("real", PALETTE.real)],
        hooks: { drawClear: [(u) => this.heatmap(u)], draw: [(u) => this.arrows(u)] },
      },
      scatterData(null),
      this.els.distribution,
      squareSize,
    );
    this.pointer(mounted.chart);
    return mounted;
  }

  // Behind the points (drawClear runs before the axes and series): one rectangle per D(x) cell.
  private heatmap(u: uPlot): void {
    const v = this.view2;
    if (!v || this.drawing) return;
    const { ctx, bbox } = u,
      n = v.cells,
      step = (v.hi - v.lo) / n;
    // Cell edges in canvas pixels, rounded so neighbouring cells meet without seams.
    const xs = Array.from({ length: n + 1 }, (_, i) => Math.round(u.valToPos(v.lo + i * step, "x", true)));
    const ys = Array.from({ length: n + 1 }, (_, j) => Math.round(u.valToPos(v.lo + j * step, "y", true)));
    ctx.save();
    ctx.beginPath();
    ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
    ctx.clip();
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        ctx.fillStyle = shadeCss(v.d[j * n + i]!);
        ctx.fillRect(xs[i]!, ys[j + 1]!, xs[i + 1]! - xs[i]!, ys[j]! - ys[j + 1]!);
      }
    }
    ctx.restore();
  }

  // Over the points: G's gradient as arrows at the first generated points, and after a G step the way
  // each of them moved (the view draws the same noise each time, so point i is G(z_i) before and after).
  private arrows(u: uPlot): void {
    const v = this.view2;
    if (!v || this.drawing) return;
    const { ctx, bbox } = u,
      px = (x: number) => u.valToPos(x, "x", true),
      py = (y: number) => u.valToPos(y, "y", true);
    ctx.save();
    ctx.beginPath();
    ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
    ctx.clip();
    const before = this.changed === "g" ? this.before2 : null;
    if (before) {
      ctx.strokeStyle = rgba(PALETTE.fake, 0.55);
      ctx.lineWidth = 1;
      ctx.beginPath();
      const n = Math.min(before.fake[0].length, v.fake[0].length, 400);
      for (let i = 0; i < n; i++) {
        ctx.moveTo(px(before.fake[0][i]!), py(before.fake[1][i]!));
        ctx.lineTo(px(v.fake[0][i]!), py(v.fake[1][i]!));
      }
      ctx.stroke();
    }
    const [dx, dy] = v.arrows,
      ratio = devicePixelRatio || 1;
    ctx.strokeStyle = PALETTE.gradient;
    ctx.fillStyle = PALETTE.gradient;
    ctx.lineWidth = 1.2 * ratio;
    for (let i = 0; i < dx.length; i++) {
      const x0 = px(v.fake[0][i]!),
        y0 = py(v.fake[1][i]!),
        x1 = px(v.fake[0][i]! + dx[i]!),
        y1 = py(v.fake[1][i]! + dy[i]!);
      const len = Math.hypot(x1 - x0, y1 - y0);
      if (!(len > 2 * ratio)) continue;
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
      ctx.stroke();
      // The head: a small triangle along the arrow.
      const ux = (x1 - x0) / len,
        uy = (y1 - y0) / len,
        h = Math.min(5 * ratio, len / 2);
      ctx.beginPath();
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - h * ux - 0.6 * h * uy, y1 - h * uy + 0.6 * h * ux);
      ctx.lineTo(x1 - h * ux + 0.6 * h * uy, y1 - h * uy - 0.6 * h * ux);
      ctx.closePath();
      ctx.fill();
    }
    ctx.restore();
  }

  // The 2-D view's read-out of D(x) under the pointer, and the pointer's strokes in drawing mode.
  private pointer(u: uPlot): void {
    const over = u.over;
    let down = false;
    const at = (e: PointerEvent) => {
      const rect = over.getBoundingClientRect();
      return [u.posToVal(e.clientX - rect.left, "x"), u.posToVal(e.clientY - rect.top, "y")] as const;
    };
    over.addEventListener("pointerdown", (e) => {
      if (!this.drawing) return;
      down = true;
      over.setPointerCapture(e.pointerId);
      this.drawing.onAdd(...at(e));
    });
    over.addEventListener("pointerup", () => (down = false));
    over.addEventListener("pointerleave", () => {
      this.els.readout.textContent = "";
    });
    over.addEventListener("pointermove", (e) => {
      const [x, y] = at(e);
      if (this.drawing) {
        if (down) this.drawing.onAdd(x, y);
        this.els.readout.textContent = `x = ${x.toFixed(2)}, y = ${y.toFixed(2)}`;
        return;
      }
      const v = this.view2;
      if (!v) return;
      const i = Math.floor(((x - v.lo) / (v.hi - v.lo)) * v.cells),
        j = Math.floor(((y - v.lo) / (v.hi - v.lo)) * v.cells);
      if (i < 0 || j < 0 || i >= v.cells || j >= v.cells) return;
      const d = v.d[j * v.cells + i]!;
      this.els.readout.textContent = `x = ${x.toFixed(2)}, y = ${y.toFixed(2)}: D(x) = ${d.toFixed(3)} (${
        d > 0.5 ? "D calls this real" : "D calls this fake"
      })`;
    });
  }

  /** Turns drawing mode on (with the points drawn so far) or off. */
  setDrawing(drawing: { points: number[]; onAdd: (x: number, y: number) => void } | null): void {
    this.drawing = drawing && { ...drawing, lo: -3, hi: 3 };
    if (drawing) this.showDrawing(drawing.points);
  }

  showDrawing(points: readonly number[]): void {
    if (!this.drawing || this.layout.dim !== 2) return;
    const x: number[] = [],
      y: number[] = [];
    for (let i = 0; i < points.length; i += 2) {
      x.push(points[i]!);
      y.push(points[i + 1]!);
    }
    this.distribution!.chart.setData([null, [[], []], [x, y]] as unknown as uPlot.AlignedData);
  }

  showView(view: View, changed: "d" | "g" | "both" | null): void {
    // A snapshot can only be of the current run: main.ts drops those of runs it has replaced.
    if (view.dim !== this.layout.dim || this.drawing) return;
    this.changed = changed;
    if (view.dim === "image") {
      this.grid!.show(view);
    } else if (view.dim === 1) {
      // After a single update, what it moved is drawn dashed as it was.
      this.before1 = changed === "d" || changed === "g" ? this.last1 : null;
      const b = this.before1,
        sameX = b && b.x.length === view.x.length && b.x[0] === view.x[0] && b.x.at(-1) === view.x.at(-1);
      const none = view.x.map(() => null);
      this.els.distribution.classList.toggle("ghosts", !!sameX && (changed === "d" || changed === "g"));
      this.distribution!.chart.setData([
        view.x,
        view.real,
        view.fake,
        view.d,
        sameX && changed === "g" ? b.fake : none,
        sameX && changed === "d" ? b.d : none,
      ] as uPlot.AlignedData);
      this.last1 = view;
    } else {
      this.before2 = this.view2;
      this.view2 = view;
      this.distribution!.chart.setData(scatterData(view));
    }
  }

  addReports(reports: readonly Report[]): void {
    if (!reports.length) return;
    const h = this.history;
    for (const r of reports) {
      h.epoch.push(r.epoch);
      h.dLoss.push(r.dLoss);
      h.gLoss.push(r.gLoss);
      for (const key of [...this.metricKeys, ...this.imageKeys, "modesCaptured" as const]) {
        if (!h.metrics.has(key)) h.metrics.set(key, []);
        h.metrics.get(key)!.push((r[key] as number | undefined) ?? null);
      }
    }
    // Long runs: keep every other point once there are more than a chart can show.
    if (h.epoch.length > MAX_POINTS) {
      const thin = <T>(list: T[]): T[] => list.filter((_, i) => i % 2 === 0 || i === list.length - 1);
      h.epoch = thin(h.epoch);
      h.dLoss = thin(h.dLoss);
      h.gLoss = thin(h.gLoss);
      for (const [k, list] of h.metrics) h.metrics.set(k, thin(list));
    }
    this.losses.chart.setData([h.epoch, h.dLoss, h.gLoss]);
    if (this.layout.dim === "image") {
      this.metric.chart.setData([h.epoch, ...this.imageKeys.map((k) => h.metrics.get(k)!)] as uPlot.AlignedData);
      return;
    }
    const columns = this.metricKeys.map((k) => h.metrics.get(k)!);
    if (this.layout.modes !== null) columns.push(h.metrics.get("modesCaptured")!);
    this.metric.chart.setData([h.epoch, ...columns] as uPlot.AlignedData);
  }
}

// uPlot's types describe only the aligned data of its default mode; scatter mode takes [null, ...[x, y]].
function scatterData(view: View2 | null): uPlot.AlignedData {
  const empty: [number[], number[]] = [[], []];
  return [null, view?.fake ?? empty, view?.real ?? empty] as unknown as uPlot.AlignedData;
}

/** The D(x) legend's gradient, as CSS, from the same scale as the heatmap. */
export function dScaleGradient(): string {
  const stops = [0, 0.25, 0.5, 0.75, 1].map((d) => `${shadeCss(d)} ${d * 100}%`);
  return `linear-gradient(to right, ${stops.join(", ")})`;
}
