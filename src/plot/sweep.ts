// A sweep's distribution chart: one row per configuration, each seed's final value of a metric as a tick,
// over a box of its quartiles, so the spread a seed makes sits beside the difference a setting makes.
import type { TopLevelSpec } from "vega-lite";
import { metricLabel } from "./spec.js";

export interface SweepPlotGroup {
  label: string;
  values: readonly number[];
}

export function sweepPlotSpec(
  metric: string,
  groups: readonly SweepPlotGroup[],
  title = "simdgan sweep",
): TopLevelSpec {
  const values = groups.flatMap((g) =>
    g.values.filter((v) => Number.isFinite(v)).map((value) => ({ configuration: g.label, value })),
  );
  const y = { field: "configuration", type: "nominal", sort: groups.map((g) => g.label), title: null };
  const x = { field: "value", type: "quantitative", scale: { zero: false }, title: `final ${metricLabel(metric)}` };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, subtitle: `${metricLabel(metric)} over seeds, per configuration`, anchor: "start" },
    padding: 16,
    width: 560,
    height: { step: 36 },
    data: { values },
    layer: [
      { mark: { type: "boxplot", extent: "min-max", opacity: 0.35, color: "#4c78a8" }, encoding: { x, y } },
      { mark: { type: "tick", color: "#f58518", thickness: 2 }, encoding: { x, y } },
    ],
  } as TopLevelSpec;
}
