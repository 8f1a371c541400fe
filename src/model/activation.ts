import type { Kernels } from "../wasm/kernels.js";
import { OptionError } from "../errors.js";

export type ActivationName = "relu" | "leaky_relu" | "sigmoid" | "tanh" | "linear";
export const ACTIVATIONS: readonly ActivationName[] = ["relu", "leaky_relu", "sigmoid", "tanh", "linear"];

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

/**
 * The gemm epilogue code of an activation that can be fused into the forward product, or 0. The epilogue
 * computes max(v, slope·v), which is leaky relu only for slopes up to 1; a steeper one runs on its own.
 */
export function fusedCode(act: Activation): number {
  return act.name === "relu" ? 1 : act.name === "leaky_relu" && act.alpha <= 1 ? 2 : 0;
}

// y = f(x) over n values. Linear layers never call this: their output aliases the pre-activation.
export function activationForward(k: Kernels, act: Activation, y: number, x: number, n: number): void {
  switch (act.name) {
    case "relu":
      k.relu_forward(y, x, n);
      break;
    case "leaky_relu":
      k.leaky_relu_forward(y, x, n, act.alpha);
      break;
    case "sigmoid":
      k.sigmoid_forward(y, x, n);
      break;
    case "tanh":
      k.tanh_forward(y, x, n);
      break;
    case "linear":
      break;
  }
}

// dy <- dy * f'(.) in place; x is the pre-activation, y the output.
export function activationBackward(k: Kernels, act: Activation, dy: number, x: number, y: number, n: number): void {
  switch (act.name) {
    case "relu":
      k.relu_backward(dy, dy, x, n);
      break;
    case "leaky_relu":
      k.leaky_relu_backward(dy, dy, x, n, act.alpha);
      break;
    case "sigmoid":
      k.sigmoid_backward(dy, dy, y, n);
      break;
    case "tanh":
      k.tanh_backward(dy, dy, y, n);
      break;
    case "linear":
      break;
  }
}
