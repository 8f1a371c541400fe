// The PyTorch contender: bench/torch_reference.py in a child process, when some python3 on this machine can
// import torch (Debian's python3-torch, say). Never required: without it the bench says it was skipped.
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const TORCH_SCRIPT = fileURLToPath(new URL("../../../bench/torch_reference.py", import.meta.url));
export const TORCH_SCALING_SCRIPT = fileURLToPath(new URL("../../../bench/torch_scaling.py", import.meta.url));
export const TORCH_MNIST_SCRIPT = fileURLToPath(new URL("../../../bench/torch_mnist.py", import.meta.url));
export const TORCH_GEMM_SCRIPT = fileURLToPath(new URL("../../../bench/torch_gemm.py", import.meta.url));

export interface TorchRun {
  msPerEpoch: number;
  kl: number;
  /** Wall-clock time (ms since 1970) when the first training step finished. */
  firstStepAt: number;
  maxRssKB: number;
  torch: string;
  threads: number;
}

/**
 * The environment of a PyTorch process on `threads` threads. The products run in the BLAS, so the BLAS gets the
 * threads (OpenBLAS otherwise starts one per core, even when torch is told 1) and torch's own intra-op pool stays
 * at 1 (the scripts): on 2 cores, width 512 / batch 512, torch at 2 threads on a 2-thread OpenBLAS took 151 ms per
 * step, torch at 1 on a 2-thread OpenBLAS 41 ms, torch at 2 on a 1-thread OpenBLAS 56 ms.
 */
export function torchEnv(threads: number): NodeJS.ProcessEnv {
  const n = String(threads);
  return { ...process.env, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n };
}

export type TorchProbe = { python: string; version: string } | { skipped: string };

/** The first python3 that imports torch; $PYTHON first, then python3 on the PATH, then Debian's. */
export function probeTorch(): TorchProbe {
  const candidates = [...new Set([process.env.PYTHON, "python3", "/usr/bin/python3"].filter((p): p is string => !!p))];
  for (const python of candidates) {
    const r = spawnSync(python, ["-c", "import numpy, torch; print(torch.__version__)"], { encoding: "utf8" });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return { skipped: "torch not importable by python3" };
}

/** One full reference run in a fresh python process. */
export function runTorch(python: string, seed: number, epochs: number): TorchRun {
  const r = spawnSync(python, [TORCH_SCRIPT, "--seed", String(seed), "--epochs", String(epochs)], {
    env: torchEnv(1),
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`torch_reference.py failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as TorchRun;
}

/** One scaling point (bench/torch_scaling.py) in a fresh python process: ms per step, and the BLAS it loaded. */
export function torchScaling(
  python: string,
  p: { width: number; batch: number; threads: number; reps: number; sampleMs: number },
): { samples: number[]; blas: string; threads: number } {
  const args = [
    "--width",
    p.width,
    "--batch",
    p.batch,
    "--threads",
    p.threads,
    "--reps",
    p.reps,
    "--sample-ms",
    p.sampleMs,
  ];
  const r = spawnSync(python, [TORCH_SCALING_SCRIPT, ...args.map(String)], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
    env: torchEnv(p.threads),
  });
  if (r.status !== 0) throw new Error(`torch_scaling.py failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as { samples: number[]; blas: string; threads: number };
}

/** A PyTorch process that times a sample of training steps each time it is asked (bench/torch_mnist.py). */
export interface TorchWorker {
  torch: string;
  threads: number;
  blas: string;
  /** ms per step of one sample (of `steps` steps, by default as started), and the cores it kept busy. */
  sample(steps?: number): Promise<{ ms: number; cores: number }>;
  close(): void;
}

interface TorchInfo {
  torch: string;
  threads: number;
  blas: string;
}

// A long-lived script on `threads` BLAS threads: it prints its info line, then answers every request line with
// one JSON line. Long-lived, so its samples take turns with simdgan's in every round.
async function torchChild(python: string, script: string, args: (string | number)[], threads: number) {
  const child = spawn(python, [script, ...args.map(String)], {
    stdio: ["pipe", "pipe", "pipe"],
    env: torchEnv(threads),
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async <T>(): Promise<T> => {
    const line = await lines.next();
    if (line.done) throw new Error(`${script} ended (${child.exitCode}): ${stderr}`);
    return JSON.parse(line.value) as T;
  };
  const info = await next<TorchInfo>();
  return {
    info,
    ask: <T>(request: string) => {
      child.stdin.write(`${request}\n`);
      return next<T>();
    },
    close: () => child.stdin.end(),
  };
}

/** Starts bench/torch_mnist.py and waits until its model is built and warm. */
export async function torchMnistWorker(
  python: string,
  p: {
    threads: number;
    steps: number;
    batch: number;
    noiseDim: number;
    gHidden: readonly number[];
    dHidden: readonly number[];
    classes: number;
    lr: number;
    alpha: number;
    beta1: number;
    noise: "uniform" | "normal";
  },
): Promise<TorchWorker> {
  const args = ["--threads", p.threads, "--steps", p.steps, "--batch", p.batch, "--noise-dim", p.noiseDim];
  args.push("--g-hidden", p.gHidden.join(","), "--d-hidden", p.dHidden.join(","));
  args.push("--classes", p.classes, "--lr", p.lr, "--alpha", p.alpha, "--beta1", p.beta1, "--noise", p.noise);
  const child = await torchChild(python, TORCH_MNIST_SCRIPT, args, p.threads);
  return {
    ...child.info,
    sample: (steps?: number) => child.ask<{ ms: number; cores: number }>(`${steps ?? ""}`),
    close: child.close,
  };
}

/** torch.mm timed by bench/torch_gemm.py: one sample of a product's GFLOP/s each time it is asked. */
export interface TorchGemm {
  torch: string;
  threads: number;
  blas: string;
  /** GFLOP/s of about targetMs of C[M,N] summed over K in the form op (nn A·B, tn AᵀB, nt ABᵀ). */
  sample(op: "nn" | "tn" | "nt", M: number, K: number, N: number, targetMs: number): Promise<number>;
  close(): void;
}

export async function torchGemmWorker(python: string, threads: number): Promise<TorchGemm> {
  const child = await torchChild(python, TORCH_GEMM_SCRIPT, ["--threads", threads], threads);
  return {
    ...child.info,
    sample: async (op, M, K, N, targetMs) =>
      (await child.ask<{ gflops: number }>(`${op} ${M} ${K} ${N} ${targetMs}`)).gflops,
    close: child.close,
  };
}
