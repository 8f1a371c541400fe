// The closing note of the README section: for each missed target, what limits it. The reasons were
// found by profiling (node --cpu-prof, the instrumented reference run in bench/suites/profile.ts) and reading
// the generated wasm (build/simdgan.wat); every figure quoted comes from the run itself.
import type { BenchResults } from "./results.js";
import { ceilingRatio, num, profileGroups, shapeLabel } from "./sections.js";
import {
  DIGITS_MAX_SECONDS,
  GEMM_MIN_GFLOPS,
  GEMM_VS_TFJS_WASM,
  MNIST_VS_TFJS_WASM,
  SCALING_MIN,
  REFERENCE_TARGETS,
} from "./targets.js";

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

function referenceLimits(r: BenchResults): string[] {
  const s = r.reference,
    simd = s?.contenders.find((c) => c.name === "simdgan");
  if (!s || !simd) return [];
  const out: string[] = [];
  const ms = simd.summary.median;
  for (const [name, goal] of Object.entries(REFERENCE_TARGETS)) {
    const other = s.contenders.find((c) => c.name === name);
    if (!other || other.summary.median / ms >= goal) continue;
    out.push(
      `Reference workload against ${name}: ${goal}x needs ${num(other.summary.median / goal)} ms/epoch; ` +
        `simdgan takes ${num(ms)} (${num(other.summary.median / ms)}x).`,
    );
  }
  if (out.length === 0) return [];
  const perStep = (ms * 1000) / 3,
    gflops = s.flopsPerEpoch / (ms * 1e6);
  let why =
    `The reference workload's model is tiny: an epoch is 3 steps of about ${num(perStep)} µs and ` +
    `${num(s.flopsPerEpoch / 1e6)} MFLOP of products, ` +
    `so simdgan averages ${num(gflops)} GFLOP/s where a square product reaches the roofline.`;
  if (s.profile) {
    const g = Object.fromEntries(profileGroups(s.profile).map((x) => [x.group.split(" (")[0]!, x.share]));
    const skinny = g["products with K = 1 or N = 1"] ?? 0,
      other = g["other products"] ?? 0;
    const noise = g["noise"] ?? 0,
      outside = g["outside the kernels"] ?? 0;
    why +=
      ` In the instrumented run ${pct(skinny)} of the epoch goes to products with a dimension of 1 ` +
      "(D's input is 1 wide and its output is 1 wide, so its products are outer and inner products, " +
      "bound by loads and stores rather than arithmetic), " +
      `${pct(other)} to the other products, ${pct(noise)} to drawing 16 uniform values per row, ` +
      `and ${pct(outside)} to the TypeScript step, the calls into wasm and the timers themselves; ` +
      "the rest is the loss, bias gradients and Adam.";
  }
  const thin = r.gemm?.rows.find((row) => row.N === 1);
  if (thin)
    why += ` The GEMM table shows the gap: ${shapeLabel(thin)} runs at ${num(thin.summary.simdgan!.median)} GFLOP/s.`;
  return [...out, why];
}

function gemmLimits(r: BenchResults): string[] {
  const g = r.gemm;
  if (!g) return [];
  const out: string[] = [];
  const plain = g.rows.filter((row) => (row.op ?? "nn") === "nn");
  const slow = plain.filter((row) => row.K >= 16 && row.N >= 16 && row.summary.simdgan!.median < GEMM_MIN_GFLOPS);
  for (const row of slow) {
    const share = row.summary.simdgan!.median / g.roofline.gflops;
    const at = `${shapeLabel(row)} runs at ${num(row.summary.simdgan!.median)} GFLOP/s (${pct(share)} of the roofline)`;
    if (share >= 0.95) {
      out.push(
        `GEMM: ${at}. That is this machine's ceiling in the same rounds: ${GEMM_MIN_GFLOPS} GFLOP/s is above the ` +
          `${num(g.roofline.gflops)} GFLOP/s its register-only loop reached ` +
          "(wasm SIMD has no FMA outside relaxed SIMD: one multiply and one add per 4 lanes).",
      );
    } else if (row.K <= 32) {
      const tail = row.M % 4 ? `, and the last ${row.M % 4} of ${row.M} rows take the one-row path` : "";
      out.push(
        `GEMM: ${at}. With K = ${row.K}, each 4x8 tile of C is started (bias), ` +
          `updated by only ${row.K} multiply-add steps and stored, ` +
          `so the fixed cost per tile is a large share of the work${tail}.`,
      );
    } else if (row.summary["simdgan-plain"]) {
      out.push(
        `GEMM: ${at}, packed (${num(row.summary["simdgan-plain"].median)} unpacked). Its 4x8 tile does ` +
          "8 multiplies and 8 adds for 2 loads of B and 4 of A each step, and B is repacked on every call " +
          "(the weights change every step).",
      );
    } else {
      out.push(
        `GEMM: ${at}. The kernel slices the inner dimension (128 rows of B at a time, to stay in L2) but does not ` +
          `pack B into panels: each 4x8 tile reads its B columns with a stride of ${row.N * 4} bytes, ` +
          `half of every cache line unused, ` +
          `so at ${num((row.K * row.N * 4) / 2 ** 20)} MB of B the product still waits on memory.`,
      );
    }
  }
  const torch = g.torch && "blas" in g.torch ? g.torch : null;
  const fastest = g.rows
    .filter((row) => row.summary.pytorch)
    .reduce<(typeof g.rows)[number] | null>(
      (a, row) => (!a || row.summary.pytorch!.median > a.summary.pytorch!.median ? row : a),
      null,
    );
  if (torch && fastest && r.targets.some((t) => t.goal.includes("PyTorch") && t.met === false))
    out.push(
      `PyTorch: torch.mm on ${torch.blas} reaches ${num(fastest.summary.pytorch!.median)} GFLOP/s on one thread ` +
        `(${shapeLabel(fastest)}), ${pct(fastest.summary.pytorch!.median / g.roofline.gflops)} of the ` +
        `${num(g.roofline.gflops)} GFLOP/s that a wasm SIMD loop of nothing but multiplies and adds reaches on ` +
        "this machine (AVX2 fused multiply-add on 8 lanes against wasm's separate multiply and add on 4). Where " +
        "the products dominate a step, no wasm kernel can match it here; simdgan beats it only where PyTorch's " +
        "per-operation overhead dominates (small layers and batches).",
    );
  const square = plain.filter((row) => row.M === row.K && row.K === row.N && row.M >= 128);
  const behind = square.filter(
    (row) => row.summary.simdgan!.median / row.summary["tfjs-wasm"]!.median < GEMM_VS_TFJS_WASM,
  );
  if (behind.length) {
    const ratios = behind.map(
      (row) => `${shapeLabel(row)} ${num(row.summary.simdgan!.median / row.summary["tfjs-wasm"]!.median)}x`,
    );
    out.push(
      `GEMM against tf.matMul (wasm): ${ratios.join(", ")}. ` +
        "tfjs-wasm's forward product is XNNPACK, which packs B into cache-sized panels; " +
        "simdgan's register tile already runs near the roofline at 128^3, " +
        "so what is left is memory traffic at the larger sizes, the same cause as above.",
    );
  }
  return out;
}

function otherLimits(r: BenchResults): string[] {
  const out: string[] = [];
  const s = r.scaling;
  if (s) {
    const low = s.rows.filter((q) => q.summary["tfjs-wasm"]!.median / q.summary.simdgan!.median < SCALING_MIN);
    if (low.length)
      out.push(`Scaling: below ${SCALING_MIN}x at ${low.map((q) => `width ${q.width} batch ${q.batch}`).join(", ")}.`);
  }
  const f = r.footprint;
  if (f) {
    const missed = r.targets.filter((t) => t.area === "footprint" && t.met === false);
    for (const t of missed) {
      if (t.goal.startsWith(".wasm"))
        out.push(
          `Footprint: the .wasm is ${f.wasm.bytes} bytes (${f.wasm.gzip} gzipped): ` +
            "every kernel family ships in the one module, with the GEMM's register tiles unrolled.",
        );
      else out.push(`Footprint: ${t.goal}: measured ${t.measured}.`);
    }
  }
  return out;
}

// The MNIST step is products of 64 rows by 256-794 wide layers: what a miss costs, in the run's own figures.
function mnistLimits(r: BenchResults): string[] {
  const m = r.mnist;
  if (!m) return [];
  const out: string[] = [];
  const ms = (name: string) => m.summary[name]?.median;
  const at = (name: string) =>
    `${num(ms(name)!)} ms (${num(m.flopsPerStep / (ms(name)! * 1e6))} GFLOP/s, ` +
    `${pct(m.flopsPerStep / (ms(name)! * 1e6) / m.roofline.gflops)} of one core's roofline)`;
  const simd = ms("simdgan")!,
    wasm = ms("tfjs-wasm");
  if (wasm && wasm / simd < MNIST_VS_TFJS_WASM)
    out.push(
      `MNIST against tfjs-wasm: ${MNIST_VS_TFJS_WASM}x needs ${num(wasm / MNIST_VS_TFJS_WASM)} ms a step; ` +
        `simdgan takes ${at("simdgan")}.`,
    );
  for (const [mine, theirs] of [
    ["simdgan", "pytorch"],
    ["simdgan-threads", "pytorch-threads"],
  ] as const) {
    const a = ms(mine),
      b = ms(theirs);
    if (a && b && b < a)
      out.push(
        `MNIST against ${theirs} (${m.torch?.blas ?? "its BLAS"}): ${num(b)} ms a step, simdgan ${at(mine)}; ` +
          "both pack their operands; the GEMM table's PyTorch column shows how far past wasm SIMD's roofline " +
          "native vectors go.",
      );
  }
  const d = m.digits;
  if (d && d.trainSeconds > DIGITS_MAX_SECONDS)
    out.push(
      `MNIST digits: ${d.reached ? "reached" : "not reached"} after ${num(d.trainSeconds)} s of training ` +
        `(${d.steps} steps, ${num((d.trainSeconds * 1000) / Math.max(d.steps, 1))} ms a step) of which the process ` +
        `had ${num(d.cpuSeconds)} s of CPU: the rest is waiting for the other jobs on the shared machine.`,
    );
  return out;
}

// A missed thread speed-up against what the machine itself gave threads in the same rounds.
function threadLimits(r: BenchResults): string[] {
  if (!r.targets.some((t) => t.area === "threads" && t.goal.startsWith(">=") && t.met === false)) return [];
  const rows = [...(r.gemm?.rows ?? []), ...(r.scaling?.rows ?? [])].filter((q) => q.ceiling);
  if (rows.length === 0) return [];
  const ratios = rows.map((q) => ceilingRatio(q.ceiling!)).sort((a, b) => a - b);
  const threads = r.gemm?.threads ?? r.scaling?.threads ?? 2;
  return [
    `Threads: the machine's own ceiling, the roofline loop on all ${threads} cores at once against one core in ` +
      `the same rounds, was ${num(ratios[0]!)}x-${num(ratios[ratios.length - 1]!)}x ` +
      `(median ${num(ratios[ratios.length >> 1]!)}x over ${ratios.length} rows), with no memory, no barrier ` +
      "and no shared data: in those rounds the cores together gave that many cores' arithmetic, and no split " +
      "kernel can gain more than that.",
  ];
}

export function limits(r: BenchResults): string[] {
  return [...referenceLimits(r), ...gemmLimits(r), ...threadLimits(r), ...otherLimits(r), ...mnistLimits(r)];
}
