import type { Engine } from "../wasm/load.js";
import type { ActivationSpec } from "./activation.js";
import { MLP } from "./mlp.js";

export interface DiscriminatorSpec {
  dim: number;
  hidden: readonly number[];
  activation: ActivationSpec;
  /** Classes of a conditional D: a one-hot label of this many columns follows each sample in its input rows. */
  classes?: number;
}

// D: samples [rows, dim] -> P(real) [rows, 1]. The network itself ends in the logit, because the loss
// kernel fuses the sigmoid into the cross-entropy; probabilities() applies it for callers who want D(x).
export class Discriminator extends MLP {
  constructor(
    private readonly host: Engine,
    spec: DiscriminatorSpec,
  ) {
    super(host, {
      inputs: spec.dim + (spec.classes ?? 0),
      hidden: spec.hidden,
      activation: spec.activation,
      outputs: 1,
      outputActivation: "linear",
    });
  }

  /** D(x) for x [rows, dim] at byte offset x; writes rows probabilities at `out`. */
  probabilities(x: number, rows: number, out: number): void {
    this.reserve(rows);
    this.host.kernels.sigmoid_forward(out, this.forward(x, rows), rows);
  }
}
