// The live views, drawn by uPlot. For 1-D data: real vs generated densities with D(x) on a second axis;
// for 2-D data: a scatter of real and generated points over a D(x) heatmap. Then the two losses, and the
// KL divergence (with the modes captured for a ring or grid), the last two against the epoch.
import uPlot from "uplot";
import type { Report } from "simdgan";
import { COLORS } from "./colors.js";
import type { View, View2 } from "./protocol.js";
import type { Layout } from "./settings.js";

type Size = { width: number; height: number };

function size(el: HTMLElement): Size {
  return { width: Math.max(el.clientWidth, 200), height: Math.max(el.clientHeight - 40, 120) };
}

// The scatter's plot area square (its y axis is 10 px wider than its x axis is tall), so a ring stays round.
function squareSize(el: HTMLElement): Size {
  const { width, height } = size(el);
  return { width: Math.min(width, height + 10), height };
}

const MAX_POINTS = 4000;
const legend = { live: false }; // values under the cursor would only flicker while training

// Only the keys given: an explicit undefined would override uPlot's defaults.
const axis = (label: string, more: Partial<uPlot.Axis> = {}): uPlot.Axis => ({
  label,
  stroke: "#555",
  grid: { stroke: "#eee" },
  ticks: { stroke: "#ddd" },
  ...more,
});

/** D(x) in [0, 1] as a grey: white where D calls x fake, darker where it calls x real (LSGAN's D is clamped). */
export function shade(d: number): string {
  const level = Math.round(255 - 110 * Math.min(Math.max(d, 0), 1));
  return `rgb(${level},${level},${level})`;
}

/** A uPlot chart kept sized to its box. */
class Mounted {
  readonly chart: uPlot;
  private readonly observer: ResizeObserver;

  constructor(opts: Omit<uPlot.Options, "width" | "height">, data: uPlot.AlignedData, el: HTMLElement, sizer = size) {
    this.chart = new uPlot({ ...sizer(el), ...opts } as uPlot.Options, data, el);
    this.observer = new ResizeObserver(() => this.chart.setSize(sizer(el)));
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
}

export class Charts {
  private distribution!: Mounted;
  private metric!: Mounted;
  private readonly losses: Mounted;
  private layout: Layout = { dim: 1, modes: null };
  /** The 2-D view on screen, which the heatmap hook draws from. */
  private view2: View2 | null = null;
  private readonly history = {
    epoch: [] as number[],
    dLoss: [] as number[],
    gLoss: [] as number[],
    kl: [] as number[],
    modes: [] as (number | null)[],
  };

  constructor(private readonly els: ChartElements) {
    this.losses = new Mounted(
      {
        legend,
        scales: { x: { time: false } },
        axes: [axis("epoch"), axis("loss")],
        series: [
          { label: "epoch" },
          { label: "D-Loss", stroke: COLORS.dLoss, points: { show: false } },
          { label: "G-Loss", stroke: COLORS.gLoss, points: { show: false } },
        ],
      },
      [[], [], []],
      els.losses,
    );
    this.build();
  }

  /** Empties every chart, and lays the samples and metric charts out for a run of `layout`. */
  reset(layout: Layout): void {
    for (const list of Object.values(this.history)) list.length = 0;
    this.losses.chart.setData([[], [], []]);
    this.distribution.destroy();
    this.metric.destroy();
    this.layout = layout;
    this.view2 = null;
    this.build();
  }

  private build(): void {
    const { dim, modes } = this.layout,
      els = this.els;
    els.distribution.classList.toggle("scatter", dim === 2);
    this.distribution = dim === 1 ? this.histogram() : this.scatter();
    const kl = { label: "KL", stroke: COLORS.kl, points: { show: false } };
    this.metric =
      modes === null
        ? new Mounted(
            {
              legend,
              scales: { x: { time: false } },
              axes: [axis("epoch"), axis("KL")],
              series: [{ label: "epoch" }, kl],
            },
            [[], []],
            els.kl,
          )
        : new Mounted(
            {
              legend,
              scales: { x: { time: false }, modes: { range: [0, modes] } },
              axes: [
                axis("epoch"),
                axis("KL (mean of x, y)"),
                axis("modes", { scale: "modes", side: 1, grid: { show: false } }),
              ],
              series: [
                { label: "epoch" },
                kl,
                {
                  label: `modes captured (of ${modes})`,
                  stroke: COLORS.modes,
                  scale: "modes",
                  points: { show: false },
                },
              ],
            },
            [[], [], []],
            els.kl,
          );
  }

  private histogram(): Mounted {
    const stepped = uPlot.paths.stepped!({ align: 1 }); // x holds the bin edges
    return new Mounted(
      {
        legend,
        scales: { x: { time: false }, p: { range: [0, 1] } },
        axes: [axis("x"), axis("density"), axis("D(x)", { scale: "p", side: 1, grid: { show: false } })],
        series: [
          { label: "x" },
          {
            label: "real",
            stroke: COLORS.real,
            fill: "rgba(43,123,185,0.18)",
            paths: stepped,
            points: { show: false },
          },
          {
            label: "generated",
            stroke: COLORS.fake,
            fill: "rgba(217,98,43,0.18)",
            paths: stepped,
            points: { show: false },
          },
          { label: "D(x)", stroke: COLORS.d, scale: "p", width: 2, dash: [6, 4], points: { show: false } },
        ],
      },
      [[], [], [], []],
      this.els.distribution,
    );
  }

  // uPlot's scatter mode (mode 2): each series has its own x and y columns, drawn as dots only. The
  // generated points go first so the real ones, in tight clusters for the ring and grid, stay visible.
  private scatter(): Mounted {
    const dots = uPlot.paths.points!();
    const range = (): uPlot.Range.MinMax => (this.view2 ? [this.view2.lo, this.view2.hi] : [-1, 1]);
    const series = (label: string, color: string): uPlot.Series => ({
      label,
      stroke: color,
      fill: color,
      paths: dots,
      points: { show: false, size: 4, width: 0 },
    });
    return new Mounted(
      {
        mode: 2,
        legend,
        cursor: { show: false },
        scales: { x: { time: false, range }, y: { range } },
        axes: [axis("x", { size: 40 }), axis("y", { size: 50 })],
        series: [{}, series("generated", COLORS.fake), series("real", COLORS.real)],
        hooks: { drawClear: [(u) => this.heatmap(u)] },
      },
      scatterData(null),
      this.els.distribution,
      squareSize,
    );
  }

  // Behind the points (drawClear runs before the axes and series): one rectangle per D(x) cell.
  private heatmap(u: uPlot): void {
    const v = this.view2;
    if (!v) return;
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
        ctx.fillStyle = shade(v.d[j * n + i]!);
        ctx.fillRect(xs[i]!, ys[j + 1]!, xs[i + 1]! - xs[i]!, ys[j]! - ys[j + 1]!);
      }
    }
    ctx.restore();
  }

  showView(view: View): void {
    // A snapshot can only be of the current run: main.ts drops those of runs it has replaced.
    if (view.dim !== this.layout.dim) return;
    if (view.dim === 1) {
      this.distribution.chart.setData([view.x, view.real, view.fake, view.d]);
    } else {
      this.view2 = view;
      this.distribution.chart.setData(scatterData(view));
    }
  }

  addReports(reports: readonly Report[]): void {
    if (!reports.length) return;
    const h = this.history;
    for (const r of reports) {
      h.epoch.push(r.epoch);
      h.dLoss.push(r.dLoss);
      h.gLoss.push(r.gLoss);
      h.kl.push(r.kl ?? NaN);
      h.modes.push(r.modesCaptured ?? null);
    }
    // Long runs: keep every other point once there are more than a chart can show, so redraws stay cheap.
    if (h.epoch.length > MAX_POINTS) {
      const thin = <T>(list: T[]): T[] => list.filter((_, i) => i % 2 === 0 || i === list.length - 1);
      Object.assign(h, {
        epoch: thin(h.epoch),
        dLoss: thin(h.dLoss),
        gLoss: thin(h.gLoss),
        kl: thin(h.kl),
        modes: thin(h.modes),
      });
    }
    this.losses.chart.setData([h.epoch, h.dLoss, h.gLoss]);
    this.metric.chart.setData(this.layout.modes === null ? [h.epoch, h.kl] : [h.epoch, h.kl, h.modes]);
  }
}

// uPlot's types describe only the aligned data of its default mode; scatter mode takes [null, ...[x, y]].
function scatterData(view: View2 | null): uPlot.AlignedData {
  const empty: [number[], number[]] = [[], []];
  return [null, view?.fake ?? empty, view?.real ?? empty] as unknown as uPlot.AlignedData;
}
