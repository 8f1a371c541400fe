// The README's chart: simdgan's speed-up over tfjs-wasm per training step against model size, one line
// per batch size, drawn by Vega-Lite and rendered headless to SVG by the CLI's renderer.
import type { TopLevelSpec } from "vega-lite";
import { renderSVG } from "../../src/plot/render.js";
import type { ScalingResult } from "./results.js";
import { SCALING_MIN } from "./targets.js";

export function speedupSpec(s: ScalingResult): TopLevelSpec {
  const values = s.rows.map((q) => ({
    parameters: q.params,
    width: q.width,
    batch: `batch ${q.batch}`,
    order: q.batch,
    speedup: q.summary["tfjs-wasm"]!.median / q.summary.simdgan!.median,
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "simdgan vs tfjs-wasm: speed-up per training step",
      subtitle: "G and D with 2 hidden layers of width 32, 128, 512",
    },
    width: 480,
    height: 280,
    background: "white",
    layer: [
      {
        data: { values },
        mark: { type: "line", point: true },
        encoding: {
          x: {
            field: "parameters",
            type: "quantitative",
            scale: { type: "log" },
            title: "parameters in G + D (log scale)",
          },
          y: { field: "speedup", type: "quantitative", title: "times faster than tfjs-wasm", scale: { zero: true } },
          color: { field: "batch", type: "nominal", sort: { field: "order" }, title: null },
        },
      },
      {
        data: { values: [{ target: SCALING_MIN, label: `target ${SCALING_MIN}x` }] },
        layer: [
          {
            mark: { type: "rule", strokeDash: [4, 4], color: "gray" },
            encoding: { y: { field: "target", type: "quantitative" } },
          },
          {
            mark: { type: "text", align: "right", baseline: "bottom", dy: -2, color: "gray", x: "width" },
            encoding: { y: { field: "target", type: "quantitative" }, text: { field: "label" } },
          },
        ],
      },
    ],
  };
}

/** The chart as an SVG document, rendered as the CLI renders its plots. */
export function svgChart(spec: TopLevelSpec): Promise<string> {
  return renderSVG(spec);
}
