// What a sweep measured, per configuration: the trials grouped by their options apart from the seed,
// and for every metric of the final report its median and 10th-90th percentiles over the seeds.
import { canonical, type Json } from "./canonical.js";
import type { TrialRecord } from "./trial.js";

export interface MetricStats {
  median: number;
  p10: number;
  p90: number;
}

export interface Configuration {
  /** The options that tell this configuration from the others, e.g. "gOptimizer.learningRate=0.001, loss=lsgan". */
  label: string;
  seeds: number[];
  /** Seeds whose training diverged: they have no final values. */
  diverged: number[];
  /** Each metric's final values, one per seed that did not diverge, in the file's order. */
  values: Record<string, number[]>;
  stats: Record<string, MetricStats>;
}

/** The q-quantile of sorted values, interpolating linearly between ranks (numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q,
    lo = Math.floor(h),
    hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function metricStats(values: readonly number[]): MetricStats {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p10: quantile(sorted, 0.1), p90: quantile(sorted, 0.9) };
}

/** Nested options as dotted names (gOptimizer.learningRate), so a label names the field that varies. */
function flatten(options: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, v] of Object.entries(options)) {
    if (typeof v === "object" && v !== null && !Array.isArray(v))
      for (const [field, inner] of Object.entries(flatten(v))) out[`${key}.${field}`] = inner;
    else out[key] = v;
  }
  return out;
}

const seedOf = (r: TrialRecord) => (r.options as { seed: number }).seed;
const spell = (v: Json) => (typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));

/** The records grouped by configuration, in order of first appearance. */
export function configurations(records: readonly TrialRecord[]): Configuration[] {
  const groups = new Map<string, { options: Record<string, Json>; records: TrialRecord[] }>();
  for (const r of records) {
    const { seed: _seed, ...rest } = flatten(r.options as Record<string, Json>);
    const key = JSON.stringify(canonical(rest));
    const g = groups.get(key) ?? { options: rest, records: [] };
    g.records.push(r);
    groups.set(key, g);
  }
  const all = [...groups.values()];
  // Options whose values differ between configurations name them; the rest is common to all. An option
  // that varies in step with an earlier one (say, a learning rate set with its optimizer) adds nothing.
  const keys: string[] = [],
    patterns = new Set<string>();
  for (const k of [...new Set(all.flatMap((g) => Object.keys(g.options)))]) {
    const spelled = all.map((g) => JSON.stringify(g.options[k] ?? null));
    const pattern = JSON.stringify(spelled.map((v) => spelled.indexOf(v)));
    if (new Set(spelled).size > 1 && !patterns.has(pattern)) keys.push(k);
    patterns.add(pattern);
  }
  return all.map((g) => {
    const values: Record<string, number[]> = {};
    for (const r of g.records)
      for (const [metric, v] of Object.entries(r.final ?? {}))
        if (metric !== "epoch") (values[metric] ??= []).push(typeof v === "number" ? v : NaN);
    const stats = Object.fromEntries(Object.entries(values).map(([m, vs]) => [m, metricStats(vs)]));
    return {
      label:
        keys.map((k) => `${k}=${g.options[k] === undefined ? "-" : spell(g.options[k]!)}`).join(", ") || "all trials",
      seeds: g.records.map(seedOf),
      diverged: g.records.filter((r) => r.diverged).map(seedOf),
      values,
      stats,
    };
  });
}
