import { describe, expect, it } from "vitest";
import { speedupSpec, svgChart } from "../bench/report/chart.js";
import { resultsJSON } from "../bench/report/json.js";
import { END, markdownSection, markdownTable, spliceSection, START } from "../bench/report/markdown.js";
import { torchEnv } from "../bench/suites/torch.js";
import type { BenchResults, DigitsResult } from "../bench/report/results.js";
import { limits } from "../bench/report/limits.js";
import { growth, num, profileGroups, shapeLabel, tables } from "../bench/report/sections.js";
import { textReport, textTable } from "../bench/report/table.js";
import { judgeTargets } from "../bench/report/targets.js";
import { rewritesReadme } from "../bench/main.js";
import { summarize } from "../bench/stats.js";

const s = (...xs: number[]) => summarize(xs);
const scalingRow = (width: number, batch: number, simd: number, wasm: number) => ({
  width,
  batch,
  params: width * width,
  flopsPerStep: 1e6,
  samples: { simdgan: [simd], "tfjs-wasm": [wasm] },
  summary: { simdgan: s(simd), "tfjs-wasm": s(wasm) },
});

function fixture(): BenchResults {
  const r: BenchResults = {
    command: "npm run bench -- --quick",
    quick: true,
    date: "2026-01-02T03:04:05.000Z",
    machine: {
      cpu: "Test CPU",
      cores: 2,
      memoryGB: 8,
      os: "linux",
      arch: "x64",
      node: "20.20.0",
      v8: "11",
      tfjs: "4.22.0",
      tfjsWasm: { simd: true, threads: false },
      torch: null,
      loadAverage: 1.5,
    },
    reference: {
      epochs: 100,
      reps: 3,
      flopsPerEpoch: 3e6,
      skipped: { pytorch: "torch not importable" },
      profile: {
        epochs: 100,
        msPerEpoch: 0.2,
        outsideMs: 0.04,
        kernels: [
          { kernel: "gemm_nn 333x16x32", msPerEpoch: 0.05, callsPerEpoch: 2 },
          { kernel: "gemm_nt 333x1x32 (ABᵀ)", msPerEpoch: 0.06, callsPerEpoch: 4 },
          { kernel: "rng_uniform", msPerEpoch: 0.03, callsPerEpoch: 3 },
          { kernel: "adam_update", msPerEpoch: 0.02, callsPerEpoch: 6 },
        ],
      },
      contenders: [
        {
          name: "simdgan",
          msPerEpoch: [0.1, 0.1, 0.2],
          kl: [0.2, 0.21, 0.19],
          summary: s(0.1, 0.1, 0.2),
          klSummary: s(0.2, 0.21, 0.19),
        },
        {
          name: "tfjs-cpu",
          msPerEpoch: [20, 25, 30],
          kl: [0.2, 0.2, 0.2],
          summary: s(20, 25, 30),
          klSummary: s(0.2, 0.2, 0.2),
        },
        {
          name: "tfjs-wasm",
          msPerEpoch: [5, 5, 5],
          kl: [0.3, 0.3, 0.3],
          summary: s(5, 5, 5),
          klSummary: s(0.3, 0.3, 0.3),
        },
      ],
    },
    gemm: {
      roofline: { samples: { chains: [50, 50, 50] }, gflops: 50, best: "chains" },
      rows: [
        { M: 333, K: 16, N: 32, samples: {}, summary: { simdgan: s(46), "tfjs-cpu": s(1), "tfjs-wasm": s(5) } },
        { M: 666, K: 32, N: 1, samples: {}, summary: { simdgan: s(10), "tfjs-cpu": s(1), "tfjs-wasm": s(2) } },
        { M: 128, K: 128, N: 128, samples: {}, summary: { simdgan: s(42), "tfjs-cpu": s(1), "tfjs-wasm": s(28) } },
      ],
    },
    scaling: {
      contenders: ["simdgan", "tfjs-wasm"],
      rows: [
        scalingRow(32, 64, 1, 4),
        scalingRow(32, 512, 2, 6),
        scalingRow(128, 64, 4, 8),
        scalingRow(128, 512, 8, 30),
      ],
    },
    footprint: {
      runs: {
        simdgan: {
          maxRssMB: 60,
          firstStepMs: 50,
          msPerEpoch: 0.2,
          epochs: 100,
          wasmMemory: { used: 70000, size: 131072 },
        },
      },
      skipped: {},
      wasm: { file: "build/simdgan.wasm", bytes: 15000, gzip: 7000 },
      payload: { simdgan: { files: [{ file: "bundle", bytes: 60000, gzip: 20000 }], bytes: 60000, gzip: 20000 } },
    },
    targets: [],
  };
  r.targets = judgeTargets(r);
  return r;
}

// The MNIST suite's results: 40 ms a step against tfjs-wasm's 400 (10x), PyTorch 48 and 30 ms against
// simdgan's 40 and 24 (1.2x, 1.25x), and digits reached at 150 s on the third evaluation.
function withMnist(digits: Partial<DigitsResult> = {}): BenchResults {
  const r = fixture();
  const ms: Record<string, number[]> = {
    simdgan: [40, 42, 38],
    "simdgan-threads": [24, 25, 23],
    "tfjs-wasm": [400, 410, 390],
    "tfjs-cpu": [2000, 2100, 1900],
    pytorch: [48, 50, 46],
    "pytorch-threads": [30, 31, 29],
  };
  const point = (epoch: number, trainSeconds: number, classifierScore: number, classesCovered: number) => ({
    epoch,
    steps: epoch * 157,
    trainSeconds,
    classifierScore,
    classesCovered,
    frechet: 100 / (epoch + 1),
    labelAccuracy: 0.1 + epoch / 20,
  });
  r.mnist = {
    batch: 64,
    shape: { noiseDim: 100, gHidden: [256, 512], dim: 784, dHidden: [512, 256], classes: 10 },
    params: 1100817,
    flopsPerStep: 0.8e9,
    threads: 2,
    contenders: Object.keys(ms),
    samples: ms,
    summary: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, s(...v)])),
    roofline: { samples: { chains: [40, 38] }, gflops: 40, best: "chains" },
    cores: { simdgan: 0.98, "simdgan-threads": 1.95, "tfjs-wasm": 1, pytorch: 1.02, "pytorch-threads": 1.9 },
    torch: { version: "1.13.0", blas: "libopenblasp-r0.3.21.so" },
    skipped: {},
    digits: {
      seed: 1,
      classifier: { hidden: [256, 64], epochs: 10, testAccuracy: 0.945, testRows: 2000, seconds: 6 },
      realScore: 9,
      goal: { minScore: 8, classes: 10 },
      capSeconds: 600,
      reached: true,
      steps: 3 * 157,
      trainSeconds: 150,
      cpuSeconds: 140,
      evalSeconds: 4,
      curve: [point(0, 0, 1.2, 6), point(1, 50, 5, 9), point(2, 100, 7.9, 10), point(3, 150, 8.2, 10)],
      ...digits,
    },
  };
  r.targets = judgeTargets(r);
  return r;
}

describe("bench targets", () => {
  it("judges each target from the medians and never calls an unmeasured one met", () => {
    const t = Object.fromEntries(judgeTargets(fixture()).map((x) => [x.goal, x]));
    expect(t[">= 60x faster per epoch than tfjs-wasm"]).toMatchObject({ measured: "50.0x", met: false });
    expect(t[">= 150x faster per epoch than tfjs-cpu"]).toMatchObject({ measured: "250x", met: true });
    expect(t[">= 19x faster per epoch than pytorch"]).toMatchObject({ measured: "torch not importable", met: null });
    // 42 GFLOP/s at 128^3 misses 45 even though 333x16x32 makes it; 666x32x1 (N < 16) is not judged.
    expect(t[">= 45 GFLOP/s at every shape with K, N >= 16"]).toMatchObject({
      met: false,
      measured: "slowest 128x128x128: 42.0 GFLOP/s",
    });
    expect(t[">= 1.3x tf.matMul (wasm) at 128^3-512^3"]).toMatchObject({ measured: "1.5x", met: true });
    expect(t["best shape >= 80% of the measured roofline"]).toMatchObject({ met: true });
    // 128^3 at 42 of 50 GFLOP/s is 84%, under 85%; 333x16x32 (92%) would make it.
    expect(t[">= 85% of the roofline at every shape with K, N >= 16, in all three forms"]).toMatchObject({
      measured: "lowest 128x128x128: 84%",
      met: false,
    });
    expect(t[">= 2x faster than tfjs-wasm per step at every width and batch"]).toMatchObject({
      measured: "lowest 2.0x, highest 4.0x",
      met: true,
    });
    expect(t["peak RSS of a reference run <= 80 MB"]!.met).toBe(true);
    expect(Object.keys(t).some((g) => g.startsWith("equal KL quality"))).toBe(true);
  });
});

describe("the MNIST suite's report", () => {
  const byGoal = (r: BenchResults) => Object.fromEntries(r.targets.map((t) => [t.goal, t]));

  it("judges the step against tfjs-wasm, the time to digits and PyTorch at 1 and every thread", () => {
    const t = byGoal(withMnist());
    expect(t[">= 8x faster per step than tfjs-wasm"]).toMatchObject({ area: "mnist", measured: "10.0x", met: true });
    const digits = "recognisable digits (classifier score >= 8, all classes) in <= 5 min on 1 thread";
    expect(t[digits]).toMatchObject({ measured: "150 s, 471 steps", met: true });
    expect(t["no slower than PyTorch (libopenblasp-r0.3.21.so) at the MNIST shape, at 1 and 2 threads"]).toMatchObject({
      area: "threads",
      measured: "1 thread: 1.2x, 2 threads: 1.3x",
      met: true,
    });
  });

  it("misses the digits past 5 minutes, and calls a run capped below that not measured", () => {
    const late = byGoal(withMnist({ trainSeconds: 320 }));
    const digits = "recognisable digits (classifier score >= 8, all classes) in <= 5 min on 1 thread";
    expect(late[digits]).toMatchObject({ measured: "320 s, 471 steps", met: false });
    const curve = withMnist().mnist!.digits!.curve.slice(0, 3);
    const missed = byGoal(withMnist({ reached: false, trainSeconds: 600, steps: 314, curve }));
    expect(missed[digits]).toMatchObject({ measured: "not reached in 600 s (best score 7.90)", met: false });
    const quick = byGoal(withMnist({ reached: false, trainSeconds: 12, steps: 157, curve: curve.slice(0, 2) }));
    expect(quick[digits]).toMatchObject({ measured: "not reached in 12 s (best score 5.00)", met: null });
  });

  it("misses against PyTorch when either thread count is slower, and skips it when torch is absent", () => {
    const r = withMnist();
    r.mnist!.summary["pytorch-threads"] = s(20);
    const slow = byGoal({ ...r, targets: judgeTargets(r) });
    const goal = "no slower than PyTorch (libopenblasp-r0.3.21.so) at the MNIST shape, at 1 and 2 threads";
    expect(slow[goal]).toMatchObject({ measured: "1 thread: 1.2x, 2 threads: 0.8x" });
    expect(slow[goal]!.met).toBe(false);
    const none = withMnist();
    const m = none.mnist!;
    delete m.summary.pytorch;
    delete m.summary["pytorch-threads"];
    delete m.torch;
    m.skipped.pytorch = "torch not importable by python3";
    const absent = byGoal({ ...none, targets: judgeTargets(none) });
    expect(absent["no slower than PyTorch at the MNIST shape, at 1 and 2 threads"]).toMatchObject({
      measured: "torch not importable by python3",
      met: null,
    });
  });

  it("tabulates each contender against simdgan at its own thread count, with GFLOP/s and the roofline share", () => {
    const ts = tables(withMnist());
    const step = ts.find((t) => t.title.startsWith("MNIST workload"))!;
    expect(step.title).toBe(
      "MNIST workload (examples/mnist/config.json): G 100 -> 256 -> 512 -> 784, D 784 -> 512 -> 256 -> 1, " +
        "batch 64, ms per training step (median)",
    );
    const row = (name: string) => step.rows.find((q) => q[0] === name)!;
    // 0.8 GFLOP in 40 ms: 20 GFLOP/s, half of the 40 GFLOP/s roofline.
    expect(row("simdgan")).toEqual(["simdgan", "1", "40.0", "38.0-42.0", "", "20.0", "50%", "0.980"]);
    expect(row("tfjs-cpu")[7]).toBe("");
    expect(row("simdgan-threads").slice(1, 7)).toEqual(["2", "24.0", "23.0-25.0", "", "33.3", "83%"]);
    expect(row("tfjs-wasm")[4]).toBe("10.0x");
    expect(row("pytorch").slice(4)).toEqual(["1.20x", "16.7", "42%", "1.02"]);
    // PyTorch at 2 threads against simdgan at 2 threads: 30 / 24.
    expect(row("pytorch-threads")[4]).toBe("1.25x");
    expect(step.notes.join(" ")).toContain("on libopenblasp-r0.3.21.so");
    expect(step.notes.join(" ")).toContain("conditional on 10 classes");
    expect(step.notes.join(" ")).toContain("simdgan at 2 threads: 1.67x its speed on one");
  });

  it("shows the skipped contenders, and the time to digits with its curve and the evaluation time apart", () => {
    const r = withMnist();
    r.mnist!.skipped["tfjs-cpu"] = "a step takes seconds: not in --quick";
    const text = textReport(tables(r));
    expect(text).toContain("tfjs-cpu: skipped (a step takes seconds: not in --quick).");
    const digits = tables(r).find((t) => t.title.startsWith("MNIST: time to recognisable digits"))!;
    expect(digits.title).toContain("seed 1: reached at epoch 3: 150 s of training, 471 steps");
    expect(digits.rows.map((q) => q[3])).toEqual(["1.20", "5.00", "7.90", "8.20"]);
    expect(digits.rows[3]).toEqual(["3", "471", "150", "8.20", "10", "25.0", "25%"]);
    expect(digits.notes[0]).toContain("140 s of process CPU time");
    expect(digits.notes[0]).toContain("took 4.00 s apart");
    expect(digits.notes[1]).toContain("94.5% on 2000 held-out digits; the real digits score 9.00");
  });

  it("explains the MNIST misses with the run's own figures", () => {
    expect(limits(withMnist()).join("\n")).not.toContain("MNIST");
    const r = withMnist({ trainSeconds: 400, cpuSeconds: 200 });
    r.mnist!.summary["tfjs-wasm"] = s(200);
    r.mnist!.summary["pytorch-threads"] = s(20);
    const text = limits(r).join("\n");
    expect(text).toContain(
      "MNIST against tfjs-wasm: 8x needs 25.0 ms a step; simdgan takes 40.0 ms (20.0 GFLOP/s, 50%",
    );
    expect(text).toContain("MNIST against pytorch-threads (libopenblasp-r0.3.21.so): 20.0 ms a step, simdgan 24.0 ms");
    expect(text).not.toContain("against pytorch (");
    expect(text).toContain("reached after 400 s of training (471 steps, 849 ms a step) of which the process had 200 s");
  });

  it("shows at most about ten points of a long curve, always the last", () => {
    const curve = Array.from({ length: 31 }, (_, e) => ({
      epoch: e,
      steps: e * 157,
      trainSeconds: e * 10,
      classifierScore: e / 4,
      classesCovered: 10,
      frechet: 10,
    }));
    const digits = tables(withMnist({ curve, reached: false, trainSeconds: 300, steps: 30 * 157 })).find((t) =>
      t.title.startsWith("MNIST: time"),
    )!;
    expect(digits.rows.map((q) => q[0])).toEqual(["0", "4", "8", "12", "16", "20", "24", "28", "30"]);
    expect(digits.headers).not.toContain("classified as asked");
    expect(digits.title).toContain("not reached in 300 s (4710 steps; the cap is 600 s)");
  });
});

describe("bench tables", () => {
  it("formats figures to a few significant digits", () => {
    expect([num(1234.5), num(25.43), num(8.345), num(0.36331), num(NaN)]).toEqual([
      "1235",
      "25.4",
      "8.35",
      "0.363",
      "-",
    ]);
  });

  it("states how step time grows along each axis of the sweep", () => {
    const rows = fixture().scaling!.rows;
    expect(growth(rows, "simdgan", "batch")).toBeCloseTo(2);
    expect(growth(rows, "simdgan", "width")).toBeCloseTo(4);
    expect(growth(rows, "tfjs-wasm", "batch")).toBeCloseTo(Math.sqrt((1.5 * 30) / 8));
  });

  it("renders the reference table with speed-ups against simdgan and the skipped contender", () => {
    const workload = tables(fixture())[0]!;
    const text = textTable(workload);
    expect(text).toContain("Reference workload: 100 epochs, median of 3 runs");
    expect(text).toMatch(/tfjs-cpu\s+25.0\s+20.0-30.0\s+250x/);
    expect(text).toContain("pytorch    skipped: torch not importable");
    expect(text).toContain("SIMD on, threads off");
    const lines = text.split("\n");
    expect(lines[1]!.indexOf("ms/epoch") + "ms/epoch".length).toBe(lines[3]!.indexOf("0.100") + 5);
  });

  it("writes Markdown tables with right-aligned numbers, escaped pipes and bold misses", () => {
    const md = markdownTable({
      title: "T",
      headers: ["a|b", "n"],
      numeric: [false, true],
      rows: [["x", "missed"]],
      notes: ["a note"],
    });
    expect(md).toBe("### T\n\n| a\\|b | n |\n| --- | ---: |\n| x | **missed** |\n\n- a note");
  });

  it("builds a README section naming the command, the misses and what limits them", () => {
    const r = fixture();
    const md = markdownSection(r, tables(r), {
      json: "bench/results/bench-quick.json",
      chart: "bench/results/speedup.svg",
      limits: ["GEMM: because."],
    });
    expect(md).toContain("Generated by `npm run bench -- --quick`");
    expect(md).toContain("![Speed-up");
    expect(md).toContain("| reference | >= 60x faster per epoch than tfjs-wasm | 50.0x | **missed** |");
    expect(md).toContain("### What limits the missed targets\n\n- GEMM: because.");
  });

  it("says how long the full run took, and nothing of the kind for a quick or partial one", () => {
    const extras = { json: "bench/results/bench.json", limits: [] };
    const full = { ...fixture(), command: "npm run bench", quick: false, seconds: 1530 };
    expect(markdownSection(full, tables(full), extras)).toContain("the full comparison (this one: 26 minutes);");
    const quick = { ...fixture(), seconds: 60 };
    expect(markdownSection(quick, tables(quick), extras)).toContain("the full comparison; rewrites this section");
    const partial = { ...full, command: "npm run bench -- --only mnist" };
    expect(markdownSection(partial, tables(partial), extras)).not.toContain("this one:");
  });

  it("rewrites the README only from a run of every suite, so --only never drops the other tables", () => {
    const every = new Set(["reference", "gemm", "scaling", "footprint", "sweep", "mnist"]);
    expect(rewritesReadme(every, false)).toBe(true);
    expect(rewritesReadme(every, true)).toBe(false);
    expect(rewritesReadme(new Set(["sweep"]), false)).toBe(false);
    expect(rewritesReadme(new Set([...every].filter((s) => s !== "mnist")), false)).toBe(false);
  });

  it("tabulates the sweep's grid as configurations x seeds", () => {
    const sweep = {
      trials: 80,
      configurations: 4,
      grid: { "gOptimizer.learningRate": [0.0005, 0.001], loss: ["minimax", "lsgan"] },
      epochs: 1000,
      cores: 2,
      rows: [
        { name: "local, 1 worker", trialsPerMinute: [250], summary: summarize([250]) },
        { name: "local, 2 workers", trialsPerMinute: [480], summary: summarize([480]) },
      ],
      skipped: {},
    };
    const table = tables({ ...fixture(), sweep }).find((t) => t.title.startsWith("Sweeps"))!;
    expect(table.title).toContain("80 reference-workload trials (1000 epochs) per sweep (4 configurations x 20 seeds)");
    expect(table.notes.join(" ")).toContain("gOptimizer.learningRate 0.0005 or 0.001 by loss minimax or lsgan");
    expect(table.rows[1]).toEqual(["local, 2 workers", "480", "480-480", "1.92x"]);
  });
});

describe("bench profile and limits", () => {
  it("groups the profiled kernels, products with a dimension of 1 apart", () => {
    const groups = profileGroups(fixture().reference!.profile!);
    expect(groups.map((g) => [g.group.split(" (")[0], Math.round(g.share * 100)])).toEqual([
      ["products with K = 1 or N = 1", 30],
      ["other products", 25],
      ["outside the kernels", 20],
      ["noise", 15],
      ["optimizer", 10],
    ]);
  });

  it("puts the fused discriminator kernels in a group of their own, unit_backward with the thin products", () => {
    const profile = {
      epochs: 10,
      msPerEpoch: 1,
      outsideMs: 0.1,
      kernels: [
        { kernel: "critic1d_forward", msPerEpoch: 0.3, callsPerEpoch: 6 },
        { kernel: "critic1d_backward", msPerEpoch: 0.2, callsPerEpoch: 3 },
        { kernel: "unit_input_grad", msPerEpoch: 0.1, callsPerEpoch: 3 },
        { kernel: "unit_backward", msPerEpoch: 0.3, callsPerEpoch: 3 },
      ],
    };
    expect(profileGroups(profile).map((g) => [g.group.split(" (")[0], Math.round(g.share * 100)])).toEqual([
      ["the discriminator's fused kernels", 60],
      ["products with K = 1 or N = 1", 30],
      ["outside the kernels", 10],
    ]);
  });

  it("labels products by shape and direction", () => {
    expect(shapeLabel({ M: 256, K: 256, N: 256, op: "tn" })).toBe("256x256x256 AᵀB");
    expect(shapeLabel({ M: 333, K: 16, N: 32 })).toBe("333x16x32");
  });

  it("explains each missed target with the run's own figures", () => {
    const text = limits(fixture()).join("\n");
    expect(text).toContain(
      "Reference workload against tfjs-wasm: 60x needs 0.083 ms/epoch; simdgan takes 0.100 (50.0x).",
    );
    expect(text).not.toContain("against tfjs-cpu");
    expect(text).toContain("30% of the epoch goes to products with a dimension of 1");
    expect(text).toContain("666x32x1 runs at 10.0 GFLOP/s");
    expect(text).toContain("GEMM: 128x128x128 runs at 42.0 GFLOP/s (84% of the roofline)");
    expect(text).not.toContain("GEMM against tf.matMul");
  });
});

describe("the GEMM table's PyTorch contender", () => {
  const withTorch = (): BenchResults => {
    const r = fixture();
    r.gemm!.torch = { torch: "1.13", blas: "libopenblasp-r0.3.21.so" };
    r.gemm!.threads = 2;
    r.gemm!.rows[2]!.summary.pytorch = summarize([60, 61, 59]);
    r.gemm!.rows[2]!.summary["pytorch-threads"] = summarize([110]);
    r.gemm!.rows[0]!.summary.pytorch = summarize([5]);
    return r;
  };

  it("adds PyTorch's GFLOP/s, its share of the wasm roofline and its threaded figure to each row", () => {
    const table = tables(withTorch()).find((t) => t.title.startsWith("GEMM"))!;
    expect(table.headers.slice(-3)).toEqual(["pytorch", "its % of roofline", "pytorch 2 threads"]);
    expect(table.rows[2]!.slice(-3)).toEqual(["60.0", "120%", "110"]);
    expect(table.rows[1]!.slice(-3)).toEqual(["-", "-", "-"]);
    expect(table.notes.join(" ")).toContain("torch.mm on libopenblasp-r0.3.21.so");
    expect(tables(fixture()).find((t) => t.title.startsWith("GEMM"))!.headers).not.toContain("pytorch");
  });

  it("explains a missed PyTorch target by its fastest product against the roofline, only when missed", () => {
    const r = withTorch();
    expect(limits(r).join("\n")).not.toContain("PyTorch: torch.mm");
    r.targets.push({ area: "threads", goal: "no slower than PyTorch at 2 threads", measured: "0.5x", met: false });
    expect(limits(r).join("\n")).toContain(
      "PyTorch: torch.mm on libopenblasp-r0.3.21.so reaches 60.0 GFLOP/s on one thread (128x128x128), 120% of the " +
        "50.0 GFLOP/s",
    );
  });
});

describe("README splicing", () => {
  it("replaces only the text between the markers", () => {
    const readme = `# x\n\nintro\n\n${START}\nold\n${END}\n\n## after\n`;
    expect(spliceSection(readme, "new\n")).toBe(`# x\n\nintro\n\n${START}\nnew\n${END}\n\n## after\n`);
  });

  it("appends the markers when the README has none", () => {
    expect(spliceSection("# x\n", "s")).toBe(`# x\n\n${START}\ns\n${END}\n`);
    expect(spliceSection("", "s")).toBe(`${START}\ns\n${END}\n`);
  });
});

describe("bench JSON", () => {
  it("round-trips the results, arrays of numbers on one line, non-finite numbers as null", () => {
    const r = fixture();
    r.reference!.contenders[0]!.msPerEpoch.push(NaN);
    const text = resultsJSON(r);
    expect(text).toContain('"msPerEpoch": [0.1, 0.1, 0.2, null]');
    const back = JSON.parse(text) as BenchResults;
    expect(back.gemm!.rows[2]!.summary.simdgan!.median).toBe(42);
    expect(back.targets).toEqual(JSON.parse(JSON.stringify(r.targets)));
  });
});

describe("bench chart", () => {
  it("draws one line per batch size and the 2x target as SVG", async () => {
    const spec = speedupSpec(fixture().scaling!);
    const svg = await svgChart(spec);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("batch 64");
    expect(svg).toContain("batch 512");
    expect(svg).toContain("times faster than tfjs-wasm");
    expect((svg.match(/<path[^>]*class="[^"]*"/g) ?? []).length).toBeGreaterThan(0);
  });
});

describe("the PyTorch contender's threads", () => {
  it("go to the BLAS through its environment, so '1 thread' cannot start one BLAS thread per core", () => {
    for (const n of [1, 2, 8]) {
      const env = torchEnv(n);
      expect([env.OPENBLAS_NUM_THREADS, env.OMP_NUM_THREADS, env.MKL_NUM_THREADS]).toEqual([`${n}`, `${n}`, `${n}`]);
      expect(env.PATH).toBe(process.env.PATH);
    }
  });
});

describe("the machine's thread ceiling", () => {
  // The roofline loop on one core and on every core at once, in the same rounds as the contenders.
  const withCeiling = (): BenchResults => {
    const r = fixture();
    r.scaling!.threads = 2;
    const wide = r.scaling!.rows.find((q) => q.width === 128 && q.batch === 512)!;
    wide.summary["simdgan-threads"] = summarize([5]);
    wide.ceiling = { one: [30, 10, 20], all: [50, 15, 30] };
    r.targets = judgeTargets(r);
    return r;
  };

  it("shows every core's roofline over one core's (median over median) beside each thread speed-up", () => {
    const table = tables(withCeiling()).find((t) => t.title.startsWith("Scaling"))!;
    const col = table.headers.indexOf("ceiling");
    expect(table.headers[col - 1]).toBe("speed-up");
    const cell = (w: string, b: string) => table.rows.find((q) => q[0] === w && q[1] === b)![col];
    expect(cell("128", "512")).toBe("1.50x");
    expect(cell("32", "64")).toBe("-");
    expect(table.notes.join(" ")).toContain("roofline loop on every core at once");
    expect(
      tables(fixture())
        .find((t) => t.title.startsWith("Scaling"))!
        .notes.join(" "),
    ).not.toContain("every core at once");
  });

  it("quotes the ceilings of the judged rows with a thread target, and judges the target as before", () => {
    const t = withCeiling().targets.find((q) => q.goal.includes("width >= 128 and batch >= 512"))!;
    expect(t.measured).toBe("lowest 1.6x (machine's ceiling 1.5x)");
    expect(t.met).toBe(false);
  });

  it("explains a missed thread target by the ceilings of the run, and says nothing without them", () => {
    expect(limits(withCeiling()).join("\n")).toContain(
      "the roofline loop on all 2 cores at once against one core in the same rounds, was 1.50x-1.50x",
    );
    const none = fixture();
    none.targets.push({ area: "threads", goal: ">= 1.8x at 2 threads", measured: "1.2x", met: false });
    expect(limits(none).join("\n")).not.toContain("ceiling");
  });
});
