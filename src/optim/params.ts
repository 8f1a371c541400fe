// One declaration of the optimizers' parameters: the classes take their defaults from here, and the option
// schema its validation and help.
/**
 * Each optimizer's parameters besides the learning rate, with their defaults: tfjs's (Adam's epsilon 1e-7
 * outside the square root) and Keras's RMSprop rho. epsilon must be > 0; the others lie in [0, 1).
 */
export const OPTIMIZER_PARAMS = {
  adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  rmsprop: { rho: 0.9, momentum: 0, epsilon: 1e-7 },
  sgd: { momentum: 0 },
} as const;
