// Floating-point work of the products in an MLP GAN, counting a multiply-add as 2 FLOPs. Only the
// products a training step cannot avoid are counted (no gradient for the data's own input, no second
// forward of G), so the figure is the same whichever framework runs the step and GFLOP/s compare fairly.
// Elementwise work (activations, loss, optimizer) is left out: it is O(parameters + rows), not O(rows x
// parameters).

/** C[M,N] = A[M,K] · B[K,N]. */
export function gemmFlops(M: number, K: number, N: number): number {
  return 2 * M * K * N;
}

export interface GanShape {
  noiseDim: number;
  gHidden: readonly number[];
  dim: number;
  dHidden: readonly number[];
  /** A conditional GAN's classes: a one-hot label joined to G's noise and to D's input (0 or absent: none). */
  classes?: number;
}

// Multiply-adds per row of a stack of dense layers with these widths (inputs first): all layers, or all
// but the first (the input gradient of the first layer is only needed when something sits below it).
function macsPerRow(widths: readonly number[], skipFirst = false): number {
  let macs = 0;
  for (let i = skipFirst ? 2 : 1; i < widths.length; i++) macs += widths[i - 1]! * widths[i]!;
  return macs;
}

/** Layer widths of G and D, inputs first (the one-hot label columns included). */
export function widths(s: GanShape): { g: number[]; d: number[] } {
  const c = s.classes ?? 0;
  return { g: [s.noiseDim + c, ...s.gHidden, s.dim], d: [s.dim + c, ...s.dHidden, 1] };
}

/** Parameters of G plus D (kernels and biases). */
export function parameterCount(s: GanShape): number {
  const count = (w: number[]) => w.slice(1).reduce((n, out, i) => n + w[i]! * out + out, 0);
  const { g, d } = widths(s);
  return count(g) + count(d);
}

/**
 * FLOPs of the products in one reference step on m real rows: G forward on m rows; the D step on 2m rows
 * (forward, weight gradients, input gradients of the hidden layers); the G step on m rows (D forward,
 * D's input gradients down to its input, G's weight gradients and hidden input gradients). A conditional
 * GAN's label columns widen G's and D's first layers; D's input gradient is needed only for the image's
 * columns, not the label's.
 */
export function stepFlops(s: GanShape, m: number): number {
  const { g, d } = widths(s);
  const gAll = macsPerRow(g),
    gHidden = macsPerRow(g, true),
    dAll = macsPerRow(d),
    dHidden = macsPerRow(d, true);
  const dToImage = dAll - (s.classes ?? 0) * d[1]!;
  const dStep = 2 * m * (dAll + dAll + dHidden);
  const gStep = m * (gAll + dAll + dToImage + gAll + gHidden);
  return 2 * (dStep + gStep);
}

/** FLOPs of one epoch: a step per mini-batch, batch sizes as the reference workload splits the rows. */
export function epochFlops(s: GanShape, batchSizes: readonly number[]): number {
  return batchSizes.reduce((sum, m) => sum + stepFlops(s, m), 0);
}

/** The reference workload's batch sizes: `batches` slices of floor(rows / batches), the last taking the remainder. */
export function referenceBatchSizes(rows: number, batches: number): number[] {
  const size = Math.floor(rows / batches);
  return Array.from({ length: batches }, (_, i) => (i === batches - 1 ? rows - size * (batches - 1) : size));
}
