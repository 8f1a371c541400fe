import type { Engine } from "../wasm/load.js";
import { Adam, type AdamSpec } from "./adam.js";
import { RMSprop, type RMSpropSpec } from "./rmsprop.js";
import { SGD, type SGDSpec } from "./sgd.js";
import type { Optimizer } from "./base.js";
import { OptionError } from "../errors.js";
import { OPTIMIZER_PARAMS } from "./params.js";

export type { Optimizer };

export type OptimizerSpec = AdamSpec | RMSpropSpec | SGDSpec;
export type OptimizerName = OptimizerSpec["type"];

export { OPTIMIZER_PARAMS };
export const OPTIMIZERS = Object.keys(OPTIMIZER_PARAMS) as readonly OptimizerName[];

/** The optimizer a spec names, with its state laid out beside the parameters it updates. */
export function createOptimizer(
  engine: Engine,
  spec: OptimizerSpec,
  params: number,
  grads: number,
  size: number,
): Optimizer {
  switch (spec.type) {
    case "adam":
      return new Adam(engine, spec, params, grads, size);
    case "rmsprop":
      return new RMSprop(engine, spec, params, grads, size);
    case "sgd":
      return new SGD(engine, spec, params, grads, size);
    default:
      throw new OptionError(
        "optimizer.type",
        (spec as { type: unknown }).type,
        `must be one of ${OPTIMIZERS.join(", ")}`,
      );
  }
}
