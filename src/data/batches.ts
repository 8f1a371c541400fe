/**
 * The reference workload's mini-batches: `batches` consecutive slices of the rows in order, each floor(rows / batches)
 * long, the last one taking the remainder. Returned as [from0, to0, from1, to1, ...] row indices.
 */
export function splitBatches(rows: number, batches: number): Int32Array {
  const size = Math.floor(rows / batches);
  const bounds = new Int32Array(2 * batches);
  for (let n = 0; n < batches; n++) {
    bounds[2 * n] = n * size;
    bounds[2 * n + 1] = n === batches - 1 ? rows : n * size + size;
  }
  return bounds;
}

/** Rows in the largest batch: what the models' buffers must hold. */
export function largestBatch(bounds: Int32Array): number {
  let most = 0;
  for (let i = 0; i < bounds.length; i += 2) most = Math.max(most, bounds[i + 1]! - bounds[i]!);
  return most;
}
