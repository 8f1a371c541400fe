import { largestBatch, splitBatches } from "../data/batches.js";
import { batchBounds } from "../data/shuffle.js";
import { OptionError } from "../errors.js";
import { type ActivationSpec, fusedCode, resolveActivation } from "../model/activation.js";
import { MAX_PAGES, PAGE } from "../wasm/arena.js";
import type { ResolvedOptions } from "./options.js";

const F = 4,
  ALIGN = 16, // the arena rounds every buffer up to 16 bytes
  STATIC = 4096; // below the heap: the module's stack-free static area (heap_base is 1024 today)

// Bytes of one model (as MLP and Dense lay it out): parameters and gradients, then per layer its output,
// its gradient and, unless the activation is fused or linear, its pre-activation; and its input's gradient.
function mlpBytes(widths: readonly number[], hidden: ActivationSpec, rows: number): number {
  const apart = resolveActivation(hidden);
  let size = 0,
    bytes = 2 * ALIGN + (rows * widths[0]! * F + ALIGN);
  for (let i = 1; i < widths.length; i++) {
    const buffers = i === widths.length - 1 || fusedCode(apart) ? 2 : 3;
    size += widths[i - 1]! * widths[i]! + widths[i]!;
    bytes += buffers * (rows * widths[i]! * F + ALIGN);
  }
  return bytes + 2 * size * F;
}

/**
 * The most linear memory a GAN of these options lays out: what `new GAN` allocates, bounded from above (the
 * test compares it with the arena). A thread pool's shared memory declares its maximum from it.
 */
export function memoryPlan(o: ResolvedOptions): number {
  const m = largestBatch(o.batchSize ? batchBounds(o.samples, o.batchSize) : splitBatches(o.samples, o.batches));
  const rowsG = Math.max(m, o.evalSamples);
  const dWidths = [o.dim, ...o.dHidden, 1],
    gWidths = [o.noiseDim, ...o.gHidden, o.dim];
  const params = (w: number[]) => w.slice(1).reduce((n, u, i) => n + w[i]! * u + u, 0);
  const slots = (type: string) => (type === "sgd" ? 1 : 2);
  const optimizers =
    slots(o.dOptimizer.type) * (params(dWidths) * F + ALIGN) + slots(o.gOptimizer.type) * (params(gWidths) * F + ALIGN);
  const buffers = [o.samples * o.dim, o.shuffle ? o.samples : 0, 2 * m * o.dim, Math.max(rowsG * o.noiseDim, 2 * m)];
  return (
    STATIC +
    2 * (16 * F + ALIGN) + // two PRNG states
    mlpBytes(dWidths, o.dActivation, 2 * m) +
    mlpBytes(gWidths, o.gActivation, rowsG) +
    optimizers +
    buffers.reduce((n, b) => n + b * F + ALIGN, 0)
  );
}

/** The plan's bytes, or an OptionError naming the limit when the model cannot fit a wasm32 memory. */
export function checkMemoryPlan(o: ResolvedOptions): number {
  const bytes = memoryPlan(o),
    limit = MAX_PAGES * PAGE;
  if (bytes > limit) {
    throw new OptionError(
      "model size",
      `${(bytes / 2 ** 30).toFixed(2)} GiB of parameters, optimizer state and batch buffers`,
      `must fit the ${limit / 2 ** 30} GiB a wasm32 memory holds (${MAX_PAGES} pages of 64 KiB): ` +
        "use narrower or fewer layers, smaller batches or fewer samples",
    );
  }
  return bytes;
}
