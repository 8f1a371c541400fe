// The bench's speed and footprint targets, judged against one run. A target whose inputs this run did not measure is
// reported as not measured (met: null), never as met.
import type { BenchResults, CeilingSamples, Target } from "./results.js";
import { ceilingRatio, shapeLabel } from "./sections.js";

export const REFERENCE_TARGETS: Readonly<Record<string, number>> = { "tfjs-wasm": 60, "tfjs-cpu": 150, pytorch: 19 };
export const GEMM_MIN_GFLOPS = 45;
export const GEMM_VS_TFJS_WASM = 1.3;
export const ROOFLINE_SHARE = 0.8;
/** Every product with K, N >= 16, in each of the three forms, as a share of the roofline of the same run. */
export const EVERY_SHAPE_SHARE = 0.85;
export const SCALING_MIN = 2;
export const WASM_MAX_BYTES = 16 * 1024;
export const PAYLOAD_MAX_GZIP = 40 * 1024;
export const RSS_MAX_MB = 80;
/** Threads: speed-up at every core over one thread, and "auto" on the reference workload against one thread. */
export const THREADS_SPEEDUP = 1.8;
export const AUTO_REFERENCE_RATIO = 0.97;
/** Trials per minute on every core (2 here) over 1 worker. */
export const SWEEP_SCALING = 1.8;
/** The queue's time per trial over a local pool's of as many workers. */
export const QUEUE_OVERHEAD = 0.05;
/** MNIST: times faster per step than tfjs-wasm; seconds of training to recognisable digits on one thread. */
export const MNIST_VS_TFJS_WASM = 8;
export const DIGITS_MAX_SECONDS = 300;
/** "Equal KL quality": simdgan's median KL at most this much above the other contenders' median. */
export const KL_TOLERANCE = 1.25;

const x = (v: number) => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)}x`;

export function judgeTargets(r: BenchResults): Target[] {
  const out: Target[] = [];
  const workload = r.reference;
  const simd = workload?.contenders.find((c) => c.name === "simdgan");
  for (const [name, goal] of Object.entries(REFERENCE_TARGETS)) {
    const other = workload?.contenders.find((c) => c.name === name);
    const target = { area: "reference", goal: `>= ${goal}x faster per epoch than ${name}` };
    if (!simd || !other) out.push({ ...target, measured: workload?.skipped[name] ?? "not measured", met: null });
    else {
      const ratio = other.summary.median / simd.summary.median;
      out.push({ ...target, measured: x(ratio), met: ratio >= goal });
    }
  }
  const others = workload?.contenders.filter((c) => !c.name.startsWith("simdgan")) ?? [];
  if (simd && others.length > 0) {
    const ref = others.map((c) => c.klSummary.median).sort((a, b) => a - b)[others.length >> 1]!;
    out.push({
      area: "reference",
      goal: `equal KL quality (simdgan's KL <= ${KL_TOLERANCE} x the others' median)`,
      measured: `${simd.klSummary.median.toFixed(3)} vs ${ref.toFixed(3)}`,
      met: simd.klSummary.median <= KL_TOLERANCE * ref,
    });
  }

  const gemm = r.gemm;
  if (gemm) {
    const plain = gemm.rows.filter((row) => (row.op ?? "nn") === "nn");
    const big = plain.filter((row) => row.K >= 16 && row.N >= 16);
    const worst = big.reduce((a, b) => (a.summary.simdgan!.median <= b.summary.simdgan!.median ? a : b));
    out.push({
      area: "gemm",
      goal: `>= ${GEMM_MIN_GFLOPS} GFLOP/s at every shape with K, N >= 16`,
      measured: `slowest ${worst.M}x${worst.K}x${worst.N}: ${worst.summary.simdgan!.median.toFixed(1)} GFLOP/s`,
      met: big.every((row) => row.summary.simdgan!.median >= GEMM_MIN_GFLOPS),
    });
    const square = plain.filter((row) => row.M === row.K && row.K === row.N && row.M >= 128);
    const ratios = square.map((row) => row.summary.simdgan!.median / row.summary["tfjs-wasm"]!.median);
    out.push({
      area: "gemm",
      goal: `>= ${GEMM_VS_TFJS_WASM}x tf.matMul (wasm) at 128^3-512^3`,
      measured: ratios.map(x).join(", "),
      met: ratios.length > 0 && ratios.every((q) => q >= GEMM_VS_TFJS_WASM),
    });
    const best = Math.max(...gemm.rows.map((row) => row.summary.simdgan!.median));
    const share = best / gemm.roofline.gflops;
    out.push({
      area: "gemm",
      goal: `best shape >= ${ROOFLINE_SHARE * 100}% of the measured roofline`,
      measured: `${(share * 100).toFixed(0)}% (${best.toFixed(1)} of ${gemm.roofline.gflops.toFixed(1)} GFLOP/s)`,
      met: share >= ROOFLINE_SHARE,
    });
    const judged = gemm.rows.filter((row) => row.K >= 16 && row.N >= 16);
    const lowest = judged.reduce((a, b) => (a.summary.simdgan!.median <= b.summary.simdgan!.median ? a : b));
    const low = lowest.summary.simdgan!.median / gemm.roofline.gflops;
    out.push({
      area: "gemm",
      goal: `>= ${EVERY_SHAPE_SHARE * 100}% of the roofline at every shape with K, N >= 16, in all three forms`,
      measured: `lowest ${shapeLabel(lowest)}: ${(low * 100).toFixed(0)}%`,
      met: low >= EVERY_SHAPE_SHARE,
    });
  }

  const scaling = r.scaling;
  if (scaling && scaling.rows.length > 0) {
    const ratios = scaling.rows.map((row) => row.summary["tfjs-wasm"]!.median / row.summary.simdgan!.median);
    const low = Math.min(...ratios);
    out.push({
      area: "scaling",
      goal: `>= ${SCALING_MIN}x faster than tfjs-wasm per step at every width and batch`,
      measured: `lowest ${x(low)}, highest ${x(Math.max(...ratios))}`,
      met: low >= SCALING_MIN,
    });
  }

  out.push(...threadTargets(r), ...mnistTargets(r));

  const fp = r.footprint;
  if (fp) {
    out.push({
      area: "footprint",
      goal: `.wasm <= ${WASM_MAX_BYTES / 1024} KB`,
      measured: `${(fp.wasm.bytes / 1024).toFixed(1)} KB`,
      met: fp.wasm.bytes <= WASM_MAX_BYTES,
    });
    const page = fp.payload.simdgan;
    if (page) {
      out.push({
        area: "footprint",
        goal: `browser payload <= ${PAYLOAD_MAX_GZIP / 1024} KB gzipped`,
        measured: `${(page.gzip / 1024).toFixed(1)} KB`,
        met: page.gzip <= PAYLOAD_MAX_GZIP,
      });
    }
    const run = fp.runs.simdgan;
    out.push({
      area: "footprint",
      goal: `peak RSS of a reference run <= ${RSS_MAX_MB} MB`,
      measured: run ? `${run.maxRssMB.toFixed(1)} MB` : "not measured",
      met: run ? run.maxRssMB <= RSS_MAX_MB : null,
    });
  }

  const sw = r.sweep;
  if (sw) {
    const rate = (name: string) => sw.rows.find((row) => row.name === name)?.summary.median;
    const one = rate("local, 1 worker"),
      all = rate(`local, ${sw.cores} workers`);
    out.push({
      area: "sweep",
      goal: `>= ${SWEEP_SCALING}x the trials/min of 1 worker on every core (${sw.cores})`,
      measured: one && all ? x(all / one) : "not measured",
      met: one && all ? all / one >= SWEEP_SCALING : null,
    });
    const local2 = rate("local, 2 workers"),
      queue2 = rate("queue, 2 worker processes");
    // Time per trial is the inverse of the rate: the queue's extra time per trial is local / queue - 1.
    const overhead = local2 && queue2 ? local2 / queue2 - 1 : null;
    out.push({
      area: "sweep",
      goal: `queue with 2 workers: <= ${QUEUE_OVERHEAD * 100}% more time per trial than a local pool of 2`,
      measured: overhead === null ? (sw.skipped["queue, 2 worker processes"] ?? "not measured") : pct(overhead),
      met: overhead === null ? null : overhead <= QUEUE_OVERHEAD,
    });
  }
  return out;
}

// Threads: the contender "simdgan-threads" (every core) against "simdgan" (one), where the run has both.
function threadTargets(r: BenchResults): Target[] {
  const out: Target[] = [];
  const speedup = (s: Record<string, { median: number }>, slower: "smaller" | "larger") =>
    slower === "smaller"
      ? s.simdgan!.median / s["simdgan-threads"]!.median
      : s["simdgan-threads"]!.median / s.simdgan!.median;
  // ceilings: the machine's own thread speed-up in the same rounds as each ratio, where measured.
  const span = (xs: number[]) => {
    const lo = x(Math.min(...xs)),
      hi = x(Math.max(...xs));
    return lo === hi ? lo : `${lo}-${hi}`;
  };
  const judge = (goal: string, ratios: number[], floor: number, ceilings: number[] = []) =>
    out.push({
      area: "threads",
      goal,
      measured: ratios.length
        ? `lowest ${x(Math.min(...ratios))}` + (ceilings.length ? ` (machine's ceiling ${span(ceilings)})` : "")
        : "not measured",
      met: ratios.length ? Math.min(...ratios) >= floor : null,
    });
  const ceilings = (rows: { ceiling?: CeilingSamples }[]) =>
    rows.flatMap((q) => (q.ceiling ? [ceilingRatio(q.ceiling)] : []));
  const workload = r.reference,
    one = workload?.contenders.find((c) => c.name === "simdgan"),
    auto = workload?.contenders.find((c) => c.name === "simdgan-auto");
  judge(
    `reference workload with threads "auto" no slower than 1 thread (ms ratio >= ${AUTO_REFERENCE_RATIO})`,
    one && auto ? [one.summary.median / auto.summary.median] : [],
    AUTO_REFERENCE_RATIO,
  );
  const cores = r.gemm?.threads ?? r.scaling?.threads;
  const gemm = (r.gemm?.rows ?? []).filter((row) => row.summary["simdgan-threads"] && row.M >= 128 && row.K >= 128);
  judge(
    `>= ${THREADS_SPEEDUP}x at ${cores ?? "all"} threads for GEMMs from 128^3 up`,
    gemm.map((row) => speedup(row.summary, "larger")),
    THREADS_SPEEDUP,
    ceilings(gemm),
  );
  const wide = (r.scaling?.rows ?? []).filter((q) => q.summary["simdgan-threads"] && q.width >= 128 && q.batch >= 512);
  judge(
    `>= ${THREADS_SPEEDUP}x per step at ${cores ?? "all"} threads, width >= 128 and batch >= 512`,
    wide.map((q) => speedup(q.summary, "smaller")),
    THREADS_SPEEDUP,
    ceilings(wide),
  );
  const torch = (r.scaling?.rows ?? []).filter((q) => q.summary["simdgan-threads"] && q.summary["pytorch-threads"]);
  judge(
    `no slower than PyTorch${r.scaling?.torchBlas ? ` (${r.scaling.torchBlas})` : ""} ` +
      `at ${cores ?? "all"} threads, every scaling point`,
    torch.map((q) => q.summary["pytorch-threads"]!.median / q.summary["simdgan-threads"]!.median),
    1,
  );
  return out;
}
// MNIST: the step against tfjs-wasm and PyTorch, and the time to recognisable digits.
function mnistTargets(r: BenchResults): Target[] {
  const m = r.mnist;
  if (!m) return [];
  const out: Target[] = [];
  const ms = (name: string) => m.summary[name]?.median;
  const simd = ms("simdgan")!,
    wasm = ms("tfjs-wasm");
  out.push({
    area: "mnist",
    goal: `>= ${MNIST_VS_TFJS_WASM}x faster per step than tfjs-wasm`,
    measured: wasm ? x(wasm / simd) : "not measured",
    met: wasm ? wasm / simd >= MNIST_VS_TFJS_WASM : null,
  });
  const d = m.digits;
  const goal = `recognisable digits (classifier score >= ${d?.goal.minScore ?? 8}, all classes) in <= ${
    DIGITS_MAX_SECONDS / 60
  } min on 1 thread`;
  if (!d) out.push({ area: "mnist", goal, measured: "not measured", met: null });
  else if (d.reached)
    out.push({
      area: "mnist",
      goal,
      measured: `${d.trainSeconds.toFixed(0)} s, ${d.steps} steps`,
      met: d.trainSeconds <= DIGITS_MAX_SECONDS,
    });
  else {
    const best = Math.max(...d.curve.map((p) => p.classifierScore));
    out.push({
      area: "mnist",
      goal,
      measured: `not reached in ${d.trainSeconds.toFixed(0)} s (best score ${best.toFixed(2)})`,
      // A run capped below the target (--quick) cannot tell.
      met: d.trainSeconds >= DIGITS_MAX_SECONDS ? false : null,
    });
  }
  const pairs = (
    [
      [1, "simdgan", "pytorch"],
      [m.threads, "simdgan-threads", "pytorch-threads"],
    ] as const
  ).filter(([, a, b]) => ms(a) && ms(b));
  const blas = m.torch ? ` (${m.torch.blas})` : "";
  out.push({
    area: "threads",
    goal: `no slower than PyTorch${blas} at the MNIST shape, at 1 and ${m.threads} threads`,
    measured: pairs.length
      ? pairs.map(([n, a, b]) => `${n} thread${n > 1 ? "s" : ""}: ${x(ms(b)! / ms(a)!)}`).join(", ")
      : (m.skipped.pytorch ?? "not measured"),
    met: pairs.length ? pairs.every(([, a, b]) => ms(b)! / ms(a)! >= 1) : null,
  });
  return out;
}

const pct = (v: number) => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)}%`;
