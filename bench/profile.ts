// The per-kernel profile of one training step at 1 thread and at N, side by side:
//   node dist/bench/profile.js [--shape 512x4096,128x4096,mnist] [--threads 2] [--steps 5] [--rounds 3]
// A shape is a scaling-sweep point (width x batch: 2 hidden layers of `width` in G and D, 2-D data) or
// "mnist" (examples/mnist/config.json). Rounds alternate the thread counts; each cell is the median.
import { parseArgs } from "node:util";
import { ringData } from "./suites/data2d.js";
import { mnistWorkload } from "./suites/mnist.js";
import { profileSteps, type StepProfile } from "./suites/profile.js";
import { scalingShape } from "./suites/scaling.js";
import { median } from "./stats.js";
import type { GANOptions } from "../src/index.js";

async function workload(shape: string) {
  if (shape === "mnist") {
    const w = await mnistWorkload();
    return { options: w.options, batch: { real: w.real, ...(w.labels.length ? { labels: w.labels } : {}) } };
  }
  const [width, rows] = shape.split("x").map(Number) as [number, number];
  const s = scalingShape(width),
    real = ringData(rows, width * 7919 + rows);
  const options: GANOptions = { seed: 1, data: real, dim: 2, gHidden: s.gHidden, dHidden: s.dHidden, batches: 1 };
  return { options, batch: { real } };
}

const { values } = parseArgs({
  options: {
    shape: { type: "string", default: "512x4096,128x4096,512x512,mnist" },
    threads: { type: "string", default: "2" },
    steps: { type: "string", default: "0" },
    rounds: { type: "string", default: "3" },
  },
});
const many = Number(values.threads),
  rounds = Number(values.rounds);
for (const shape of values.shape!.split(",")) {
  const { options, batch } = await workload(shape);
  const runs: Record<number, StepProfile[]> = { 1: [], [many]: [] };
  // Steps per profile: about a second's worth at one thread, unless given.
  let steps = Number(values.steps);
  if (!steps) {
    const probe = await profileSteps(options, batch, 1, 1);
    steps = Math.max(2, Math.min(200, Math.round(1000 / probe.msPerStep)));
  }
  for (let r = 0; r < rounds; r++)
    for (const t of [1, many]) runs[t]!.push(await profileSteps(options, batch, t, steps));
  const med = (t: number, of: (p: StepProfile) => number) => median(runs[t]!.map(of));
  const step = (t: number) => med(t, (p) => p.msPerStep);
  const cell = (t: number, key: string) => med(t, (p) => p.kernels.find((k) => k.kernel === key)?.msPerEpoch ?? 0);
  const keys = runs[1]![0]!.kernels.map((k) => k.kernel);
  const s1 = step(1),
    sn = step(many);
  console.log(
    `\n${shape}: ${s1.toFixed(2)} ms at 1 thread, ${sn.toFixed(2)} ms at ${many} (${(s1 / sn).toFixed(2)}x), ` +
      `${steps} steps x ${rounds} rounds`,
  );
  const pad = (v: string, n: number) => v.padStart(n);
  console.log(
    `${"kernel".padEnd(44)} ${pad("ms@1", 8)} ${pad("share", 6)} ${pad(`ms@${many}`, 8)} ${pad("share", 6)} ` +
      `${pad("x", 5)}  calls split`,
  );
  const row = (name: string, a: number, b: number, calls = "") => {
    const share = (v: number, of: number) => `${pad(((100 * v) / of).toFixed(1), 5)}%`;
    console.log(
      `${name.padEnd(44)} ${pad(a.toFixed(3), 8)} ${share(a, s1)} ${pad(b.toFixed(3), 8)} ${share(b, sn)} ` +
        `${pad((a / b).toFixed(2), 5)}  ${calls}`,
    );
  };
  for (const key of keys) {
    const k = runs[many]![0]!.kernels.find((x) => x.kernel === key);
    row(key, cell(1, key), cell(many, key), k ? `${k.callsPerEpoch} ${k.splitPerEpoch}` : "");
  }
  row(
    "(outside the kernels)",
    med(1, (p) => p.outsideMs),
    med(many, (p) => p.outsideMs),
  );
}
process.exit(0);
