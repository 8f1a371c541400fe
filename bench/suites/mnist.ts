// The MNIST workload: examples/mnist/config.json (conditional G 100 -> 256 -> 512 -> 784 tanh, D 784 -> 512 ->
// 256 -> 1, leaky relu 0.2, batch 64) on the 10,000 digits of assets/mnist/.
// - ms per training step: simdgan at 1 thread and at every core, tfjs-wasm and tfjs-cpu (layers API, the
//   same architecture), PyTorch at 1 thread and at every core when python3 imports it; interleaved with
//   each other and with the roofline loops, so every ratio and share of the roofline comes from the same
//   rounds.
// - wall time from the start of training to recognisable digits on one thread: a classifier trained first
//   by simdgan (not timed) scores 1000 fakes after every epoch until the classifier score reaches 8 with
//   all 10 classes covered.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readDataFile, readLabelsFile } from "../../src/cli/datafile.js";
import { testRows } from "../../src/cli/classifier.js";
import {
  createClassifier,
  createGAN,
  ImageJudge,
  resolveOptions,
  resolveThreads,
  type GANOptions,
} from "../../src/index.js";
import { parameterCount, stepFlops, type GanShape } from "../flops.js";
import type { DigitsPoint, DigitsResult, MnistResult } from "../report/results.js";
import { interleave, median, summarize, type Sampler } from "../stats.js";
import { roofline, rooflineSamplers, takeCeiling, threadCeiling } from "../roofline.js";
import { tfjsStepper, type TfjsStepper } from "./tfjs.js";
import { torchMnistWorker, type TorchProbe, type TorchWorker } from "./torch.js";

// The clone's root, from bench/suites/ (vitest) or dist/bench/suites/ (the bench).
const ROOT = new URL(import.meta.url.includes("/dist/bench/") ? "../../../" : "../../", import.meta.url);
export const MNIST_CONFIG = fileURLToPath(new URL("examples/mnist/config.json", ROOT));
/** Recognisable digits: the classifier score (the real digits score about 9) and the classes covered. */
export const DIGITS_GOAL = { minScore: 8, classes: 10 } as const;
/** The judge: the CLI's default classifier (`simdgan classifier`), 784 -> 256 -> 64 -> 10. */
const CLASSIFIER_HIDDEN = [256, 64];

export interface MnistOptions {
  reps: number;
  /** A sample lasts at least this long (several steps when steps are short). */
  sampleMs: number;
  quick: boolean;
  log: (line: string) => void;
  torch?: TorchProbe;
  /** Time to digits: training stops after this many seconds without reaching the goal; 0 skips it. */
  digitsCapSeconds: number;
  classifierEpochs: number;
}

interface Workload extends Mirrored {
  options: GANOptions;
  shape: GanShape;
  batch: number;
  /** The first batch of digits, their label values and their one-hot rows. */
  real: Float32Array;
  labels: number[];
  onehot: Float32Array;
  data: Float32Array;
  classes: Int32Array;
  classValues: readonly number[];
}

type Resolved = ReturnType<typeof resolveOptions>;
export interface Mirrored {
  alpha: number;
  learningRate: number;
  beta1: number;
  noise: "uniform" | "normal";
}

// What the tfjs and PyTorch contenders build of the configuration; anything else they would not mirror.
export function mirrored(o: Resolved): Mirrored {
  const hidden = (a: Resolved["gActivation"]) =>
    a === "relu" ? 0 : typeof a === "object" && a.name === "leaky_relu" ? a.alpha : NaN;
  const adam = (x: Resolved["gOptimizer"]) => (x.type === "adam" ? [x.learningRate, x.beta1 ?? 0.9] : [NaN, NaN]);
  const alpha = hidden(o.gActivation),
    [lr, beta1] = adam(o.gOptimizer);
  const same =
    alpha === hidden(o.dActivation) &&
    String(adam(o.dOptimizer)) === String([lr, beta1]) &&
    o.gOutputActivation === "tanh" &&
    o.loss === "non-saturating" &&
    o.realLabel === 1 &&
    o.fakeLabel === 0;
  if (!same || Number.isNaN(alpha) || Number.isNaN(lr))
    throw new Error(
      `${MNIST_CONFIG}: the bench's tfjs and PyTorch contenders mirror relu or leaky relu hidden layers (the same ` +
        "in G and D), a tanh output, the non-saturating loss with labels 1 / 0 and one Adam for both; " +
        "teach bench/suites/mnist.ts, tfjs-gan.ts and torch_mnist.py the new setting",
    );
  return { alpha, learningRate: lr!, beta1: beta1!, noise: o.noise };
}

/** The example configuration with its data and labels read as the CLI reads them. */
export async function mnistWorkload(): Promise<Workload> {
  const config = JSON.parse(readFileSync(MNIST_CONFIG, "utf8")) as Record<string, unknown>;
  const at = (file: unknown) => fileURLToPath(new URL(String(file), `file://${MNIST_CONFIG}`));
  const ds = await readDataFile(at(config.data));
  const l = config.labels ? await readLabelsFile(at(config.labels), ds.rows) : null;
  const { data: _d, labels: _l, ...rest } = config;
  const values = l ? Array.from(l.classes, (c) => l.values[c]!) : undefined;
  const options = {
    ...rest,
    data: ds.data,
    dim: ds.dim,
    sampleShape: ds.shape,
    ...(values ? { labels: values } : {}),
  } as GANOptions;
  const o = resolveOptions(options);
  const batch = o.batchSize ?? 64,
    C = l?.values.length ?? 0;
  const onehot = new Float32Array(batch * C);
  for (let i = 0; i < batch && C; i++) onehot[i * C + l!.classes[i]!] = 1;
  return {
    options,
    shape: {
      noiseDim: Number(config.noiseDim),
      gHidden: config.gHidden as number[],
      dim: ds.dim,
      dHidden: config.dHidden as number[],
      ...(C ? { classes: C } : {}),
    },
    batch,
    ...mirrored(o),
    real: ds.data.slice(0, batch * ds.dim),
    labels: values?.slice(0, batch) ?? [],
    onehot,
    data: ds.data,
    classes: l?.classes ?? new Int32Array(0),
    classValues: l?.values ?? [],
  };
}

/** Steps per sample so that a sample lasts about `sampleMs`, judged from one timed step. */
function stepsFor(stepMs: number, sampleMs: number): number {
  return Math.max(1, Math.round(sampleMs / Math.max(stepMs, 1e-3)));
}

async function simdganSampler(w: Workload, threads: number, sampleMs: number) {
  const gan = await createGAN({ ...w.options, threads });
  const batch = { real: w.real, ...(w.labels.length ? { labels: w.labels } : {}) };
  const step = () => gan.trainStep(batch);
  for (let i = 0; i < 3; i++) step();
  const t = performance.now();
  step();
  const steps = stepsFor(performance.now() - t, sampleMs);
  const sampler: Sampler = () => {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) step();
    return (performance.now() - t0) / steps;
  };
  return { sampler, dispose: () => gan.dispose() };
}

async function tfjsSampler(w: Workload, backend: "cpu" | "wasm", sampleMs: number) {
  const stepper: TfjsStepper = await tfjsStepper(
    backend,
    { ...w.shape, activation: w.alpha ? { leakyRelu: w.alpha } : "relu", gOutput: "tanh" },
    w.batch,
    w.real,
    {
      hyper: {
        dLearningRate: w.learningRate,
        gLearningRate: w.learningRate,
        realLabel: 1,
        fakeLabel: 0,
        beta1: w.beta1,
      },
      noise: w.noise,
      ...(w.shape.classes ? { onehot: w.onehot } : {}),
    },
  );
  await stepper.step();
  const t = performance.now();
  await stepper.step();
  const steps = stepsFor(performance.now() - t, sampleMs);
  const sampler: Sampler = async () => {
    await stepper.select();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await stepper.step();
    return (performance.now() - t0) / steps;
  };
  return { sampler, dispose: () => stepper.dispose() };
}

// PyTorch's step, calibrated on a first sample; its CPU use per sample is kept to say how many cores it used.
async function torchSampler(python: string, w: Workload, threads: number, sampleMs: number, cores: number[]) {
  const worker: TorchWorker = await torchMnistWorker(python, {
    threads,
    steps: 1,
    batch: w.batch,
    noiseDim: w.shape.noiseDim,
    gHidden: w.shape.gHidden,
    dHidden: w.shape.dHidden,
    classes: w.shape.classes ?? 0,
    lr: w.learningRate,
    alpha: w.alpha,
    beta1: w.beta1,
    noise: w.noise,
  });
  const steps = stepsFor((await worker.sample(1)).ms, sampleMs);
  const sampler: Sampler = async () => {
    const s = await worker.sample(steps);
    cores.push(s.cores);
    // OpenBLAS's idle threads spin for a while after a call: let them settle before the next contender.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return s.ms;
  };
  return { sampler, worker, dispose: () => worker.close() };
}

/** Wall time from the start of training to recognisable digits, evaluating after every epoch. */
export async function timeToDigits(
  w: Workload,
  o: { capSeconds: number; classifierEpochs: number; seed?: number; log: (line: string) => void },
): Promise<DigitsResult> {
  const seed = o.seed ?? 1,
    d = w.shape.dim,
    rows = w.data.length / d;
  // The judge as `simdgan classifier` trains it: every fifth row held out for its accuracy.
  const held = testRows(rows, 0.2),
    nTest = held.filter(Boolean).length;
  const pick = (test: boolean) => {
    const x = new Float32Array((test ? nTest : rows - nTest) * d),
      c = new Int32Array(test ? nTest : rows - nTest);
    for (let i = 0, r = 0; i < rows; i++) {
      if (held[i] !== test) continue;
      x.set(w.data.subarray(i * d, (i + 1) * d), r * d);
      c[r++] = w.classes[i]!;
    }
    return { x, c };
  };
  const train = pick(false),
    test = pick(true);
  const started = performance.now();
  const clf = await createClassifier({ inputs: d, classes: w.classValues, hidden: CLASSIFIER_HIDDEN, seed: 1 });
  clf.fit(train.x, train.c, { epochs: o.classifierEpochs, batchSize: 64 });
  const classifier = {
    hidden: CLASSIFIER_HIDDEN,
    epochs: o.classifierEpochs,
    testAccuracy: clf.accuracy(test.x, test.c),
    testRows: nTest,
    seconds: (performance.now() - started) / 1000,
  };
  o.log(`  classifier: ${(classifier.testAccuracy * 100).toFixed(1)}% in ${classifier.seconds.toFixed(1)} s`);
  // As `simdgan train --classifier`: the real side of the metrics is the first 2000 digits.
  const judgeRows = Math.min(rows, 2000);
  const judge = new ImageJudge(clf, w.data.subarray(0, judgeRows * d), judgeRows);
  // No report falls due inside train (logEvery beyond any run); the suite evaluates between epochs.
  const gan = await createGAN({ ...w.options, seed, threads: 1, logEvery: 1 << 30 });
  const stepsPerEpoch = Math.ceil(rows / w.batch);
  const curve: DigitsPoint[] = [];
  let trainMs = 0,
    cpuUs = 0,
    evalMs = 0;
  const evaluate = (): DigitsPoint => {
    const t = performance.now();
    gan.setJudge(judge);
    const r = gan.report();
    gan.setJudge(null);
    evalMs += performance.now() - t;
    const point: DigitsPoint = {
      epoch: gan.epoch,
      steps: gan.epoch * stepsPerEpoch,
      trainSeconds: trainMs / 1000,
      classifierScore: r.classifierScore!,
      classesCovered: r.classesCovered!,
      frechet: r.frechet!,
      ...(r.labelAccuracy !== undefined ? { labelAccuracy: r.labelAccuracy } : {}),
    };
    curve.push(point);
    return point;
  };
  const met = (p: DigitsPoint) => p.classifierScore >= DIGITS_GOAL.minScore && p.classesCovered >= DIGITS_GOAL.classes;
  let last = evaluate();
  while (!met(last) && trainMs < o.capSeconds * 1000) {
    const t = performance.now(),
      cpu = process.cpuUsage();
    gan.train({ epochs: 1 });
    const used = process.cpuUsage(cpu);
    cpuUs += used.user + used.system;
    trainMs += performance.now() - t;
    last = evaluate();
    o.log(
      `  epoch ${last.epoch}: ${last.trainSeconds.toFixed(1)} s, score ${last.classifierScore.toFixed(2)}, ` +
        `${last.classesCovered} classes`,
    );
  }
  gan.dispose();
  return {
    seed,
    classifier,
    realScore: judge.realScore,
    goal: { ...DIGITS_GOAL },
    capSeconds: o.capSeconds,
    reached: met(last),
    steps: last.steps,
    trainSeconds: trainMs / 1000,
    cpuSeconds: cpuUs / 1e6,
    evalSeconds: evalMs / 1000,
    curve,
  };
}

export async function runMnist(o: MnistOptions): Promise<MnistResult> {
  const w = await mnistWorkload();
  const threads = resolveThreads("auto");
  const skipped: Record<string, string> = {};
  const parts: Record<string, { sampler: Sampler; dispose: () => void }> = {
    simdgan: await simdganSampler(w, 1, o.sampleMs),
    "simdgan-threads": await simdganSampler(w, threads, o.sampleMs),
    "tfjs-wasm": await tfjsSampler(w, "wasm", o.sampleMs),
  };
  // One step of tfjs-cpu takes seconds: a single step per sample, and none in a quick run.
  if (o.quick) skipped["tfjs-cpu"] = "a step takes seconds: not in --quick";
  else parts["tfjs-cpu"] = await tfjsSampler(w, "cpu", 0);
  const cores: Record<string, number[]> = { pytorch: [], "pytorch-threads": [] };
  // The JS contenders' CPU time per wall time, this process's threads (the pool's workers) included.
  for (const [name, p] of Object.entries(parts)) {
    const f = p.sampler;
    cores[name] = [];
    p.sampler = async (round) => {
      const t = performance.now(),
        c = process.cpuUsage();
      const ms = await f(round);
      const used = process.cpuUsage(c);
      cores[name]!.push((used.user + used.system) / 1000 / (performance.now() - t));
      return ms;
    };
  }
  let torch: { version: string; blas: string } | undefined;
  if (o.torch && "python" in o.torch) {
    for (const [name, n] of [
      ["pytorch", 1],
      ["pytorch-threads", threads],
    ] as const) {
      const t = await torchSampler(o.torch.python, w, n, o.sampleMs, cores[name]!);
      parts[name] = t;
      torch = { version: t.worker.torch, blas: t.worker.blas };
    }
  } else {
    skipped.pytorch = o.torch && "skipped" in o.torch ? o.torch.skipped : "not asked";
  }
  const loops = rooflineSamplers(o.quick);
  const ceiling = threads > 1 ? await threadCeiling(threads, o.quick) : undefined;
  const all = await interleave(
    {
      ...Object.fromEntries(Object.entries(parts).map(([k, p]) => [k, p.sampler])),
      ...Object.fromEntries(Object.entries(loops).map(([k, f]) => [`roofline:${k}`, f])),
      ...ceiling?.samplers,
    },
    { warmup: 1, reps: o.reps },
  ).finally(() => ceiling?.close());
  const threadCeil = takeCeiling(all);
  for (const p of Object.values(parts)) p.dispose();
  const samples: Record<string, number[]> = {},
    roof: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(all)) {
    if (k.startsWith("roofline:")) roof[k.slice("roofline:".length)] = v;
    else samples[k] = v;
  }
  const summary = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
  const flopsPerStep = stepFlops(w.shape, w.batch);
  o.log(
    `  ms/step: ${Object.entries(summary)
      .map(([k, s]) => `${k} ${s.median.toFixed(1)}`)
      .join(", ")}`,
  );
  const result: MnistResult = {
    batch: w.batch,
    shape: { ...w.shape, gHidden: [...w.shape.gHidden], dHidden: [...w.shape.dHidden] },
    params: parameterCount(w.shape),
    flopsPerStep,
    threads,
    contenders: Object.keys(samples),
    samples,
    summary,
    roofline: roofline(roof),
    ...(threadCeil ? { ceiling: threadCeil } : {}),
    skipped,
    // The warm-up round is not recorded: its CPU share is not either.
    cores: Object.fromEntries(
      Object.entries(cores)
        .filter(([, v]) => v.length > 1)
        .map(([k, v]) => [k, median(v.slice(1))]),
    ),
    ...(torch ? { torch } : {}),
  };
  if (o.digitsCapSeconds > 0) {
    o.log(`  time to digits (1 thread, at most ${o.digitsCapSeconds} s of training)`);
    result.digits = await timeToDigits(w, {
      capSeconds: o.digitsCapSeconds,
      classifierEpochs: o.classifierEpochs,
      log: o.log,
    });
  }
  return result;
}
