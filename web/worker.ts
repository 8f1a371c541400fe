// Trains in the background: chunks of epochs sized to ~15 ms, yielding between chunks so play / pause /
// step arrive promptly, and a snapshot for the page a few times a second. The views come from a second
// GAN that only borrows the trainer's weights: drawing its samples never touches the trainer's random
// streams, so a run's numbers do not depend on when the page looked at it.
import { createGAN, type GAN, type GANOptions, histogramCounts, linspaceEdges, type Report } from "simdgan";
import type { FromWorker, ToWorker, View, View1, View2 } from "./protocol.js";

const scope = globalThis as unknown as {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const BINS = 80;
const VIEW_SAMPLES = 2000;
const SNAPSHOT_MS = 200;
const CHUNK_MS = 15;
const CELLS = 40; // the 2-D view's D(x) grid: CELLS x CELLS values

/** What a run's views take from its real data, fixed for the run: the range, and the real histogram or points. */
type Frame =
  | { dim: 1; edges: Float64Array; realDensity: number[] }
  | { dim: 2; lo: number; hi: number; real: [number[], number[]]; grid: Float32Array };

interface Run {
  id: number;
  trainer: GAN;
  viewer: GAN;
  frame: Frame;
  reports: Report[];
}

let run: Run | null = null;
let runId = -1; // the run being built or trained, for error messages
let playing = false;
let chunk = 1;
let lastSnapshot = 0;
let loop = 0; // which play the pending tick belongs to: a pause and a new play must not run two loops
let speed = { since: 0, epoch: 0, value: 0 };

function histogram(values: Float32Array, edges: Float64Array): number[] {
  const width = (edges[BINS]! - edges[0]!) / BINS;
  return Array.from(histogramCounts(values, edges), (c) => c / (values.length * width));
}

const closed = (density: number[]): number[] => [...density, density.at(-1)!];

async function reset(id: number, options: GANOptions): Promise<void> {
  playing = false;
  run = null;
  runId = id;
  speed.value = 0;
  const trainer = await createGAN(options);
  const viewer = await createGAN(options);
  run = { id, trainer, viewer, frame: frame(trainer), reports: [] };
  post();
}

function frame(trainer: GAN): Frame {
  const real = trainer.realData(),
    dim = trainer.options.dim;
  // One range for every coordinate, padded: a 2-D view is square, so a ring stays round.
  let lo = Infinity,
    hi = -Infinity;
  for (const v of real) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const pad = Math.max(0.25 * (hi - lo), 0.5);
  lo -= pad;
  hi += pad;
  if (dim === 1) {
    const edges = linspaceEdges(lo, hi, BINS);
    return { dim: 1, edges, realDensity: closed(histogram(real, edges)) };
  }
  if (dim !== 2) throw new Error(`the page shows 1-D and 2-D data, not ${dim}-D`);
  // The data are independent draws, so the first rows are a fair sample of them all.
  const shown = Math.min(real.length / 2, VIEW_SAMPLES);
  const cell = (hi - lo) / CELLS,
    grid = new Float32Array(2 * CELLS * CELLS);
  for (let j = 0; j < CELLS; j++) {
    for (let i = 0; i < CELLS; i++) {
      grid[2 * (j * CELLS + i)] = lo + (i + 0.5) * cell;
      grid[2 * (j * CELLS + i) + 1] = lo + (j + 0.5) * cell;
    }
  }
  return { dim: 2, lo, hi, real: columns(real.subarray(0, 2 * shown)), grid };
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

function view(r: Run): View {
  r.viewer.generator.setWeights(r.trainer.generator.getWeights());
  r.viewer.discriminator.setWeights(r.trainer.discriminator.getWeights());
  const f = r.frame,
    fake = r.viewer.generate(VIEW_SAMPLES);
  if (f.dim === 2) {
    const d = Array.from(r.viewer.discriminate(f.grid));
    return { dim: 2, lo: f.lo, hi: f.hi, real: f.real, fake: columns(fake), cells: CELLS, d } satisfies View2;
  }
  // Bins as steps from their left edges; the closing edge repeats the last bin's height.
  const x = Array.from(f.edges);
  return {
    dim: 1,
    x,
    real: f.realDensity,
    fake: closed(histogram(fake, f.edges)),
    d: Array.from(r.viewer.discriminate(x)),
  } satisfies View1;
}

// Epochs per second since the last measurement.
function measure(now: number, epoch: number): void {
  speed = { since: now, epoch, value: ((epoch - speed.epoch) * 1000) / (now - speed.since) };
}

function post(): void {
  if (!run) return;
  const now = performance.now(),
    epoch = run.trainer.epoch;
  if (playing && now - speed.since >= SNAPSHOT_MS) measure(now, epoch);
  scope.postMessage({
    type: "state",
    run: run.id,
    epoch: run.trainer.epoch,
    playing,
    epochsPerSecond: speed.value,
    reports: run.reports.splice(0),
    view: view(run),
  });
  lastSnapshot = now;
}

function train(epochs: number): void {
  const r = run!;
  r.trainer.train({ epochs, onReport: (report) => r.reports.push(report) });
}

// A zero-delay yield: nested setTimeout is clamped to 4 ms, a message round trip is not.
const tick = new MessageChannel();
tick.port1.onmessage = ({ data }: MessageEvent<number>) => {
  if (!playing || !run || data !== loop) return;
  const started = performance.now();
  try {
    train(chunk);
  } catch (error) {
    fail(error);
    return;
  }
  const took = performance.now() - started;
  chunk = Math.max(1, Math.min(chunk * 2, Math.round((chunk * CHUNK_MS) / Math.max(took, 0.1))));
  if (performance.now() - lastSnapshot >= SNAPSHOT_MS) post();
  tick.port2.postMessage(loop);
};

function fail(error: unknown): void {
  playing = false;
  scope.postMessage({ type: "error", run: runId, message: error instanceof Error ? error.message : String(error) });
}

async function handle(data: ToWorker): Promise<void> {
  switch (data.type) {
    case "reset":
      await reset(data.run, data.options);
      break;
    case "play":
      if (!run || playing) return;
      playing = true;
      speed = { since: performance.now(), epoch: run.trainer.epoch, value: speed.value };
      tick.port2.postMessage(++loop);
      break;
    case "pause":
      playing = false;
      // A play shorter than a snapshot still shows its speed.
      if (run && run.trainer.epoch > speed.epoch) measure(performance.now(), run.trainer.epoch);
      post();
      break;
    case "step":
      if (!run || playing) return;
      try {
        train(1);
        post();
      } catch (error) {
        fail(error);
      }
      break;
  }
}

// One message at a time: a play sent right after a reset waits for the new GAN.
let queue = Promise.resolve();
scope.onmessage = ({ data }) => {
  queue = queue.then(() => handle(data)).catch(fail);
};
