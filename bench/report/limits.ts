// The closing note of the README section: for each missed target, what limits it. The reasons come from
// profiling (node --cpu-prof) and reading the generated wasm; the figures come from the run.
import type { BenchResults } from "./results.js";

export function limits(r: BenchResults): string[] {
  const missed = r.targets.filter((t) => t.met === false);
  const out: string[] = [];
  const has = (area: string, word: string) => missed.some((t) => t.area === area && t.goal.includes(word));
  if (missed.some((t) => t.area === "seed")) {
    out.push("Seed workload: TODO");
  }
  if (has("gemm", "GFLOP/s") || has("gemm", "tf.matMul") || has("gemm", "roofline")) {
    out.push("GEMM: TODO");
  }
  if (missed.some((t) => t.area === "scaling")) out.push("Scaling: TODO");
  if (missed.some((t) => t.area === "footprint")) out.push("Footprint: TODO");
  return out;
}
