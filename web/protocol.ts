// Messages between the page and its training worker. Every message from the worker carries the run it
// belongs to, so the page can drop what a run it has since replaced still had in flight.
import type { GANOptions, Report } from "simdgan";

export type ToWorker =
  /** Build a fresh GAN at epoch 0, paused. */
  | { type: "reset"; run: number; options: GANOptions }
  | { type: "play" }
  | { type: "pause" }
  /** Train exactly one epoch. */
  | { type: "step" };

/** What the samples view shows for 1-D data: densities over shared bins and D(x) at the bin centres. */
export interface View1 {
  dim: 1;
  x: number[];
  real: number[];
  fake: number[];
  d: number[];
}

/**
 * For 2-D data: real and generated points (as x and y columns) on the square [lo, hi]², and D(x) at
 * the centres of a cells x cells grid over it, row by row from (lo, lo) upwards.
 */
export interface View2 {
  dim: 2;
  lo: number;
  hi: number;
  real: [x: number[], y: number[]];
  fake: [x: number[], y: number[]];
  cells: number;
  d: number[];
}

export type View = View1 | View2;

export type FromWorker =
  | {
      type: "state";
      run: number;
      epoch: number;
      playing: boolean;
      epochsPerSecond: number;
      /** Reports made since the previous message, oldest first. */
      reports: Report[];
      view: View;
    }
  | { type: "error"; run: number; message: string };
