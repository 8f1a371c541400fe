import type { Engine } from "../wasm/load.js";
import type { ActivationSpec } from "./activation.js";
import { MLP } from "./mlp.js";

export interface GeneratorSpec {
  noiseDim: number;
  hidden: readonly number[];
  activation: ActivationSpec;
  /** Dimension of a generated sample. */
  dim: number;
  /** Activation of the output layer: linear in the reference workload; tanh or sigmoid for images. */
  outputActivation?: ActivationSpec;
  /** Classes of a conditional G: a one-hot label of this many columns follows the noise in each input row. */
  classes?: number;
}

// G: noise [rows, noiseDim] (then a one-hot label [rows, classes] when conditional) -> samples [rows, dim].
export class Generator extends MLP {
  constructor(engine: Engine, spec: GeneratorSpec) {
    super(engine, {
      inputs: spec.noiseDim + (spec.classes ?? 0),
      hidden: spec.hidden,
      activation: spec.activation,
      outputs: spec.dim,
      outputActivation: spec.outputActivation ?? "linear",
    });
  }
}
