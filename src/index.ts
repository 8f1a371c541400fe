// simdgan's public API: everything the CLI, web pages and the benchmarks use.
export { createGAN, GAN } from "./train/gan.js";
export type { PartResult, Report, StepLosses, TrainOptions, TrainResult } from "./train/gan.js";
export {
  DEFAULTS,
  OptionError,
  checkOption,
  clash,
  joinOptions,
  parseOption,
  resolveOptions,
  resolveValues,
  splitOptions,
} from "./options/resolve.js";
export type { GANOptions, OptimizerOption, ResolvedOptions } from "./options/resolve.js";
export { ENTRIES, METRICS, SCHEMA, shownDefault } from "./options/schema.js";
export type { MetricName, OptionEntry, OptionName, PageField, PageGroup } from "./options/schema.js";
export type { ValueType } from "./options/types.js";
export { showValue } from "./errors.js";
export { DivergenceError } from "./errors.js";
export { memoryPlan } from "./train/plan.js";
export type { MemoryPlan } from "./train/plan.js";
export { TARGET_KINDS, formatTarget, parseTarget, targetDim, targetModes, validateTarget } from "./data/targets.js";
export type { Target, TargetSpec } from "./data/targets.js";
export { CsvError, parseCsv } from "./data/csv.js";
export { DataFileError, isGzip } from "./data/arrays.js";
export type { DType, NdArray } from "./data/arrays.js";
export { encodeIdx, parseIdx } from "./data/idx.js";
export { encodeNpy, parseNpy } from "./data/npy.js";
export { decodePng, encodePng, stackImages } from "./data/png.js";
export type { Deflate, Image, Inflate } from "./data/png.js";
export { PIXEL_SCALES, checkLabelCount, labelsFromCsv, toDataset, toLabels, toPixels } from "./data/dataset.js";
export type { Dataset, Labels, PixelScale } from "./data/dataset.js";
export { Classifier, createClassifier } from "./model/classifier.js";
export type { ClassifierSpec, FitOptions } from "./model/classifier.js";
export { classifierText, loadClassifier } from "./checkpoint/classifier.js";
export type { ClassifierFile } from "./checkpoint/classifier.js";
export {
  ImageJudge,
  classCoverage,
  classifierScore,
  featureStats,
  frechetDistance,
  labelAccuracy,
  predictions,
} from "./metrics/images.js";
export type { Coverage, FeatureStats, ImageMetrics, Judge } from "./metrics/images.js";
export { evaluate } from "./metrics/evaluate.js";
export type { Evaluation, MarginalMetrics } from "./metrics/evaluate.js";
export { jsDivergence } from "./metrics/js.js";
export { wasserstein1 } from "./metrics/wasserstein.js";
export { ksStatistic } from "./metrics/ks.js";
export { moments } from "./metrics/moments.js";
export { modeCoverage } from "./metrics/modes.js";
export { klDivergence, KLMeter } from "./metrics/kl.js";
export { histogramEdges, histogramCounts, linspaceEdges } from "./metrics/histogram.js";
export type { Samples } from "./metrics/histogram.js";
export type { ActivationName, ActivationSpec } from "./model/activation.js";
export type { OptimizerSpec } from "./optim/optimizer.js";
export { AUTO_MIN_WORK, SPLIT_MIN_WORK, createEngine, compiledModule, resolveThreads, wasmBytes } from "./wasm/load.js";
export type { Engine, EngineOptions, Threads, WasmSource } from "./wasm/load.js";
export { ThreadError } from "./wasm/pool.js";
export { loadWasm } from "./wasm/url.js";
export { Generator } from "./model/generator.js";
export { Discriminator } from "./model/discriminator.js";
export { MLP } from "./model/mlp.js";
export {
  checkpointText,
  toCheckpoint,
  fromCheckpoint,
  parseCheckpoint,
  loadCheckpoint,
  CheckpointError,
} from "./checkpoint/checkpoint.js";
export type { Checkpoint } from "./checkpoint/checkpoint.js";
export { toTfjsLayersModel } from "./checkpoint/tfjs-export.js";
export type { TfjsArtifacts } from "./checkpoint/tfjs-export.js";
export type { LossName } from "./model/losses.js";
export { pyFixed, reportLine } from "./plot/report-line.js";
export { PALETTE, METRIC_COLORS, metricColor, dShade } from "./plot/palette.js";
export { sweep } from "./sweep/api.js";
export type { SweepOptions, SweepResult, TrialEvent } from "./sweep/run.js";
export type { SweepPlan, Trial } from "./sweep/plan.js";
export type { TrialRecord } from "./sweep/trial.js";
