import type { Kernels } from "../kernels/boundary.js";

/**
 * The adversarial objectives. Each writes the gradient w.r.t. D's output into dz and returns the mean loss
 * (0 when skip is set). Rows [0, split) are real, the rest fake.
 * - minimax: the reference workload's, as Keras expresses the game: BCE on D(x) with targets realLabel / fakeLabel, and G
 *   trained with BCE toward realLabel.
 * - non-saturating: D as minimax; G minimises -log D(G(z)) (target exactly 1, no smoothing).
 * - lsgan: least squares on a linear D output (Mao et al.), targets realLabel / fakeLabel, G toward realLabel.
 */
export type LossName = "minimax" | "non-saturating" | "lsgan";
export const LOSSES: readonly LossName[] = ["minimax", "non-saturating", "lsgan"];

export interface Objective {
  discriminator(dz: number, z: number, rows: number, split: number, skip: 0 | 1): number;
  generator(dz: number, z: number, rows: number, skip: 0 | 1): number;
  /** Whether D's output is a logit (turned into a probability by a sigmoid) or a raw score. */
  readonly logits: boolean;
}

export function objective(k: Kernels, loss: LossName, realLabel: number, fakeLabel: number): Objective {
  const lsgan = loss === "lsgan";
  const gTarget = loss === "non-saturating" ? 1 : realLabel;
  const kernel = lsgan ? k.squared_error : k.sigmoid_bce;
  return {
    logits: !lsgan,
    discriminator: (dz, z, rows, split, skip) => kernel(dz, z, rows, split, realLabel, fakeLabel, skip),
    generator: (dz, z, rows, skip) => kernel(dz, z, rows, rows, gTarget, gTarget, skip),
  };
}
