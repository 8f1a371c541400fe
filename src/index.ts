// simdgan's public API: everything the CLI, web pages and the benchmarks use.
export { createGAN, GAN } from "./train/gan.js";
export type { Report, StepLosses, TrainOptions, TrainResult } from "./train/gan.js";
export { DEFAULTS, OptionError, resolveOptions } from "./train/options.js";
export type { GANOptions, ResolvedOptions } from "./train/options.js";
export { klDivergence, histogramEdges, histogramCounts, KLMeter } from "./metrics/kl.js";
export type { Samples } from "./metrics/kl.js";
export type { ActivationName, ActivationSpec } from "./model/activation.js";
export type { OptimizerSpec } from "./optim/optimizer.js";
export { createEngine, compiledModule, wasmBytes } from "./wasm/load.js";
export type { Engine, WasmSource } from "./wasm/load.js";
export { Generator } from "./model/generator.js";
export { Discriminator } from "./model/discriminator.js";
export { MLP } from "./model/mlp.js";
export { checkpointText, toCheckpoint, fromCheckpoint, parseCheckpoint, loadCheckpoint, CheckpointError } from "./checkpoint/checkpoint.js";
export type { Checkpoint } from "./checkpoint/checkpoint.js";
export { toTfjsLayersModel } from "./checkpoint/tfjs-export.js";
export type { TfjsArtifacts } from "./checkpoint/tfjs-export.js";
export type { LossName } from "./train/losses.js";
