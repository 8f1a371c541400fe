// The run as tables: one model shared by the stdout table and the README section, so the two always
// say the same thing.
import type { BenchResults, CeilingSamples, ScalingRow, Shape } from "./results.js";
import type { ReferenceProfile } from "../suites/profile.js";
import { median, type Summary } from "../stats.js";
import { SPLIT_MIN_WORK } from "../../src/index.js";

const SPLIT_WORK = `${SPLIT_MIN_WORK / 1024}k`;

export interface Table {
  title: string;
  headers: string[];
  /** Right-aligned columns (numbers). */
  numeric: boolean[];
  rows: string[][];
  notes: string[];
}

/** How many cores' worth of arithmetic every core together delivered (bench/roofline.ts): median all / one. */
export function ceilingRatio(c: CeilingSamples): number {
  return median(c.all) / median(c.one);
}

/** The machine's thread ceiling of a row measured with one, or "-". */
function ceilingCell(row: { ceiling?: CeilingSamples }): string {
  return row.ceiling ? times(ceilingRatio(row.ceiling)) : "-";
}

const CEILING_NOTE =
  "ceiling: the machine's own speed-up for threads in the same rounds, the roofline loop on every core at once " +
  "against one core (bench/roofline.ts: registers only, no memory, no barrier); a thread speed-up is read " +
  "against it, not against the thread count, on a shared or virtual machine.";

/** A figure with 3-4 significant digits, no exponent. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return "-";
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

export function shapeLabel(s: Shape): string {
  return `${s.M}x${s.K}x${s.N}${s.op === "tn" ? " AᵀB" : s.op === "nt" ? " ABᵀ" : ""}`;
}

export const range = (s: Summary) => `${num(s.min)}-${num(s.max)}`;
export const times = (v: number) => (Number.isFinite(v) ? `${num(v)}x` : "-");
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function referenceTable(r: BenchResults): Table | null {
  const s = r.reference;
  if (!s) return null;
  const simd = s.contenders.find((c) => c.name === "simdgan");
  const rows = s.contenders.map((c) => [
    c.name,
    num(c.summary.median),
    range(c.summary),
    c.name === "simdgan" || !simd ? "" : times(c.summary.median / simd.summary.median),
    num(s.flopsPerEpoch / (c.summary.median * 1e6)),
    num(c.klSummary.median),
  ]);
  for (const [name, why] of Object.entries(s.skipped)) rows.push([name, `skipped: ${why}`, "", "", "", ""]);
  const w = r.machine.tfjsWasm;
  return {
    title: `Reference workload: ${s.epochs} epochs, median of ${s.reps} runs`,
    headers: ["contender", "ms/epoch", "min-max", "simdgan faster by", "GFLOP/s", "KL (last 10 reports)"],
    numeric: [false, true, true, true, true, true],
    rows,
    notes: [
      "tfjs is the layers API (compile + trainOnBatch, as the Keras note); " +
        `tfjs-wasm runs with SIMD ${w.simd ? "on" : "off"}, threads ${w.threads ? "on" : "off"}.`,
      "KL: the mean of each run's last 10 reports (every 10 epochs), median over runs; " +
        "GFLOP/s counts the products a step cannot avoid.",
    ],
  };
}

/** The profile's kernels in a few groups, largest first; products with a dimension of 1 apart. */
export function profileGroups(p: ReferenceProfile): { group: string; ms: number; share: number }[] {
  const groups = new Map<string, number>();
  const add = (g: string, ms: number) => groups.set(g, (groups.get(g) ?? 0) + ms);
  for (const k of p.kernels) {
    const dims = /^gemm_\w+ (\d+)x(\d+)x(\d+)/.exec(k.kernel);
    if (dims)
      add(
        dims.slice(1).includes("1") ? "products with K = 1 or N = 1 (outer / inner products)" : "other products",
        k.msPerEpoch,
      );
    else if (k.kernel === "unit_backward") add("products with K = 1 or N = 1 (outer / inner products)", k.msPerEpoch);
    else if (k.kernel.startsWith("critic1d_") || k.kernel === "unit_input_grad")
      add("the discriminator's fused kernels (1 -> 32 -> 1)", k.msPerEpoch);
    else if (k.kernel.startsWith("rng_")) add("noise (PRNG)", k.msPerEpoch);
    else if (k.kernel === "sigmoid_bce" || k.kernel === "squared_error") add("loss", k.msPerEpoch);
    else if (k.kernel === "sum_rows") add("bias gradients", k.msPerEpoch);
    else if (k.kernel.endsWith("_update")) add("optimizer", k.msPerEpoch);
    else add("other kernels", k.msPerEpoch);
  }
  add("outside the kernels (TypeScript, calls into wasm, the timers)", Math.max(0, p.outsideMs));
  return [...groups].map(([group, ms]) => ({ group, ms, share: ms / p.msPerEpoch })).sort((a, b) => b.ms - a.ms);
}

function profileTable(r: BenchResults): Table | null {
  const p = r.reference?.profile;
  if (!p) return null;
  return {
    title:
      `Where simdgan's reference epoch goes ` +
      `(one instrumented run of ${p.epochs} epochs, ${num(p.msPerEpoch)} ms/epoch with the timers)`,
    headers: ["", "ms/epoch", "share"],
    numeric: [false, true, true],
    rows: profileGroups(p).map((g) => [g.group, num(g.ms), `${(g.share * 100).toFixed(0)}%`]),
    notes: [
      `Largest single kernels: ${p.kernels
        .slice(0, 4)
        .map((k) => `${k.kernel} ${num(k.msPerEpoch * 1000)} µs`)
        .join(", ")} per epoch.`,
    ],
  };
}

function gemmTable(r: BenchResults): Table | null {
  const g = r.gemm;
  if (!g) return null;
  const roof = g.roofline.gflops;
  const torch = g.torch && "blas" in g.torch && g.rows.some((row) => row.summary.pytorch) ? g.torch : null;
  return {
    title: "GEMM C[M,N] = A[M,K]·B[K,N], GFLOP/s (median)",
    headers: [
      "M x K x N",
      "simdgan",
      "min-max",
      "% of roofline",
      "unpacked",
      `${g.threads ?? "all"} threads`,
      "speed-up",
      "ceiling",
      "tf.matMul cpu",
      "tf.matMul wasm",
      "vs wasm",
      ...(torch ? ["pytorch", "its % of roofline", `pytorch ${g.threads ?? "all"} threads`] : []),
    ],
    numeric: [false, true, true, true, true, true, true, true, true, true, true, ...(torch ? [true, true, true] : [])],
    rows: g.rows.map((row) => {
      const s = row.summary,
        t = s["simdgan-threads"],
        plain = s["simdgan-plain"];
      return [
        shapeLabel(row),
        num(s.simdgan!.median),
        range(s.simdgan!),
        `${((s.simdgan!.median / roof) * 100).toFixed(0)}%`,
        plain ? num(plain.median) : "-",
        t ? num(t.median) : "-",
        t ? times(t.median / s.simdgan!.median) : "-",
        ceilingCell(row),
        num(s["tfjs-cpu"]!.median),
        num(s["tfjs-wasm"]!.median),
        times(s.simdgan!.median / s["tfjs-wasm"]!.median),
        ...(torch
          ? [
              s.pytorch ? num(s.pytorch.median) : "-",
              s.pytorch ? `${((s.pytorch.median / roof) * 100).toFixed(0)}%` : "-",
              s["pytorch-threads"] ? num(s["pytorch-threads"].median) : "-",
            ]
          : []),
      ];
    }),
    notes: [
      ...(g.barrier
        ? [
            `${g.threads} threads: the thread pool over every core, each product split by rows of its output ` +
              "in whole 4-row tiles, a packed one by columns in whole 8-column panels (same bits as one thread); " +
              `a call below ${SPLIT_WORK} multiply-adds stays whole. ` +
              `The barrier costs ${num(g.barrier.summary.median)} µs per call (${range(g.barrier.summary)}; ` +
              "a split call that does no work).",
            CEILING_NOTE,
          ]
        : []),
      `Roofline: ${num(roof)} GFLOP/s, the best sample of a register-resident f32x4 multiply-add loop ` +
        `(bench/roofline.as, "${g.roofline.best}"), which takes turns with the products in every round.`,
      "AᵀB and ABᵀ are the backward products (weight and input gradients): " +
        "simdgan's gemm_tn and gemm_nt, tf.matMul with transposeA / transposeB. A row M x K x N is C[M,N] " +
        "summed over K in every form; the 64-row rows are the MNIST workload's layers at batch 64.",
      "simdgan runs the product the planner picks for a layer of that shape: packed (B copied into 8-column " +
        "panels, A into 4-row blocks, same sums to the bit) from 64 units and 256 inputs up (forward) or 16 " +
        "inputs (AᵀB); ABᵀ packs Bᵀ into the same panels from 4 units and 32 inputs up (gemm_nt_packed, its " +
        "sums in order over K where gemm_nt splits them across lanes); where it packs, unpacked is the plain product.",
      "tf.matMul gets the same B tensor on every call, so the wasm backend's cache of XNNPACK operators " +
        "(one per B, weights packed once) is warm: its best case.",
      ...(torch
        ? [
            `PyTorch ${torch.torch}: torch.mm on ${torch.blas}, in a process that lives through the suite and ` +
              "takes its turn in every round. Its share of the roofline can pass 100%: native code has AVX2's " +
              "8-lane vectors and fused multiply-add, where wasm SIMD has 4 lanes and a separate multiply and add.",
          ]
        : []),
    ],
  };
}

/** Geometric mean of how much a contender's step time grows per step of the sweep along one axis. */
export function growth(rows: readonly ScalingRow[], contender: string, along: "width" | "batch"): number {
  const other = along === "width" ? "batch" : "width";
  const logs: number[] = [];
  for (const row of rows) {
    const next = rows
      .filter((q) => q[other] === row[other] && q[along] > row[along])
      .sort((a, b) => a[along] - b[along])[0];
    if (next) logs.push(Math.log(next.summary[contender]!.median / row.summary[contender]!.median));
  }
  return logs.length ? Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length) : NaN;
}

function scalingTable(r: BenchResults): Table | null {
  const s = r.scaling;
  if (!s || s.rows.length === 0) return null;
  const widths = [...new Set(s.rows.map((q) => q.width))],
    batches = [...new Set(s.rows.map((q) => q.batch))];
  const step = (xs: number[]) => (xs.length > 1 ? `${xs[1]! / xs[0]!}x` : "-");
  const torch = s.rows.some((q) => q.summary.pytorch);
  return {
    title: "Scaling: G and D with 2 hidden layers, data dimension 2, ms per training step (median)",
    headers: [
      "width",
      "batch",
      "parameters",
      "simdgan",
      "min-max",
      `${s.threads ?? "all"} threads`,
      "speed-up",
      "ceiling",
      "tfjs-wasm",
      "min-max",
      "simdgan faster by",
      ...(torch ? ["pytorch", `pytorch ${s.threads ?? "all"} threads`] : []),
    ],
    numeric: [true, true, true, true, true, true, true, true, true, true, true, ...(torch ? [true, true] : [])],
    rows: s.rows.map((q) => [
      String(q.width),
      String(q.batch),
      String(q.params),
      num(q.summary.simdgan!.median),
      range(q.summary.simdgan!),
      q.summary["simdgan-threads"] ? num(q.summary["simdgan-threads"].median) : "-",
      q.summary["simdgan-threads"] ? times(q.summary.simdgan!.median / q.summary["simdgan-threads"].median) : "-",
      ceilingCell(q),
      num(q.summary["tfjs-wasm"]!.median),
      range(q.summary["tfjs-wasm"]!),
      times(q.summary["tfjs-wasm"]!.median / q.summary.simdgan!.median),
      ...(torch
        ? [
            q.summary.pytorch ? num(q.summary.pytorch.median) : "-",
            q.summary["pytorch-threads"] ? num(q.summary["pytorch-threads"].median) : "-",
          ]
        : []),
    ]),
    notes: [
      ...s.contenders.map(
        (c) =>
          `${c}: time grows ${times(growth(s.rows, c, "width"))} per ${step(widths)} width and ` +
          `${times(growth(s.rows, c, "batch"))} per ${step(batches)} batch (geometric means over the sweep).`,
      ),
      ...(s.rows.some((q) => q.ceiling) ? [CEILING_NOTE] : []),
      ...(s.torchBlas
        ? [
            `PyTorch (CPU) runs on ${s.torchBlas}, each point in its own process; its threads are the BLAS's ` +
              "(OPENBLAS_NUM_THREADS), torch's own pool at 1, its fastest setting on this machine.",
          ]
        : []),
      "tfjs-wasm sends only an untransposed product through XNNPACK; " +
        "the transposed products of every gradient run in a scalar loop (tfjs-backend-wasm's batch_mat_mul_impl.cc), " +
        "the AᵀB and ABᵀ rows of the GEMM table: the wider the layers, the more that dominates its step.",
    ],
  };
}

function footprintTables(r: BenchResults): Table[] {
  const f = r.footprint;
  if (!f) return [];
  const runs: Table = {
    title: "Footprint of a reference run (each contender in its own process)",
    headers: ["contender", "peak RSS", "start to first step", "wasm memory", "epochs", "ms/epoch"],
    numeric: [false, true, true, true, true, true],
    rows: Object.entries(f.runs).map(([name, run]) => [
      name,
      `${num(run.maxRssMB)} MB`,
      `${num(run.firstStepMs)} ms`,
      run.wasmMemory
        ? run.wasmMemory.used !== undefined
          ? `${kb(run.wasmMemory.used)} used of ${kb(run.wasmMemory.size)}`
          : kb(run.wasmMemory.size)
        : "-",
      String(run.epochs),
      num(run.msPerEpoch),
    ]),
    notes: Object.entries(f.skipped).map(([name, why]) => `${name}: skipped (${why}).`),
  };
  const files: Table = {
    title: "What a web page loads",
    headers: ["", "file", "bytes", "gzipped"],
    numeric: [false, false, true, true],
    rows: [["simdgan", "the .wasm alone", String(f.wasm.bytes), String(f.wasm.gzip)]],
    notes: [],
  };
  for (const [name, p] of Object.entries(f.payload)) {
    for (const file of p.files) files.rows.push([name, file.file, String(file.bytes), String(file.gzip)]);
    if (p.files.length > 1) files.rows.push([name, "total", String(p.bytes), String(p.gzip)]);
  }
  return [runs, files];
}

const THREADED = /-threads$/;

/** The MNIST step per contender: each compared with simdgan at the same thread count. */
function mnistTable(r: BenchResults): Table | null {
  const m = r.mnist;
  if (!m) return null;
  const roof = m.roofline.gflops,
    sh = m.shape;
  const peer = (name: string) => m.summary[THREADED.test(name) ? "simdgan-threads" : "simdgan"];
  const rows = m.contenders.map((name) => {
    const s = m.summary[name]!,
      own = peer(name),
      gflops = m.flopsPerStep / (s.median * 1e6);
    return [
      name,
      String(THREADED.test(name) ? m.threads : 1),
      num(s.median),
      range(s),
      name.startsWith("simdgan") || !own ? "" : times(s.median / own.median),
      num(gflops),
      `${((gflops / roof) * 100).toFixed(0)}%`,
      m.cores[name] !== undefined ? num(m.cores[name]) : "",
    ];
  });
  const cond = sh.classes ? `, conditional on ${sh.classes} classes (one-hot joined to G's noise and D's input)` : "";
  const w = r.machine.tfjsWasm;
  return {
    title:
      `MNIST workload (examples/mnist/config.json): G ${sh.noiseDim} -> ${sh.gHidden.join(" -> ")} -> ${sh.dim}, ` +
      `D ${sh.dim} -> ${sh.dHidden.join(" -> ")} -> 1, batch ${m.batch}, ms per training step (median)`,
    headers: [
      "contender",
      "threads",
      "ms/step",
      "min-max",
      "simdgan faster by",
      "GFLOP/s",
      "% of roofline",
      "cores busy",
    ],
    numeric: [false, true, true, true, true, true, true, true],
    rows,
    notes: [
      `${m.params} parameters${cond}; leaky relu 0.2, tanh output, normal noise, Adam (beta1 0.5) as the example.`,
      `${num(m.flopsPerStep / 1e9)} GFLOP of products per step (bench/flops.ts); ` +
        `roofline ${num(roof)} GFLOP/s (one core, bench/roofline.as, "${m.roofline.best}"), ` +
        "measured in the same rounds as the steps; % of roofline is of one core, so above 100% needs threads.",
      ...(m.summary["simdgan-threads"]
        ? [
            `simdgan at ${m.threads} threads: ` +
              `${times(m.summary.simdgan!.median / m.summary["simdgan-threads"].median)} its speed on one ` +
              `(each call split into whole tiles of its output, the same bits)` +
              (m.ceiling ? `; the machine's ceiling in the same rounds: ${ceilingCell(m)} (below).` : "."),
            ...(m.ceiling ? [CEILING_NOTE] : []),
          ]
        : []),
      "simdgan faster by: against simdgan at the same thread count (tfjs runs on one thread). " +
        `tfjs is the layers API (trainOnBatch), wasm with SIMD ${w.simd ? "on" : "off"}, ` +
        `threads ${w.threads ? "on" : "off"}.`,
      ...Object.entries(m.skipped).map(([name, why]) => `${name}: skipped (${why}).`),
      ...(m.torch
        ? [
            `PyTorch ${m.torch.version} (CPU) on ${m.torch.blas}, one long-lived process per thread count taking ` +
              "its turn in every round; its threads are the BLAS's (OPENBLAS_NUM_THREADS), torch's own pool at 1.",
          ]
        : []),
      "cores busy: CPU time over wall time of a contender's samples (median); " +
        "below its thread count, it waited for the other jobs on this shared machine.",
    ],
  };
}

/** The time to digits: the run's curve, a few points of it. */
function digitsTable(r: BenchResults): Table | null {
  const d = r.mnist?.digits;
  if (!d) return null;
  const every = Math.max(1, Math.ceil(d.curve.length / 10));
  const shown = d.curve.filter((_, i) => i % every === 0 || i === d.curve.length - 1);
  const cond = d.curve.some((p) => p.labelAccuracy !== undefined);
  const end = d.reached
    ? `reached at epoch ${d.curve.at(-1)!.epoch}: ${num(d.trainSeconds)} s of training, ${d.steps} steps`
    : `not reached in ${num(d.trainSeconds)} s (${d.steps} steps; the cap is ${d.capSeconds} s)`;
  return {
    title:
      `MNIST: time to recognisable digits on 1 thread (classifier score >= ${d.goal.minScore}, ` +
      `${d.goal.classes} classes covered), seed ${d.seed}: ${end}`,
    headers: [
      "epoch",
      "steps",
      "training s",
      "classifier score",
      "classes covered",
      "Frechet distance",
      ...(cond ? ["classified as asked"] : []),
    ],
    numeric: [true, true, true, true, true, true, ...(cond ? [true] : [])],
    rows: shown.map((p) => [
      String(p.epoch),
      String(p.steps),
      num(p.trainSeconds),
      num(p.classifierScore),
      String(p.classesCovered),
      num(p.frechet),
      ...(cond ? [p.labelAccuracy === undefined ? "-" : `${(p.labelAccuracy * 100).toFixed(0)}%`] : []),
    ]),
    notes: [
      `Training time only: ${num(d.cpuSeconds)} s of process CPU time in it (the machine is shared); ` +
        `the evaluations after every epoch (1000 fakes through the classifier) took ${num(d.evalSeconds)} s apart.`,
      `The judge: simdgan's own classifier (${d.classifier.hidden.join(" -> ")} relu, ` +
        `${d.classifier.epochs} epochs, ${num(d.classifier.seconds)} s before the clock starts), ` +
        `${(d.classifier.testAccuracy * 100).toFixed(1)}% on ${d.classifier.testRows} held-out digits; ` +
        `the real digits score ${num(d.realScore)}.`,
    ],
  };
}

function targetsTable(r: BenchResults): Table {
  return {
    title: "Targets",
    headers: ["area", "target", "measured", "met"],
    numeric: [false, false, false, false],
    rows: r.targets.map((t) => [
      t.area,
      t.goal,
      t.measured,
      t.met === null ? "not measured" : t.met ? "yes" : "missed",
    ]),
    notes: [],
  };
}

function sweepTable(r: BenchResults): Table | null {
  const s = r.sweep;
  if (!s) return null;
  const one = s.rows.find((row) => row.name === "local, 1 worker");
  const rows = s.rows.map((row) => [
    row.name,
    num(row.summary.median),
    range(row.summary),
    one ? times(row.summary.median / one.summary.median) : "",
  ]);
  for (const [name, why] of Object.entries(s.skipped)) rows.push([name, `skipped: ${why}`, "", ""]);
  return {
    title:
      `Sweeps: ${s.trials} reference-workload trials (${s.epochs} epochs) per sweep` +
      (s.configurations ? ` (${s.configurations} configurations x ${s.trials / s.configurations} seeds)` : "") +
      ", trials per minute (median)",
    headers: ["where the trials run", "trials/min", "min-max", "vs 1 worker"],
    numeric: [false, true, true, true],
    rows,
    notes: [
      `${s.cores} cores; each sweep starts its pool (threads, wasm) or, for the queue, uses 2 worker processes ` +
        "started before the clock; Redis on this machine.",
      ...(s.grid
        ? [
            `The grid: ${Object.entries(s.grid)
              .map(([option, values]) => `${option} ${values.join(" or ")}`)
              .join(" by ")}, every other option at its default.`,
          ]
        : []),
    ],
  };
}

export function tables(r: BenchResults): Table[] {
  return [
    referenceTable(r),
    profileTable(r),
    gemmTable(r),
    scalingTable(r),
    ...footprintTables(r),
    sweepTable(r),
    mnistTable(r),
    digitsTable(r),
    targetsTable(r),
  ].filter((t): t is Table => t !== null);
}
