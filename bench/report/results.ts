// The shape of one `npm run bench` run: what the JSON file holds and what the table, the README section
// and the chart are drawn from. Raw samples are kept beside their summaries.
import type { Summary } from "../stats.js";
import type { ReferenceProfile } from "../suites/profile.js";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGB: number;
  os: string;
  arch: string;
  node: string;
  v8: string;
  tfjs: string;
  /** What the tfjs wasm backend runs with in this process. */
  tfjsWasm: { simd: boolean; threads: boolean; threadCount?: number };
  /** PyTorch version, or null when python3 cannot import torch. */
  torch: string | null;
  /** Other engineers' jobs share the CPU: the load when the run started, 1-minute average. */
  loadAverage: number;
}

export interface ReferenceContender {
  name: string;
  /** ms per epoch of each full run. */
  msPerEpoch: number[];
  /** Mean KL divergence of the last 10 reports of each run. */
  kl: number[];
  summary: Summary;
  klSummary: Summary;
}

export interface ReferenceResult {
  epochs: number;
  reps: number;
  /** GEMM FLOPs of one epoch (bench/flops.ts), for the GFLOP/s each contender achieves. */
  flopsPerEpoch: number;
  contenders: ReferenceContender[];
  /** Contenders that did not run, with why. */
  skipped: Record<string, string>;
  /** simdgan's epoch by kernel, from one instrumented run. */
  profile?: ReferenceProfile;
}

/**
 * C[M,N] = op(A)·op(B) with inner dimension K: "nn" A·B, "tn" Aᵀ·B (A stored [K,M]), "nt" A·Bᵀ (B stored
 * [N,K]).
 */
export interface Shape {
  M: number;
  K: number;
  N: number;
  op?: "nn" | "tn" | "nt";
}

export interface GemmRow extends Shape {
  /** GFLOP/s per contender, one per repetition. */
  samples: Record<string, number[]>;
  summary: Record<string, Summary>;
  /** The machine's thread ceiling in the same rounds (runs with more than one core; absent before). */
  ceiling?: CeilingSamples;
}

export interface RooflineResult {
  /** GFLOP/s per candidate loop, one per repetition. */
  samples: Record<string, number[]>;
  /** The best sample of the loop with the higher median. */
  gflops: number;
  best: string;
}

/** The roofline loop's GFLOP/s on one core and on every core at once (bench/roofline.ts), one per round. */
export interface CeilingSamples {
  one: number[];
  all: number[];
}

/** The thread pool's barrier: µs per kernel call split across `threads` threads that does no work. */
export interface BarrierResult {
  threads: number;
  samples: number[];
  summary: Summary;
}

export interface GemmResult {
  roofline: RooflineResult;
  rows: GemmRow[];
  /** Threads of the "simdgan-threads" contender (every core); absent in runs from before threads. */
  threads?: number;
  barrier?: BarrierResult;
  /** The PyTorch contenders ("pytorch" at 1 thread, "pytorch-threads" at every core): version and BLAS. */
  torch?: { torch: string; blas: string } | { skipped: string };
}

export interface ScalingRow {
  width: number;
  batch: number;
  params: number;
  flopsPerStep: number;
  /** ms per training step, per contender, one per repetition. */
  samples: Record<string, number[]>;
  summary: Record<string, Summary>;
  /** The machine's thread ceiling in the same rounds (runs with more than one core; absent before). */
  ceiling?: CeilingSamples;
}

export interface ScalingResult {
  rows: ScalingRow[];
  contenders: string[];
  /** Threads of the "simdgan-threads" contender (every core). */
  threads?: number;
  /** The BLAS library PyTorch loaded, when it ran ("pytorch" at 1 thread, "pytorch-threads" at every core). */
  torchBlas?: string;
}

export interface ReferenceRunFootprint {
  /** Peak resident set of the whole process, MB. */
  maxRssMB: number;
  /** From process start to the end of the first training step, ms. */
  firstStepMs: number;
  msPerEpoch: number;
  epochs: number;
  /** Bytes of wasm linear memory: in use by simdgan's arena, or the tfjs wasm heap's size. */
  wasmMemory?: { used?: number; size: number };
}

export interface FileSize {
  file: string;
  bytes: number;
  gzip: number;
}

export interface FootprintResult {
  runs: Record<string, ReferenceRunFootprint>;
  skipped: Record<string, string>;
  /** The library's .wasm alone. */
  wasm: FileSize;
  /** What a web page loads for each: files, and totals. */
  payload: Record<string, { files: FileSize[]; bytes: number; gzip: number }>;
}

export interface Target {
  area: string;
  goal: string;
  measured: string;
  /** null: not measured in this run (a suite skipped, a contender absent). */
  met: boolean | null;
}

export interface BenchResults {
  /** The command line that produced the run, as a reader would type it. */
  command: string;
  quick: boolean;
  date: string;
  /** Wall time of the whole run, start to the last suite's end. */
  seconds?: number;
  machine: Machine;
  reference?: ReferenceResult;
  gemm?: GemmResult;
  scaling?: ScalingResult;
  footprint?: FootprintResult;
  sweep?: SweepResultBench;
  mnist?: MnistResult;
  targets: Target[];
}

export interface SweepRow {
  name: string;
  /** Trials per minute of each measured sweep. */
  trialsPerMinute: number[];
  summary: Summary;
}

/** Sweeps of the reference workload: trials per minute by where the trials run. */
export interface SweepResultBench {
  /** Trials per sweep: configurations x seeds. */
  trials: number;
  /** Configurations of the grid; absent in results from before the grid. */
  configurations?: number;
  /** The values of each option the grid varies. */
  grid?: Record<string, (string | number)[]>;
  epochs: number;
  cores: number;
  rows: SweepRow[];
  skipped: Record<string, string>;
}

/** The MNIST workload: examples/mnist/config.json's step timed for every contender, and its time to digits. */
export interface MnistResult {
  batch: number;
  /** Layer widths; classes > 0 for the conditional example. */
  shape: { noiseDim: number; gHidden: number[]; dim: number; dHidden: number[]; classes?: number };
  params: number;
  flopsPerStep: number;
  /** Threads of the "-threads" contenders (every core). */
  threads: number;
  contenders: string[];
  /** ms per training step, per contender, one per repetition. */
  samples: Record<string, number[]>;
  summary: Record<string, Summary>;
  /** Measured in the same rounds as the steps. */
  roofline: RooflineResult;
  /** The machine's thread ceiling in the same rounds (runs with more than one core; absent before). */
  ceiling?: CeilingSamples;
  /** The cores each contender kept busy: median CPU time over wall time of its samples (the machine is shared). */
  cores: Record<string, number>;
  /** PyTorch, when it ran: its version and the BLAS library it loaded. */
  torch?: { version: string; blas: string };
  skipped: Record<string, string>;
  digits?: DigitsResult;
}

export interface DigitsPoint {
  epoch: number;
  steps: number;
  /** Training time so far, evaluations excluded. */
  trainSeconds: number;
  classifierScore: number;
  classesCovered: number;
  frechet: number;
  labelAccuracy?: number;
}

/** Wall time from the start of training to recognisable digits, on one thread. */
export interface DigitsResult {
  seed: number;
  /** The judge: simdgan's classifier, trained when the suite starts (not timed with the GAN). */
  classifier: { hidden: number[]; epochs: number; testAccuracy: number; testRows: number; seconds: number };
  realScore: number;
  /** Recognisable: classifier score >= minScore with every one of `classes` classes covered. */
  goal: { minScore: number; classes: number };
  /** Training stops here when the goal is not reached. */
  capSeconds: number;
  reached: boolean;
  /** At the first evaluation that met the goal (or at the last one). */
  steps: number;
  trainSeconds: number;
  /** Process CPU time during those training steps (the machine is shared: wall time waits for others). */
  cpuSeconds: number;
  /** Time of the evaluations, apart from the training time. */
  evalSeconds: number;
  curve: DigitsPoint[];
}
