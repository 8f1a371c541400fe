import { ACTIVATION_NAMES, type ActivationName } from "../kernels/planner.js";
import { OptionError } from "../errors.js";

// The activations are those the planner has kernels for.
export type { ActivationName };
export const ACTIVATIONS: readonly ActivationName[] = ACTIVATION_NAMES;

/** An activation by name; leaky relu takes its negative slope (default 0.2, as tf.leakyRelu). */
export type ActivationSpec = ActivationName | { name: "leaky_relu"; alpha: number };

export interface Activation {
  readonly name: ActivationName;
  readonly alpha: number;
}

export function resolveActivation(spec: ActivationSpec): Activation {
  if (typeof spec === "string") {
    if (!ACTIVATIONS.includes(spec))
      throw new OptionError("activation", spec, `must be one of ${ACTIVATIONS.join(", ")}`);
    return { name: spec, alpha: 0.2 };
  }
  // alpha >= 0 keeps the sign of the output equal to that of the input, which the fused backward relies on.
  if (
    typeof spec !== "object" ||
    spec === null ||
    spec.name !== "leaky_relu" ||
    !Number.isFinite(spec.alpha) ||
    spec.alpha < 0
  ) {
    throw new OptionError("activation", spec, '{ name: "leaky_relu", alpha } with a number alpha >= 0, or a name');
  }
  return { name: "leaky_relu", alpha: spec.alpha };
}
