// The one place that chooses kernels. A model's layers are planned once, when the model is laid out; a
// plan is a list of steps per pass, each issuing the kernel calls of one layer (or of a fused block), so a
// training step only runs steps: it plans nothing and allocates nothing. The kernels (assembly/) know
// nothing of layers; the model (src/model/) knows no kernel.
//
// A layer y = act(x·W + b) maps x [M, in] to y [M, out] (M: the batch's rows), W [in, out], b [out].
//
//   layer shape                      forward                       backward: dW, db        backward: dx
//   --------------------------------------------------------------------------------------------------------
//   out > 1                          gemm_nn                       gemm_tn, sum_rows       gemm_nt
//   out >= 64, in >= 256 (forward)   gemm_nn_packed                gemm_tn_packed,
//     or in >= 16 (dW)                                             sum_rows
//   out >= 4, in >= 32 (dx)                                                                gemm_nt_packed
//   out = 1 (a logit, a 1-D sample)  gemm_nn (N = 1: a dot per    unit_backward (dW and dx in one sweep),
//                                    row, unit.ts)                 sum_rows
//   in = 1 (a 1-D input)             gemm_nn                       gemm_tn, sum_rows       gemm_nt (K = 1: a
//                                                                                          dot per row, unit.ts)
//   the reference critic, a whole    critic1d_forward (both        critic1d_backward,      unit_input_grad
//   model 1 -> relu H -> 1 (linear)  layers, one sweep)            sum_rows (db2)          (frozen weights)
//     with dW and dx both asked: layer by layer, as above
//
//   activation                       forward                       backward
//   --------------------------------------------------------------------------------------------------------
//   relu, leaky relu (alpha <= 1)    in gemm_nn's store (act)      in the dx product of the layer above
//                                                                  (gemm_nt or gemm_nt_packed, unit_backward:
//                                                                  act, gated on x)
//   leaky relu (alpha > 1),          *_forward after gemm_nn       *_backward on dx after the layer above
//     sigmoid, tanh                                                (in place)
//   linear                           nothing: y is z               nothing
//   any, on the top layer            as above                      *_backward on the incoming gradient first
//
// Every kernel call of a model's layers is issued by a step here, on the engine's kernels: with threads > 1
// those are src/wasm/pool.ts's, which run each call on shares of its output rows (same kernel, same bits).
// (Kernels may still specialise inside, as gemm_nn does for N = 1, but never call another kernel with
// made-up arguments: that choice is this file's.)
import { type ActCode, type ActivationCodes, activationCodes, type Kernels } from "./boundary.js";

/** y = f(x) and dx = dy·f'(.) over n values: the elementwise kernels of an activation (null: linear). */
interface ElementwiseKernels {
  forward(k: Kernels, y: number, x: number, n: number, alpha: number): void;
  /** In place on dy; x is the pre-activation, y the output. */
  backward(k: Kernels, dy: number, x: number, y: number, n: number, alpha: number): void;
}

const ELEMENTWISE = {
  relu: {
    forward: (k, y, x, n) => k.relu_forward(y, x, n),
    backward: (k, dy, x, _y, n) => k.relu_backward(dy, dy, x, n),
  },
  leaky_relu: {
    forward: (k, y, x, n, alpha) => k.leaky_relu_forward(y, x, n, alpha),
    backward: (k, dy, x, _y, n, alpha) => k.leaky_relu_backward(dy, dy, x, n, alpha),
  },
  sigmoid: {
    forward: (k, y, x, n) => k.sigmoid_forward(y, x, n),
    backward: (k, dy, _x, y, n) => k.sigmoid_backward(dy, dy, y, n),
  },
  tanh: {
    forward: (k, y, x, n) => k.tanh_forward(y, x, n),
    backward: (k, dy, _x, y, n) => k.tanh_backward(dy, dy, y, n),
  },
  linear: null,
} satisfies Record<string, ElementwiseKernels | null>;

/** Every activation a layer can have: one per entry of the elementwise kernels above. */
export type ActivationName = keyof typeof ELEMENTWISE;
export const ACTIVATION_NAMES = Object.keys(ELEMENTWISE) as ActivationName[];

export interface LayerActivation {
  readonly name: ActivationName;
  /** leaky relu's slope below zero (unused by the others). */
  readonly alpha: number;
}

/**
 * Whether an activation runs inside the products (relu, leaky relu). Their store computes max(v, slope·v),
 * which is leaky relu only for slopes up to 1; a steeper one runs on its own. A fused layer's output alone
 * tells where its pre-activation was positive, so it needs no buffer for z.
 */
export function fusesIntoProducts(act: LayerActivation): boolean {
  return act.name === "relu" || (act.name === "leaky_relu" && act.alpha <= 1);
}

/** A layer as the planner sees it. Buffers are read when a step runs: reserve() may lay them out anew. */
export interface PlannedLayer {
  readonly inputs: number;
  readonly units: number;
  readonly activation: LayerActivation;
  readonly slots: {
    readonly kernel: number;
    readonly bias: number;
    readonly kernelGrad: number;
    readonly biasGrad: number;
  };
  /** Pre-activation z, output y and the gradient w.r.t. z, each [rows, units]; z is y when fused or linear. */
  readonly z: number;
  readonly y: number;
  readonly dz: number;
}

/**
 * Where a model keeps the gradient w.r.t. its input [rows, inputs], and the scratch of its packed products
 * (packScratch's sizes; 0 when none packs): B's panels, and one block of A per thread after the first.
 */
export interface ModelBuffers {
  readonly inputGrad: number;
  readonly panels: number;
  readonly ablocks: number;
}

// Packed products (assembly/products.ts) copy B into panels of 8 columns and A into blocks of 4 rows before
// the tiles run: same sums, term by term, read from contiguous memory. The copy pays on wide layers with a
// long inner dimension (measured by `npm run bench -- --only gemm`); below, the plain products win.
// The input gradient packs Wᵀ and runs the forward's tiles, whose sums are in order over the units where
// gemm_nt's are split across lanes: it beats gemm_nt from 4 units and 8 inputs up, most where gemm_nt's
// dot products are short (about 2x at 16 units), while below 4 units gemm_nt's short path is as fast. It
// starts at 32 inputs, so that the reference workload (layers of 1 and 16 inputs) keeps gemm_nt and its bits.
const PACK_UNITS = 64,
  PACK_INPUTS_FORWARD = 256,
  PACK_INPUTS_GRAD = 16,
  PACK_UNITS_DX = 4,
  PACK_INPUTS_DX = 32;

export function packsForward(layer: { inputs: number; units: number }): boolean {
  return layer.units >= PACK_UNITS && layer.inputs >= PACK_INPUTS_FORWARD;
}

export function packsWeightGrad(layer: { inputs: number; units: number }): boolean {
  return layer.units >= PACK_UNITS && layer.inputs >= PACK_INPUTS_GRAD;
}

export function packsInputGrad(layer: { inputs: number; units: number }): boolean {
  return layer.units >= PACK_UNITS_DX && layer.inputs >= PACK_INPUTS_DX;
}

/** Rows of B a packed slice holds at most (products.ts' packedSlice). */
export const PACK_SLICE = 256;

/**
 * Floats of scratch a model's packed products need: `panels`, the panels for the widest output of a
 * product that packs (a layer's units, or its inputs for dx = dz·Wᵀ), and `ablocks`, a block of A
 * (4 x PACK_SLICE) per thread. Zero when no layer packs.
 */
export function packScratch(
  layers: readonly { inputs: number; units: number }[],
  threads: number,
): { panels: number; ablocks: number } {
  let widest = 0;
  for (const l of layers) {
    if (packsForward(l) || packsWeightGrad(l)) widest = Math.max(widest, l.units);
    if (packsInputGrad(l)) widest = Math.max(widest, l.inputs);
  }
  if (widest === 0) return { panels: 0, ablocks: 0 };
  return { panels: PACK_SLICE * Math.ceil(widest / 8) * 8, ablocks: 4 * PACK_SLICE * threads };
}

/** A model's passes, each a list of steps; `kernels` names what each runs, in order, for readers and tests. */
export interface ModelPlan {
  /** x [rows, inputs] -> the byte offset of the output [rows, outputs]. */
  forward(x: number, rows: number): number;
  /**
   * dOut [rows, outputs], the gradient w.r.t. the output (consumed) -> the parameter gradients and/or the
   * input gradient. Needs the activations of the forward pass on the same x.
   */
  backward(x: number, rows: number, dOut: number, paramGrads: boolean, inputGrad: boolean): void;
  readonly kernels: { forward: string[]; params: string[]; input: string[]; both: string[] };
}

// A step reads buffers from its layers but floats (alpha) only from what it closed over: one step serves
// every GAN's wasm instance, so an engine may call the kernel without inlining it, and a float loaded from
// an object field would then be boxed afresh on each call.
type Step = (x: number, rows: number, dOut: number) => void;

interface Pass {
  steps: Step[];
  kernels: string[];
}

function pass(): Pass {
  return { steps: [], kernels: [] };
}

function run(p: Pass, x: number, rows: number, dOut: number): void {
  for (const step of p.steps) step(x, rows, dOut);
}

/** Plans every pass of a stack of layers (bottom first) once. */
export function planModel(k: Kernels, layers: readonly PlannedLayer[], model: ModelBuffers): ModelPlan {
  const codes = activationCodes(k);
  const top = layers[layers.length - 1]!;
  const critic = isCritic(layers);
  const forward = critic ? criticForward(k, layers) : layerForward(k, codes, layers, model);
  const both = layerBackward(k, codes, layers, model, true, true);
  const params = critic ? criticParams(k, layers) : layerBackward(k, codes, layers, model, true, false);
  const input = critic ? criticInput(k, codes, layers, model) : layerBackward(k, codes, layers, model, false, true);
  return {
    forward(x, rows) {
      run(forward, x, rows, 0);
      return top.y;
    },
    backward(x, rows, dOut, paramGrads, inputGrad) {
      const p = paramGrads ? (inputGrad ? both : params) : inputGrad ? input : null;
      if (p) run(p, x, rows, dOut);
    },
    kernels: { forward: forward.kernels, params: params.kernels, input: input.kernels, both: both.kernels },
  };
}

// One input, one relu hidden layer, one linear output: the reference workload's discriminator.
function isCritic(layers: readonly PlannedLayer[]): boolean {
  const [bottom, top] = layers;
  return (
    layers.length === 2 &&
    bottom!.inputs === 1 &&
    bottom!.activation.name === "relu" &&
    top!.units === 1 &&
    top!.activation.name === "linear"
  );
}

function fusedAct(codes: ActivationCodes, act: LayerActivation): ActCode {
  if (!fusesIntoProducts(act)) return codes.none;
  return act.name === "relu" ? codes.relu : codes.leaky;
}

function layerForward(k: Kernels, codes: ActivationCodes, layers: readonly PlannedLayer[], model: ModelBuffers): Pass {
  const p = pass();
  layers.forEach((layer, i) => {
    const below = i > 0 ? layers[i - 1]! : null;
    const { inputs, units, slots, activation } = layer;
    const act = fusedAct(codes, activation),
      alpha = activation.alpha;
    const separate = act === codes.none ? ELEMENTWISE[activation.name] : null;
    const packed = packsForward(layer),
      name = packed ? "gemm_nn_packed" : "gemm_nn";
    p.kernels.push(act === codes.none ? name : `${name}+${activation.name}`);
    if (separate) p.kernels.push(`${activation.name}_forward`);
    p.steps.push((x, rows) => {
      const xin = below ? below.y : x;
      if (packed) {
        const { panels, ablocks } = model;
        k.gemm_nn_packed(
          layer.z,
          xin,
          slots.kernel,
          slots.bias,
          rows,
          inputs,
          units,
          0,
          act,
          alpha,
          panels,
          ablocks,
          0,
          units,
        );
      } else k.gemm_nn(layer.z, xin, slots.kernel, slots.bias, rows, inputs, units, 0, act, alpha);
      if (separate) separate.forward(k, layer.y, layer.z, rows * units, alpha);
    });
  });
  return p;
}

function layerBackward(
  k: Kernels,
  codes: ActivationCodes,
  layers: readonly PlannedLayer[],
  model: ModelBuffers,
  paramGrads: boolean,
  inputGrad: boolean,
): Pass {
  const p = pass();
  const top = layers[layers.length - 1]!,
    topKernels = ELEMENTWISE[top.activation.name],
    topAlpha = top.activation.alpha;
  if (topKernels) {
    // The gradient arrives w.r.t. the output; the top layer's activation turns it into dz in place.
    p.kernels.push(`${top.activation.name}_backward`);
    p.steps.push((_x, rows, dOut) => topKernels.backward(k, dOut, top.z, top.y, rows * top.units, topAlpha));
  }
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!,
      below = i > 0 ? layers[i - 1]! : null,
      isTop = i === layers.length - 1;
    const { inputs, units, slots } = layer;
    const wantDx = below !== null || inputGrad;
    if (!paramGrads && !wantDx) continue;
    // x is below's output: a relu / leaky relu fused below is undone in the dx product, gated on x.
    const act = below ? fusedAct(codes, below.activation) : codes.none,
      alpha = below ? below.activation.alpha : 0;
    const separate = below && act === codes.none ? ELEMENTWISE[below.activation.name] : null;
    const gate = act === codes.none ? "" : `+${below!.activation.name}`;
    const dxOf = () => (below ? below.dz : model.inputGrad);
    if (units === 1) {
      // One unit: dW and dx share one sweep over x.
      p.kernels.push(`unit_backward${wantDx ? gate : ""}`);
      if (paramGrads) p.kernels.push("sum_rows");
      p.steps.push((x, rows, dOut) => {
        const dz = isTop ? dOut : layer.dz,
          xin = below ? below.y : x;
        k.unit_backward(
          paramGrads ? slots.kernelGrad : 0,
          wantDx ? dxOf() : 0,
          xin,
          dz,
          slots.kernel,
          rows,
          inputs,
          0,
          act,
          alpha,
        );
        if (paramGrads) k.sum_rows(slots.biasGrad, dz, rows, 1, 0);
      });
    } else {
      const packed = packsWeightGrad(layer),
        packedDx = packsInputGrad(layer);
      if (paramGrads) p.kernels.push(packed ? "gemm_tn_packed" : "gemm_tn", "sum_rows");
      if (wantDx) p.kernels.push(`${packedDx ? "gemm_nt_packed" : "gemm_nt"}${gate}`);
      p.steps.push((x, rows, dOut) => {
        const dz = isTop ? dOut : layer.dz,
          xin = below ? below.y : x;
        if (paramGrads) {
          if (packed)
            k.gemm_tn_packed(slots.kernelGrad, xin, dz, rows, inputs, units, 0, model.panels, model.ablocks, 0, units);
          else k.gemm_tn(slots.kernelGrad, xin, dz, rows, inputs, units, 0);
          k.sum_rows(slots.biasGrad, dz, rows, units, 0);
        }
        if (wantDx) {
          const mask = act === codes.none ? 0 : xin;
          if (packedDx) {
            const { panels, ablocks } = model;
            k.gemm_nt_packed(
              dxOf(),
              dz,
              slots.kernel,
              rows,
              inputs,
              units,
              0,
              mask,
              act,
              alpha,
              panels,
              ablocks,
              0,
              inputs,
            );
          } else k.gemm_nt(dxOf(), dz, slots.kernel, rows, inputs, units, 0, mask, act, alpha);
        }
      });
    }
    if (separate && below) {
      p.kernels.push(`${below.activation.name}_backward`);
      p.steps.push((_x, rows) => separate.backward(k, below.dz, below.z, below.y, rows * inputs, alpha));
    }
  }
  return p;
}

function criticForward(k: Kernels, [bottom, top]: readonly PlannedLayer[]): Pass {
  const b = bottom!,
    t = top!;
  return {
    kernels: ["critic1d_forward"],
    steps: [
      (x, rows) =>
        k.critic1d_forward(t.y, b.y, x, b.slots.kernel, b.slots.bias, t.slots.kernel, t.slots.bias, rows, b.units),
    ],
  };
}

// Its own step: every parameter gradient in one sweep.
function criticParams(k: Kernels, [bottom, top]: readonly PlannedLayer[]): Pass {
  const b = bottom!,
    t = top!;
  return {
    kernels: ["critic1d_backward", "sum_rows"],
    steps: [
      (x, rows, dOut) => {
        k.critic1d_backward(
          b.slots.kernelGrad,
          b.slots.biasGrad,
          t.slots.kernelGrad,
          x,
          b.y,
          dOut,
          t.slots.kernel,
          rows,
          b.units,
        );
        k.sum_rows(t.slots.biasGrad, dOut, rows, 1, 0);
      },
    ],
  };
}

// Frozen, for the generator's step: the input gradient in one pass.
function criticInput(
  k: Kernels,
  codes: ActivationCodes,
  [bottom, top]: readonly PlannedLayer[],
  model: ModelBuffers,
): Pass {
  const b = bottom!,
    t = top!,
    alpha = b.activation.alpha;
  return {
    kernels: ["unit_input_grad"],
    steps: [
      (_x, rows, dOut) =>
        k.unit_input_grad(model.inputGrad, b.y, dOut, b.slots.kernel, t.slots.kernel, rows, b.units, codes.relu, alpha),
    ],
  };
}
