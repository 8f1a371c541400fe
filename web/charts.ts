// The live views, drawn by uPlot: real vs generated densities with D(x) on a second axis, the two
// losses, and the KL divergence, the last two against the epoch.
import uPlot from "uplot";
import type { Report } from "simdgan";
import { COLORS } from "./colors.js";
import type { View } from "./protocol.js";

function size(el: HTMLElement): { width: number; height: number } {
  return { width: Math.max(el.clientWidth, 200), height: Math.max(el.clientHeight - 40, 120) };
}

// uPlot draws into the element; keep it sized to its box.
function fit(chart: uPlot, el: HTMLElement): void {
  new ResizeObserver(() => chart.setSize(size(el))).observe(el);
}

const MAX_POINTS = 4000;
const legend = { live: false }; // values under the cursor would only flicker while training

// Only the keys given: an explicit undefined would override uPlot's defaults.
const axis = (label: string, more: Partial<uPlot.Axis> = {}): uPlot.Axis =>
  ({ label, stroke: "#555", grid: { stroke: "#eee" }, ticks: { stroke: "#ddd" }, ...more });

export class Charts {
  private readonly distribution: uPlot;
  private readonly losses: uPlot;
  private readonly kl: uPlot;
  private readonly history = { epoch: [] as number[], dLoss: [] as number[], gLoss: [] as number[], kl: [] as number[] };

  constructor(els: { distribution: HTMLElement; losses: HTMLElement; kl: HTMLElement }) {
    const stepped = uPlot.paths.stepped!({ align: 1 }); // x holds the bin edges
    this.distribution = new uPlot({
      ...size(els.distribution), legend,
      scales: { x: { time: false }, p: { range: [0, 1] } },
      axes: [axis("x"), axis("density"), axis("D(x)", { scale: "p", side: 1, grid: { show: false } })],
      series: [
        { label: "x" },
        { label: "real", stroke: COLORS.real, fill: "rgba(43,123,185,0.18)", paths: stepped, points: { show: false } },
        { label: "generated", stroke: COLORS.fake, fill: "rgba(217,98,43,0.18)", paths: stepped, points: { show: false } },
        { label: "D(x)", stroke: COLORS.d, scale: "p", width: 2, dash: [6, 4], points: { show: false } },
      ],
    }, [[], [], [], []], els.distribution);
    this.losses = new uPlot({
      ...size(els.losses), legend,
      scales: { x: { time: false } },
      axes: [axis("epoch"), axis("loss")],
      series: [
        { label: "epoch" },
        { label: "D-Loss", stroke: COLORS.dLoss, points: { show: false } },
        { label: "G-Loss", stroke: COLORS.gLoss, points: { show: false } },
      ],
    }, [[], [], []], els.losses);
    this.kl = new uPlot({
      ...size(els.kl), legend,
      scales: { x: { time: false } },
      axes: [axis("epoch"), axis("KL")],
      series: [{ label: "epoch" }, { label: "KL", stroke: COLORS.kl, points: { show: false } }],
    }, [[], []], els.kl);
    fit(this.distribution, els.distribution);
    fit(this.losses, els.losses);
    fit(this.kl, els.kl);
  }

  showView(view: View): void {
    this.distribution.setData([view.x, view.real, view.fake, view.d]);
  }

  addReports(reports: readonly Report[]): void {
    if (!reports.length) return;
    const h = this.history;
    for (const r of reports) {
      h.epoch.push(r.epoch);
      h.dLoss.push(r.dLoss);
      h.gLoss.push(r.gLoss);
      h.kl.push(r.kl);
    }
    // Long runs: keep every other point once there are more than a chart can show, so redraws stay cheap.
    if (h.epoch.length > MAX_POINTS) {
      for (const [key, list] of Object.entries(h)) h[key as keyof typeof h] = list.filter((_, i) => i % 2 === 0 || i === list.length - 1);
    }
    this.losses.setData([h.epoch, h.dLoss, h.gLoss]);
    this.kl.setData([h.epoch, h.kl]);
  }

  clear(): void {
    for (const list of Object.values(this.history)) list.length = 0;
    this.losses.setData([[], [], []]);
    this.kl.setData([[], []]);
    this.distribution.setData([[], [], [], []]);
  }
}
