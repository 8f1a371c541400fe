// Footprint: each contender's full reference run in a process of its own (peak RSS, start to first step),
// the library's .wasm size and what a web page must download for each.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FootprintResult, ReferenceRunFootprint } from "../report/results.js";
import type { ChildReport } from "../reference-run.js";
import { simdganPayload, tfjsPayload, total, wasmSize } from "./payload.js";
import { runTorch, type TorchProbe } from "./torch.js";

const CHILD = fileURLToPath(new URL("../reference-run.js", import.meta.url));

export interface FootprintOptions {
  epochs: number;
  torch: TorchProbe;
  log: (line: string) => void;
}

function nodeChild(contender: string, epochs: number): ReferenceRunFootprint {
  const spawned = Date.now();
  const r = spawnSync(process.execPath, [CHILD, contender, String(epochs), "1"], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`${contender} reference run failed (${r.status}): ${r.stderr}`);
  const c = JSON.parse(r.stdout.trim().split("\n").pop()!) as ChildReport;
  return {
    maxRssMB: c.maxRssKB / 1024,
    firstStepMs: c.firstStepAt - spawned,
    msPerEpoch: c.msPerEpoch,
    epochs,
    ...(c.wasmMemory ? { wasmMemory: c.wasmMemory } : {}),
  };
}

export async function runFootprint(o: FootprintOptions): Promise<FootprintResult> {
  const runs: Record<string, ReferenceRunFootprint> = {},
    skipped: Record<string, string> = {};
  const report = (name: string, run: ReferenceRunFootprint) =>
    o.log(`  ${name}: peak RSS ${run.maxRssMB.toFixed(1)} MB, first step after ${run.firstStepMs.toFixed(0)} ms`);
  for (const contender of ["simdgan", "tfjs-wasm", "tfjs-cpu"]) {
    const run = nodeChild(contender, o.epochs);
    runs[contender] = run;
    report(contender, run);
  }
  if ("python" in o.torch) {
    const spawned = Date.now(),
      t = runTorch(o.torch.python, 1, o.epochs);
    runs.pytorch = {
      maxRssMB: t.maxRssKB / 1024,
      firstStepMs: t.firstStepAt - spawned,
      msPerEpoch: t.msPerEpoch,
      epochs: o.epochs,
    };
    report("pytorch", runs.pytorch);
  } else skipped.pytorch = o.torch.skipped;
  return {
    runs,
    skipped,
    wasm: wasmSize(),
    payload: { simdgan: total(await simdganPayload()), "tfjs + wasm backend": total(tfjsPayload()) },
  };
}
