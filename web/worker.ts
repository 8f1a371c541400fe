// Trains in the background at the pace the page asks for: as fast as it runs (chunks of epochs sized to
// ~15 ms, yielding between them so play / pause / step arrive promptly), a given number of epochs per
// second, or slow motion (one D or G update at a time). Epochs too slow for a chunk go update by update.
// The views come from a second GAN that only borrows the trainer's weights, and restarts its random
// stream before each look: it shows the same noise every time (so the points move as G learns), and a
// run's numbers never depend on when the page looked at it. For the MNIST digits it first fetches them
// and trains the classifier that judges the generated ones (mnist.ts), once per page.
import {
  createGAN,
  histogramCounts,
  linspaceEdges,
  loadCheckpoint,
  toCheckpoint,
  fromCheckpoint,
  checkpointText,
  toPixels,
  type Classifier,
  type GAN,
  type GANOptions,
  type Report,
} from "simdgan";
import type { FromWorker, Live, Pace, StepKind, ToWorker, Tuning, View, View1, View2, ViewImage } from "./protocol.js";
import { Degeneration } from "./degeneration.js";
import { fingerprint } from "./fingerprint.js";
import { MNIST_FILES, digitGrid, digitOptions, judgeOf, readDigits, trainClassifier, type Digits } from "./mnist.js";
import { MNIST_SHAPE, type ImageTarget } from "./settings.js";

const scope = globalThis as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const BINS = 80;
const VIEW_SAMPLES = 2000;
const ARROWS = 160; // generated points that carry a gradient arrow
const SNAPSHOT_MS = 200;
const CHUNK_MS = 15;
const SLOW_EPOCH_MS = 120; // an epoch slower than this is trained one update at a time
const CELLS = 40; // the 2-D view's D(x) grid: CELLS x CELLS values
const GAP_ROWS = 1000; // real and generated rows for the degeneration check
// Digits cost more to look at (copying a million weights, drawing the grid): snapshots of them are fewer,
// and while training their image metrics of the run now (~0.2 s each) fewer still.
const IMAGE_SNAPSHOT_MS = 500;
const LIVE_IMAGES_MS = 5000;

interface Run {
  id: number;
  trainer: GAN;
  viewer: GAN;
  /** The viewer's random state when built: every look starts from it. */
  noise: Uint32Array;
  real: Float32Array;
  /** Real rows drawn in the 2-D view, as x and y columns, and the real range of each view. */
  realColumns: [number[], number[]] | null;
  realRange: [number, number];
  /** The range of the views, held while it fits. */
  span: [number, number] | null;
  reports: Report[];
  /** The options the run was built from, unless it came from a checkpoint or drawn data. */
  options: GANOptions | undefined;
  dDone: number; // D updates on the current mini-batch, as the library counts them
  changed: Live["changed"];
  degeneration: Degeneration;
  /** Digits: the classifier that judges them, the image metrics of the run now, and when they were measured. */
  image: boolean;
  classifier: Classifier | undefined;
  liveReport: Report | null;
  liveAt: number;
}

let run: Run | null = null;
let runId = -1; // the run being built or trained, for error messages
let playing = false;
let stopped = false;
let pace: Pace = { epochsPerSecond: Infinity, stopAt: 1000, slow: false, stepsPerSecond: 2 };
let chunk = 1;
let epochMs = 0; // the latest measure of one epoch's time
let partsMs = 0; // the time of the current epoch's updates so far, when they go one at a time
let lastSnapshot = 0;
let loop = 0; // which play the pending tick belongs to: a pause and a new play must not run two loops
let speed = { since: 0, done: 0, value: 0 }; // iterations done, and per second
let pacing = { since: 0, epoch: 0 }; // where a paced play started
let pendingTune: Tuning | null = null;
let rebuilding = false; // a tuned GAN is being built: the loop waits for it

async function build(id: number, options: GANOptions, checkpoint?: string, image?: ImageTarget): Promise<void> {
  playing = false;
  // The old run's thread pools end with it.
  run?.trainer.dispose();
  run?.viewer.dispose();
  stopped = false;
  run = null;
  runId = id;
  speed.value = 0;
  epochMs = 0;
  pendingTune = null;
  scope.postMessage({ type: "building", run: id });
  if (image) {
    // The digits are the data; the viewer is built from the same options, judged by the same classifier.
    const full = digitOptions(options, image, await digits(id));
    const classifier = await judgeClassifier(id);
    const trainer = await createGAN(full);
    run = await assemble(id, trainer, full, classifier);
  } else {
    const trainer = checkpoint ? await loadCheckpoint(checkpoint) : await createGAN(options);
    if (checkpoint) {
      const { data: _data, ...rest } = trainer.options;
      scope.postMessage({ type: "loaded", run: id, options: rest as GANOptions, epoch: trainer.epoch });
    }
    run = await assemble(id, trainer, checkpoint || options.data ? undefined : options);
  }
  post();
}

// The digits and their classifier, fetched and trained once per page: every digits run shares them.
let digitsLoad: Promise<Digits> | null = null;
let classifierTraining: Promise<Classifier> | null = null;

function digits(id: number): Promise<Digits> {
  if (!digitsLoad) {
    scope.postMessage({ type: "notice", run: id, message: "fetching the MNIST digits" });
    const bytes = async (url: URL) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    };
    digitsLoad = Promise.all([bytes(MNIST_FILES.images), bytes(MNIST_FILES.labels)]).then(([i, l]) => readDigits(i, l));
    digitsLoad.catch(() => (digitsLoad = null)); // a failed fetch is tried again by the next run
  }
  return digitsLoad;
}

function judgeClassifier(id: number): Promise<Classifier> {
  if (!classifierTraining) {
    classifierTraining = digits(id).then(async (d) => {
      const say = (message: string) => scope.postMessage({ type: "notice", run: runId, message });
      say("training the classifier that judges the digits (once per page)");
      const { classifier, accuracy, heldOut } = await trainClassifier(d, (e, of) =>
        say(`training the classifier that judges the digits: epoch ${e} of ${of}`),
      );
      say(`the judge classifies ${(100 * accuracy).toFixed(2)}% of ${heldOut.toLocaleString("en")} held-out digits`);
      return classifier;
    });
    classifierTraining.catch(() => (classifierTraining = null));
  }
  return classifierTraining;
}

/**
 * The viewer and the fixed parts of the views for a trainer. The viewer is built from the run's options
 * when there are some (it draws the same real data), else from the trainer's checkpoint.
 */
async function assemble(id: number, trainer: GAN, options?: GANOptions, classifier?: Classifier): Promise<Run> {
  const real = trainer.realData(),
    dim = trainer.options.dim,
    image = classifier !== undefined;
  if (dim !== 1 && dim !== 2 && !image) throw new Error(`the page shows 1-D and 2-D data and digits, not ${dim}-D`);
  // Without options (a checkpoint's run, drawn data, a tuned run): a copy of the trainer, through its checkpoint.
  // The viewer only draws the view's samples: one thread is plenty.
  const viewer = options ? await createGAN({ ...options, threads: 1 }) : await fromCheckpoint(toCheckpoint(trainer));
  if (classifier) {
    const judge = judgeOf(classifier, trainer);
    trainer.setJudge(judge);
    viewer.setJudge(judge);
  }
  let lo = Infinity,
    hi = -Infinity;
  for (const v of real) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  // The data are independent draws (or drawn by hand), so the first rows are a fair sample of them all.
  const shown = Math.min(real.length / dim, VIEW_SAMPLES);
  return {
    id,
    trainer,
    viewer,
    noise: Uint32Array.from(viewer.rng.getState()),
    real,
    realColumns: dim === 2 ? columns(real.subarray(0, 2 * shown)) : null,
    realRange: [lo, hi],
    span: null,
    reports: [],
    options,
    dDone: 0,
    changed: null,
    degeneration: new Degeneration(),
    image,
    classifier,
    liveReport: null,
    liveAt: 0,
  };
}

/** Row-major [n, 2] points as their x and y columns, the layout uPlot's scatter mode takes. */
function columns(points: Float32Array): [number[], number[]] {
  const n = points.length / 2,
    x = new Array<number>(n),
    y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    x[i] = points[2 * i]!;
    y[i] = points[2 * i + 1]!;
  }
  return [x, y];
}

/** The viewer with the trainer's weights and its random stream back at the start. */
function look(r: Run): GAN {
  r.viewer.generator.setWeights(r.trainer.generator.getWeights());
  r.viewer.discriminator.setWeights(r.trainer.discriminator.getWeights());
  r.viewer.rng.setState(r.noise);
  return r.viewer;
}

/**
 * The range a view spans: the real data's, widened to take in the generated samples too (up to ten
 * times the real span each way, so a few far-flung samples do not squash the picture), padded. It holds
 * still while it still fits snugly, so consecutive views share their bins and axes.
 */
function span(r: Run, fake: Float32Array): [number, number] {
  let [lo, hi] = r.realRange;
  const width = Math.max(hi - lo, 1e-3),
    floor = lo - 10 * width,
    ceiling = hi + 10 * width;
  for (const v of fake) {
    if (!(v >= floor && v <= ceiling)) continue; // also drops NaN
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const pad = Math.max(0.15 * (hi - lo), 0.5),
    want: [number, number] = [lo - pad, hi + pad];
  const held = r.span;
  if (held && held[0] <= lo && held[1] >= hi && held[1] - held[0] <= 1.5 * (want[1] - want[0])) return held;
  r.span = want;
  return want;
}

function view(r: Run): View {
  if (r.image) return viewImage(r);
  const viewer = look(r),
    fake = viewer.generate(VIEW_SAMPLES),
    [lo, hi] = span(r, fake);
  let outside = 0;
  for (const v of fake) if (!(v >= lo && v <= hi)) outside++;
  if (r.trainer.options.dim === 2) return view2(r, viewer, fake, lo, hi, outside);
  const edges = linspaceEdges(lo, hi, BINS);
  const density = (values: Float32Array) => {
    const counts = histogramCounts(values, edges),
      scale = 1 / (values.length * ((hi - lo) / BINS));
    const out = Array.from(counts, (c) => c * scale);
    return [...out, out.at(-1)!];
  };
  const x = Array.from(edges);
  return {
    dim: 1,
    x,
    real: density(r.real),
    fake: density(fake),
    d: Array.from(viewer.discriminate(x)),
    outside,
    shown: VIEW_SAMPLES,
  } satisfies View1;
}

function view2(r: Run, viewer: GAN, fake: Float32Array, lo: number, hi: number, outside: number): View2 {
  const cell = (hi - lo) / CELLS,
    grid = new Float32Array(2 * CELLS * CELLS);
  for (let j = 0; j < CELLS; j++) {
    for (let i = 0; i < CELLS; i++) {
      grid[2 * (j * CELLS + i)] = lo + (i + 0.5) * cell;
      grid[2 * (j * CELLS + i) + 1] = lo + (j + 0.5) * cell;
    }
  }
  const d = Array.from(viewer.discriminate(grid));
  // Where G's update pushes each point: minus D's input gradient of G's loss, by the library's backward.
  const grad = viewer.inputGradient(fake.subarray(0, 2 * ARROWS));
  let longest = 0;
  for (let i = 0; i < ARROWS; i++) longest = Math.max(longest, Math.hypot(grad[2 * i]!, grad[2 * i + 1]!));
  const scale = longest > 0 ? (0.1 * (hi - lo)) / longest : 0;
  const dx = new Array<number>(ARROWS),
    dy = new Array<number>(ARROWS);
  for (let i = 0; i < ARROWS; i++) {
    dx[i] = -grad[2 * i]! * scale;
    dy[i] = -grad[2 * i + 1]! * scale;
  }
  return {
    dim: 2,
    lo,
    hi,
    real: r.realColumns!,
    fake: columns(fake),
    cells: CELLS,
    d,
    arrows: [dx, dy],
    outside,
    shown: VIEW_SAMPLES,
  };
}

function viewImage(r: Run): ViewImage {
  const viewer = look(r),
    { values, rows } = digitGrid(viewer, r.noise);
  const [height, width] = MNIST_SHAPE,
    columns = values.length / (rows * height * width);
  // The samples are digit after digit; the picture is the grid's rows of pixels.
  const digits = toPixels(values, "symmetric"),
    pixels = new Uint8Array(digits.length);
  for (let d = 0; d < rows * columns; d++) {
    const top = Math.floor(d / columns) * height,
      left = (d % columns) * width;
    for (let y = 0; y < height; y++) {
      const from = (d * height + y) * width;
      pixels.set(digits.subarray(from, from + width), (top + y) * columns * width + left);
    }
  }
  const labels = viewer.conditional ? viewer.classValues : null;
  return {
    dim: "image",
    height,
    width,
    rows,
    columns,
    pixels,
    labels,
    print: fingerprint([values]),
    outside: 0,
    shown: 0,
  };
}

// The metrics of the run now: for digits (a classifier pass and a Frechet distance each time), at most
// every LIVE_IMAGES_MS while training; whenever asked while paused.
function liveMetrics(r: Run): Report {
  if (!r.image) return look(r).report();
  const now = performance.now();
  if (!r.liveReport || !playing || now - r.liveAt >= LIVE_IMAGES_MS) {
    r.liveReport = look(r).report();
    r.liveAt = now;
  }
  return { ...r.liveReport };
}

/** The report of the run now, on the viewer's fixed noise, with the trainer's latest losses. */
function live(r: Run): Live {
  const report = liveMetrics(r);
  const t = r.trainer;
  report.epoch = t.epoch;
  report.dLoss = t.dLoss;
  report.gLoss = t.gLoss;
  const batches = t.inEpoch ? batchCount(t) : 0;
  return {
    epoch: t.epoch,
    dLoss: t.dLoss,
    gLoss: t.gLoss,
    report,
    changed: r.changed,
    batch: t.inEpoch ? { index: partBatch, of: batches } : null,
  };
}

let partBatch = 0; // the mini-batch the part-wise steps are on, for the page's "batch 2 of 3"

function batchCount(t: GAN): number {
  const o = t.options;
  return o.batchSize ? Math.ceil(o.samples / o.batchSize) : o.batches;
}

// Whether the discriminator can still tell real from generated: the gap between its mean verdicts.
function verdictGap(r: Run): number {
  const viewer = look(r),
    dim = r.trainer.options.dim,
    rows = Math.min(GAP_ROWS, r.real.length / dim);
  const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
  const real = mean(viewer.discriminate(r.real.subarray(0, rows * dim)));
  return Math.abs(real - mean(viewer.discriminate(viewer.generate(rows))));
}

function onReport(r: Run) {
  return (report: Report) => {
    r.reports.push(report);
    // The degeneration check follows KL, which digits do not measure.
    if (!r.image) r.degeneration.add(report.epoch, report.kl ?? NaN, verdictGap(r));
  };
}

/** Iterations the trainer has done: whole epochs' and the current one's. */
function done(t: GAN): number {
  return t.epoch * batchCount(t) + (t.inEpoch ? partBatch : 0);
}

function measure(now: number, t: GAN): void {
  const value = ((done(t) - speed.done) * 1000) / Math.max(now - speed.since, 1);
  // Smoothed, so the readout does not jump from one snapshot to the next.
  speed = { since: now, done: done(t), value: speed.value > 0 ? 0.6 * speed.value + 0.4 * value : value };
}

function state(): "paused" | "training" | "stopped" {
  return playing ? "training" : stopped ? "stopped" : "paused";
}

function post(): void {
  if (!run) return;
  const now = performance.now(),
    epoch = run.trainer.epoch;
  if (playing && now - speed.since >= SNAPSHOT_MS) measure(now, run.trainer);
  const shown = view(run);
  scope.postMessage(
    {
      type: "state",
      run: run.id,
      epoch,
      state: state(),
      epochsPerSecond: speed.value / batchCount(run.trainer),
      iterationsPerSecond: speed.value,
      reports: run.reports.splice(0),
      view: shown,
      live: live(run),
      warning: run.degeneration.warning,
      fingerprint: playing
        ? null
        : {
            g: fingerprint(run.trainer.generator.getWeights()),
            d: fingerprint(run.trainer.discriminator.getWeights()),
          },
    },
    shown.dim === "image" ? [shown.pixels.buffer] : [],
  );
  lastSnapshot = now;
}

/** Trains up to `epochs` whole epochs (finishing one begun by steps first). */
function train(r: Run, epochs: number): void {
  const started = performance.now();
  r.trainer.train({ epochs, onReport: onReport(r) });
  epochMs = (performance.now() - started) / Math.max(epochs, 1);
  r.dDone = 0;
  partBatch = 0;
  r.changed = "both";
}

/** One D or G update, following the schedule: dSteps D updates, then G's. */
function part(r: Run, kind: "d" | "g" = r.dDone < r.trainer.options.dSteps ? "d" : "g"): void {
  const t = r.trainer;
  if (kind === "d") {
    t.stepD();
    r.dDone++;
  } else {
    const result = t.stepG();
    r.dDone = 0;
    partBatch = t.inEpoch ? partBatch + 1 : 0;
    if (result.report) onReport(r)(result.report);
  }
  r.changed = kind;
}

function step(r: Run, kind: StepKind): void {
  if (kind === "d" || kind === "g") part(r, kind);
  else if (kind === "epoch") train(r, 1);
  else {
    while (r.dDone < r.trainer.options.dSteps) part(r, "d");
    part(r, "g");
    r.changed = "both";
  }
  applyTune(r);
}

function reachedStop(r: Run): boolean {
  return pace.stopAt !== null && r.trainer.epoch >= pace.stopAt && !r.trainer.inEpoch;
}

function halt(): void {
  playing = false;
  stopped = true;
  if (run && done(run.trainer) > speed.done) measure(performance.now(), run.trainer);
  post();
}

// A zero-delay yield: nested setTimeout is clamped to 4 ms, a message round trip is not.
const tick = new MessageChannel();
tick.port1.onmessage = ({ data }: MessageEvent<number>) => {
  if (data === loop) advance();
};
const next = (delay: number) => {
  const id = loop;
  if (delay <= 0) tick.port2.postMessage(id);
  else setTimeout(() => id === loop && advance(), delay);
};

function advance(): void {
  const r = run;
  if (!playing || !r || rebuilding) return;
  try {
    if (pace.slow) {
      part(r);
      applyTune(r);
      post();
      if (reachedStop(r)) return halt();
      return next(1000 / pace.stepsPerSecond);
    }
    const left = pace.stopAt === null ? Infinity : pace.stopAt - r.trainer.epoch;
    if (epochMs === 0 && !r.trainer.inEpoch) {
      // A first look at the cost: one update, times the updates of an epoch.
      const started = performance.now();
      part(r);
      const o = r.trainer.options;
      epochMs = (performance.now() - started) * batchCount(r.trainer) * (o.dSteps + 1);
    } else if (epochMs > SLOW_EPOCH_MS || r.trainer.inEpoch) {
      // Slow epochs go update by update, so a pause waits for one update, not a whole epoch.
      const started = performance.now();
      part(r);
      partsMs += performance.now() - started;
      if (!r.trainer.inEpoch) {
        epochMs = partsMs;
        partsMs = 0;
      }
    } else if (Number.isFinite(pace.epochsPerSecond)) {
      const due = pacing.epoch + Math.floor(((performance.now() - pacing.since) * pace.epochsPerSecond) / 1000);
      const epochs = Math.min(due - r.trainer.epoch, left, chunk);
      if (epochs > 0) train(r, epochs);
      chunk = epochs > 0 ? resize(chunk, epochMs * epochs) : chunk;
    } else {
      const epochs = Math.min(chunk, left);
      const started = performance.now();
      train(r, epochs);
      chunk = resize(chunk, performance.now() - started);
    }
    applyTune(r);
    if (reachedStop(r)) return halt();
    if (performance.now() - lastSnapshot >= (r.image ? IMAGE_SNAPSHOT_MS : SNAPSHOT_MS)) post();
    if (Number.isFinite(pace.epochsPerSecond) && !r.trainer.inEpoch) {
      const at = pacing.since + ((r.trainer.epoch + 1 - pacing.epoch) * 1000) / pace.epochsPerSecond;
      return next(at - performance.now());
    }
    next(0);
  } catch (error) {
    fail(error);
  }
}

// Chunks sized to take ~CHUNK_MS, growing at most twofold at a time.
function resize(current: number, took: number): number {
  return Math.max(1, Math.min(current * 2, Math.round((current * CHUNK_MS) / Math.max(took, 0.1))));
}

function fail(error: unknown): void {
  playing = false;
  scope.postMessage({ type: "error", run: runId, message: error instanceof Error ? error.message : String(error) });
}

/** New rates, loss or labels for the running GAN, through its checkpoint: between epochs only. */
function applyTune(r: Run): void {
  if (!pendingTune || r.trainer.inEpoch) return;
  const tuning = pendingTune;
  pendingTune = null;
  const c = toCheckpoint(r.trainer);
  c.options = { ...c.options, ...tuning };
  const real = r.real;
  rebuilding = true;
  // Rebuilding is asynchronous; the queue holds every other message until it is done.
  queue = queue.then(async () => {
    rebuilding = false;
    const trainer = await fromCheckpoint(c);
    const next = await assemble(r.id, trainer, r.options && { ...r.options, ...tuning }, r.classifier);
    next.degeneration = r.degeneration;
    next.reports = r.reports;
    next.realColumns = r.realColumns;
    next.real = real;
    if (run === r) run = next;
    scope.postMessage({ type: "notice", run: r.id, message: `new settings in force from epoch ${trainer.epoch}` });
    post();
    if (playing) startPlay();
  });
}

async function handle(data: ToWorker): Promise<void> {
  switch (data.type) {
    case "reset":
      await build(data.run, data.options, data.checkpoint, data.image);
      break;
    case "pace":
      pace = data.pace;
      if (playing) startPlay();
      break;
    case "play":
      if (!run || playing) return;
      if (reachedStop(run)) {
        stopped = true;
        post();
        scope.postMessage({
          type: "notice",
          run: run.id,
          message: `stopped at epoch ${pace.stopAt}: raise "stop at" (or empty it) to go on`,
        });
        return;
      }
      playing = true;
      stopped = false;
      speed = { since: performance.now(), done: done(run.trainer), value: 0 };
      startPlay();
      post();
      break;
    case "pause":
      playing = false;
      // A play shorter than a snapshot still shows its speed.
      if (run && done(run.trainer) > speed.done) measure(performance.now(), run.trainer);
      loop++;
      post();
      break;
    case "step":
      if (!run || playing) return;
      step(run, data.kind);
      stopped = false;
      post();
      break;
    case "tune":
      pendingTune = { ...pendingTune, ...data.tuning };
      if (run) {
        if (run.trainer.inEpoch) {
          scope.postMessage({ type: "notice", run: run.id, message: "the new settings apply when this epoch ends" });
        }
        applyTune(run);
      }
      break;
    case "save":
      if (!run) return;
      if (run.trainer.inEpoch) {
        scope.postMessage({
          type: "notice",
          run: run.id,
          message: "a checkpoint is taken between epochs: finish this one first (Step epoch)",
        });
        return;
      }
      scope.postMessage({
        type: "checkpoint",
        run: run.id,
        epoch: run.trainer.epoch,
        text: checkpointText(run.trainer),
      });
      break;
  }
}

function startPlay(): void {
  loop++;
  if (run) pacing = { since: performance.now(), epoch: run.trainer.epoch };
  next(0);
}

// One message at a time: a play sent right after a reset waits for the new GAN.
let queue = Promise.resolve();
scope.onmessage = ({ data }) => {
  queue = queue.then(() => handle(data)).catch(fail);
};
