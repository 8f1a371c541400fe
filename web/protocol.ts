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

/** What the distribution view shows: densities over shared bins and D(x) at the bin centres. */
export interface View {
  x: number[];
  real: number[];
  fake: number[];
  d: number[];
}

export type FromWorker =
  | {
      type: "state"; run: number; epoch: number; playing: boolean; epochsPerSecond: number;
      /** Reports made since the previous message, oldest first. */
      reports: Report[];
      view: View;
    }
  | { type: "error"; run: number; message: string };
