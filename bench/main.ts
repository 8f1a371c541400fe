// `npm run bench`: simdgan against TensorFlow.js (and PyTorch when python3 can import torch), side by
// side in one process run. Prints tables, writes the raw samples as JSON under bench/results/, and
// regenerates the README's benchmark section and its chart.
//   npm run bench [-- --quick] [--out bench/results/x.json] [--only reference,gemm,scaling,footprint,sweep,mnist]
//     [--no-readme]
//   node dist/bench/main.js --render bench/results/bench.json   (tables, chart and README from a past run)
import { readFileSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { speedupSpec, svgChart } from "./report/chart.js";
import { describeMachine, writeResults } from "./report/json.js";
import { limits } from "./report/limits.js";
import { markdownSection, spliceSection } from "./report/markdown.js";
import type { BenchResults } from "./report/results.js";
import { tables } from "./report/sections.js";
import { textReport } from "./report/table.js";
import { judgeTargets } from "./report/targets.js";
import { runFootprint } from "./suites/footprint.js";
import { runGemm } from "./suites/gemm.js";
import { runMnist } from "./suites/mnist.js";
import { runScaling } from "./suites/scaling.js";
import { runReference } from "./suites/reference.js";
import { runSweepBench } from "./suites/sweep.js";
import { tfjsInfo } from "./suites/tfjs.js";
import { probeTorch } from "./suites/torch.js";

const SUITES = ["reference", "gemm", "scaling", "footprint", "sweep", "mnist"] as const;
const root = fileURLToPath(new URL("../../", import.meta.url));

/** How big each suite is: the full bench, or a fast look. */
export function plan(quick: boolean) {
  return quick
    ? {
        referenceEpochs: 200,
        referenceReps: 3,
        gemmReps: 3,
        widths: [32, 128, 512],
        batches: [64, 512],
        scalingReps: 3,
        sampleMs: 60,
        footprintEpochs: 200,
        sweepSeeds: 4,
        sweepReps: 2,
        mnistReps: 3,
        mnistSampleMs: 100,
        // A fast look at the path only: too short to reach the digits, so the target reads "not measured".
        digitsCapSeconds: 10,
        classifierEpochs: 1,
      }
    : {
        referenceEpochs: 1000,
        referenceReps: 5,
        gemmReps: 7,
        widths: [32, 128, 512],
        batches: [64, 512, 4096],
        scalingReps: 5,
        sampleMs: 200,
        footprintEpochs: 1000,
        sweepSeeds: 20,
        sweepReps: 5,
        mnistReps: 5,
        mnistSampleMs: 300,
        // Twice the 5-minute target, so a miss still says where training got to.
        digitsCapSeconds: 600,
        classifierEpochs: 10,
      };
}

/**
 * Whether a run rewrites the README's section: only a run of every suite does, since the section shows one
 * whole run (a run of some suites would drop the others' tables). `--render` of a merged file still can.
 */
export function rewritesReadme(only: ReadonlySet<string>, noReadme: boolean): boolean {
  return !noReadme && SUITES.every((s) => only.has(s));
}

interface Flags {
  quick: boolean;
  only: Set<string>;
}

async function measure(f: Flags): Promise<BenchResults> {
  const p = plan(f.quick);
  const log = (line: string) => console.error(line);
  const torch = probeTorch();
  const info = await tfjsInfo();
  const args = process.argv.slice(2);
  const r: BenchResults = {
    command: `npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}`,
    quick: f.quick,
    date: new Date().toISOString(),
    machine: describeMachine({
      tfjs: info.version,
      tfjsWasm: info.wasm,
      torch: "version" in torch ? torch.version : null,
    }),
    targets: [],
  };
  const onOff = (flag: boolean) => (flag ? "on" : "off");
  const pytorch = "version" in torch ? torch.version : `skipped: ${torch.skipped}`;
  log(
    `${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}, tfjs ${info.version} ` +
      `(wasm SIMD ${onOff(info.wasm.simd)}, threads ${onOff(info.wasm.threads)}), PyTorch ${pytorch}`,
  );

  if (f.only.has("reference")) {
    log(`reference workload: ${p.referenceReps} rounds of ${p.referenceEpochs} epochs`);
    r.reference = await runReference({ epochs: p.referenceEpochs, reps: p.referenceReps, torch, log });
  }
  if (f.only.has("gemm")) {
    log("GEMM");
    r.gemm = await runGemm({ quick: f.quick, reps: p.gemmReps, log, torch });
  }
  if (f.only.has("scaling")) {
    log("scaling");
    r.scaling = await runScaling({
      widths: p.widths,
      batches: p.batches,
      reps: p.scalingReps,
      sampleMs: p.sampleMs,
      log,
      torch,
    });
  }
  if (f.only.has("footprint")) {
    log("footprint");
    r.footprint = await runFootprint({ epochs: p.footprintEpochs, torch, log });
  }
  if (f.only.has("sweep")) {
    log(`sweeps: ${p.sweepReps} rounds of a 2x2 grid x ${p.sweepSeeds} seeds of the reference workload per contender`);
    r.sweep = await runSweepBench({ seeds: p.sweepSeeds, reps: p.sweepReps, log });
  }
  if (f.only.has("mnist")) {
    log(`MNIST workload: ${p.mnistReps} rounds per contender, then the time to recognisable digits`);
    r.mnist = await runMnist({
      reps: p.mnistReps,
      sampleMs: p.mnistSampleMs,
      quick: f.quick,
      log,
      torch,
      digitsCapSeconds: p.digitsCapSeconds,
      classifierEpochs: p.classifierEpochs,
    });
  }
  return r;
}

// Tables on stdout, then the chart and the README section, all from the same results.
async function publish(r: BenchResults, json: string, readme: boolean): Promise<void> {
  r.targets = judgeTargets(r);
  const ts = tables(r);
  console.log(`\n${textReport(ts)}\n`);
  let chart: string | undefined;
  if (r.scaling) {
    chart = "bench/results/speedup.svg";
    writeFileSync(`${root}${chart}`, await svgChart(speedupSpec(r.scaling)));
    console.log(`chart: ${chart}`);
  }
  if (readme) {
    const path = `${root}README.md`;
    const section = markdownSection(r, ts, {
      json: relative(root, resolve(json)),
      ...(chart ? { chart } : {}),
      limits: limits(r),
    });
    writeFileSync(path, spliceSection(readFileSync(path, "utf8"), section));
    console.log("README.md: benchmark section updated");
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      out: { type: "string" },
      only: { type: "string" },
      "no-readme": { type: "boolean", default: false },
      // Re-renders the tables, chart and README section from a results file, measuring nothing.
      render: { type: "string" },
    },
  });
  if (values.render) {
    await publish(JSON.parse(readFileSync(values.render, "utf8")) as BenchResults, values.render, !values["no-readme"]);
    return;
  }
  const quick = values.quick!;
  const only = new Set(values.only ? values.only.split(",") : SUITES);
  for (const s of only)
    if (!(SUITES as readonly string[]).includes(s))
      throw new Error(`--only: unknown suite ${s} (${SUITES.join(", ")})`);
  const out = values.out ?? `bench/results/${quick ? "bench-quick" : "bench"}.json`;
  const started = performance.now();
  const r = await measure({ quick, only });
  r.seconds = (performance.now() - started) / 1000;
  r.targets = judgeTargets(r);
  writeResults(out, r);
  console.log(`raw samples: ${out}`);
  const readme = rewritesReadme(only, values["no-readme"]!);
  if (!readme && !values["no-readme"])
    console.log("README.md left as it is: --only measured part of the bench (render a whole run with --render)");
  await publish(r, out, readme);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
