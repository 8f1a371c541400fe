// The run's JSON file and the machine it describes.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, arch, release, totalmem } from "node:os";
import { dirname } from "node:path";
import type { BenchResults, Machine } from "./results.js";

export function describeMachine(extra: Pick<Machine, "tfjs" | "tfjsWasm" | "torch">): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? "unknown",
    cores: cpu.length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    arch: arch(),
    node: process.versions.node,
    v8: process.versions.v8,
    loadAverage: loadavg()[0] ?? NaN,
    ...extra,
  };
}

/** Stable, readable JSON: two-space indent, arrays of numbers on one line. */
export function resultsJSON(r: BenchResults): string {
  const text = JSON.stringify(r, (_, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2);
  const item = String.raw`(?:-?[\d.e+-]+|null)`;
  const list = new RegExp(String.raw`\[\n\s+(${item}(?:,\n\s+${item})*)\n\s+\]`, "g");
  return `${text.replace(list, (_, body: string) => `[${body.split(/,\n\s+/).join(", ")}]`)}\n`;
}

export function writeResults(path: string, r: BenchResults): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, resultsJSON(r));
}
