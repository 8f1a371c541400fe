import type { Engine } from "../wasm/load.js";
import type { ActivationSpec } from "./activation.js";
import { MLP } from "./mlp.js";

export interface GeneratorSpec {
  noiseDim: number;
  hidden: readonly number[];
  activation: ActivationSpec;
  /** Dimension of a generated sample; its output layer is linear, as in the seed. */
  dim: number;
}

// G: noise [rows, noiseDim] -> samples [rows, dim].
export class Generator extends MLP {
  constructor(engine: Engine, spec: GeneratorSpec) {
    super(engine, {
      inputs: spec.noiseDim,
      hidden: spec.hidden,
      activation: spec.activation,
      outputs: spec.dim,
      outputActivation: "linear",
    });
  }
}
