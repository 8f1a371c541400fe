// Messages between the page and its training worker. Every message from the worker carries the run it
// belongs to, so the page can drop what a run it has since replaced still had in flight.
import type { GANOptions, Report } from "simdgan";
import type { ImageTarget } from "./settings.js";

/** One D update, one G update, one iteration (dSteps D updates and a G update), or one epoch. */
export type StepKind = "d" | "g" | "iteration" | "epoch";

/** How playing goes: epochs per second (Infinity: as fast as it runs), where it stops, slow motion. */
export interface Pace {
  epochsPerSecond: number;
  /** Playing pauses on reaching this epoch; null: never. */
  stopAt: number | null;
  /** Plays D and G updates one at a time, a view after each, at `stepsPerSecond`. */
  slow: boolean;
  stepsPerSecond: number;
}

/** Settings that change how the run goes on, not what it is: applied to the running GAN. */
export type Tuning = Pick<GANOptions, "gOptimizer" | "dOptimizer" | "loss" | "realLabel" | "fakeLabel">;

export type ToWorker =
  /** Build a fresh GAN at epoch 0 (or the checkpoint's), paused. */
  | { type: "reset"; run: number; options: GANOptions; checkpoint?: string; image?: ImageTarget }
  | { type: "play" }
  | { type: "pause" }
  | { type: "step"; kind: StepKind }
  | { type: "pace"; pace: Pace }
  /** Carries the run on with new learning rates, optimizer parameters, loss or labels. */
  | { type: "tune"; tuning: Tuning }
  /** Asks for the run's checkpoint (the library's format). */
  | { type: "save" };

/**
 * What the samples view shows for 1-D data: densities over shared bins, as steps from the bin edges x
 * (the closing edge repeats the last bin's height), and D(x) at those edges.
 */
export interface View1 {
  dim: 1;
  x: number[];
  real: number[];
  fake: number[];
  d: number[];
  /** The generated samples the view leaves out (outside its range, or not finite), of `shown`. */
  outside: number;
  shown: number;
}

/**
 * For 2-D data: real and generated points (as x and y columns) on the square [lo, hi]², D(x) at the
 * centres of a cells x cells grid over it, row by row from (lo, lo) upwards, and the direction the
 * generator's update moves each of the first `arrows` generated points (minus D's input gradient of
 * G's loss), scaled so the longest is a tenth of the square.
 */
export interface View2 {
  dim: 2;
  lo: number;
  hi: number;
  real: [x: number[], y: number[]];
  fake: [x: number[], y: number[]];
  cells: number;
  d: number[];
  arrows: [dx: number[], dy: number[]];
  outside: number;
  shown: number;
}

/**
 * For digits: a grid of generated images on the same noise every time (a row per class when conditional),
 * as 8-bit grey pixels, row-major over the whole grid, and a fingerprint of the generated values.
 */
export interface ViewImage {
  dim: "image";
  /** Of one digit. */
  height: number;
  width: number;
  rows: number;
  columns: number;
  /** [rows * height, columns * width] grey levels, 0 black to 255 white. */
  pixels: Uint8Array;
  /** The label each row shows, when conditional. */
  labels: number[] | null;
  /** fingerprint.ts of the grid's float32 samples: the same seed and steps give the same, here and in Node. */
  print: string;
  outside: number;
  shown: number;
}

export type View = View1 | View2 | ViewImage;

/** The run as it stands: the latest losses, and metrics of the view's samples, at `epoch`. */
export interface Live {
  epoch: number;
  dLoss: number;
  gLoss: number;
  report: Report;
  /** What the last update moved, for slow motion and single steps: D's, G's, or both. */
  changed: "d" | "g" | "both" | null;
  /** Where an epoch begun by D or G steps stands: the mini-batch, and D updates done on it. */
  batch: { index: number; of: number } | null;
}

export type FromWorker =
  | {
      type: "state";
      run: number;
      epoch: number;
      /** building, paused, training, stopped (reached stop-at) */
      state: "building" | "paused" | "training" | "stopped";
      epochsPerSecond: number;
      /** Iterations (mini-batches: D's updates and G's) per second. */
      iterationsPerSecond: number;
      /** Reports made since the previous message, oldest first. */
      reports: Report[];
      view: View;
      live: Live;
      /** Set while training looks degenerate: what was seen. */
      warning: string | null;
      /** Fingerprints of G's and D's weights (fingerprint.ts), while not training. */
      fingerprint: { g: string; d: string } | null;
    }
  | { type: "building"; run: number }
  | { type: "checkpoint"; run: number; epoch: number; text: string }
  /** The options of a run loaded from a checkpoint, for the form. */
  | { type: "loaded"; run: number; options: GANOptions; epoch: number }
  | { type: "notice"; run: number; message: string }
  | { type: "error"; run: number; message: string };
