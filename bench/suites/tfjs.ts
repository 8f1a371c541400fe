// The tfjs side of the bench: which backend features are on, and thin adapters over the reference workload
// in the tfjs layers API (test/oracle/tfjs-gan.ts) shaped as the suites need them.
import * as tf from "@tensorflow/tfjs";
import {
  REFERENCE_HYPER,
  runTfjsReference,
  SeededRandom,
  TfjsGAN,
  useBackend,
  type TfjsHyper,
  type TfjsShape,
} from "../../test/oracle/tfjs-gan.js";
import { lastMean } from "../stats.js";

export interface TfjsInfo {
  version: string;
  wasm: { simd: boolean; threads: boolean; threadCount: number };
}

// The wasm backend's Emscripten module: its heap, and its thread pool's size.
interface WasmBackendModule {
  HEAPU8: Uint8Array;
  _get_threads_count?: () => number;
}

export function wasmModule(): WasmBackendModule | null {
  return (tf.backend() as unknown as { wasm?: WasmBackendModule }).wasm ?? null;
}

export async function tfjsInfo(): Promise<TfjsInfo> {
  const before = tf.getBackend() as "cpu" | "wasm" | undefined;
  await useBackend("wasm");
  const simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
  // Threads count only when the threaded build loaded and its pool holds more than one thread.
  const threadCount = Number(wasmModule()?._get_threads_count?.() ?? 1);
  const threads = Boolean(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")) && threadCount > 1;
  if (before && before !== "wasm") await useBackend(before);
  return { version: tf.version.tfjs, wasm: { simd, threads, threadCount } };
}

/** One full reference run on a tfjs backend: ms per epoch of the training loop and its final KL. */
export async function tfjsReferenceRun(
  backend: "cpu" | "wasm",
  seed: number,
  epochs: number,
): Promise<{ msPerEpoch: number; kl: number }> {
  await useBackend(backend);
  const { seconds, reports } = await runTfjsReference({ seed, epochs });
  return {
    msPerEpoch: (seconds * 1000) / epochs,
    kl: lastMean(
      reports.map((r) => r.kl),
      10,
    ),
  };
}

/** The same, noting when the first step finished and the wasm backend's heap: for the footprint child. */
export async function tfjsChildRun(backend: "cpu" | "wasm", seed: number, epochs: number) {
  await useBackend(backend);
  let firstStepAt = NaN;
  const { seconds, reports } = await runTfjsReference({
    seed,
    epochs,
    onStep: () => {
      if (Number.isNaN(firstStepAt)) firstStepAt = Date.now();
    },
  });
  const heap = backend === "wasm" ? wasmModule()?.HEAPU8.byteLength : undefined;
  return {
    firstStepAt,
    msPerEpoch: (seconds * 1000) / epochs,
    kl: lastMean(
      reports.map((r) => r.kl),
      10,
    ),
    ...(heap ? { wasmMemory: { size: heap } } : {}),
  };
}

/** A training step as the reference workload takes it, of a given shape on fixed real rows, fresh noise each step. */
export interface TfjsStepper {
  /** Makes the stepper's backend current again (another suite may have switched it). */
  select(): Promise<void>;
  step(): Promise<unknown>;
  dispose(): void;
}

/** Beyond the reference workload's step: its hyper-parameters, normal noise, one-hot labels [batch, classes]. */
export interface StepperExtras {
  hyper?: TfjsHyper;
  noise?: "uniform" | "normal";
  onehot?: Float32Array;
}

export async function tfjsStepper(
  backend: "cpu" | "wasm",
  shape: TfjsShape,
  batch: number,
  real: Float32Array,
  extras: StepperExtras = {},
): Promise<TfjsStepper> {
  await useBackend(backend);
  const model = new TfjsGAN(shape, extras.hyper ?? REFERENCE_HYPER),
    rng = new SeededRandom(batch),
    n = batch * shape.noiseDim;
  const noise = extras.noise === "normal" ? () => rng.normal(n) : () => rng.uniform(n, -1, 1);
  return {
    select: () => useBackend(backend),
    step: () => model.trainStep(real, noise(), extras.onehot),
    dispose: () => model.dispose(),
  };
}
