// What a configuration will lay out in linear memory, before any of it is allocated: refusing a run that
// cannot fit up front names the option that asks for too much, where a failed allocation half-way through
// model construction could only say "out of memory". test/hardening.test.ts holds the plan to the arena's count.
import { OptionError } from "../errors.js";
import { MEMORY_LIMIT } from "../wasm/arena.js";
import { resolveActivation, type ActivationSpec } from "../model/activation.js";
import { fusesIntoProducts, packScratch } from "../kernels/planner.js";
import { resolveThreads } from "../wasm/load.js";
import { largestBatch, splitBatches } from "../data/batches.js";
import { batchBounds } from "../data/shuffle.js";
import type { ResolvedOptions } from "../options/resolve.js";

/** Bytes of linear memory a GAN of these options lays out, attributed to the options that size them. */
export interface MemoryPlan {
  bytes: number;
  byOption: Map<string, number>;
}

const RNG_WORDS = 16;
const SLOTS = { adam: 2, rmsprop: 2, sgd: 1 } as const;
const SCRATCH = 6; // the two losses (f64), after 8 bytes; then the divergence check's flag, a float per thread
const POWERS = 2; // Adam's beta powers, advanced by its kernel

// The arena's rounding: every buffer starts on 16 bytes.
const aligned = (count: number) => Math.ceil((count * 4) / 16) * 16;

/** Rows of the training batches: what the models' buffers hold besides evalSamples for reports. */
export function batchRows(o: ResolvedOptions): number {
  return largestBatch(o.batchSize ? batchBounds(o.samples, o.batchSize) : splitBatches(o.samples, o.batches));
}

/**
 * An upper bound on the multiply-adds of one kernel call of training: the most rows a model runs at once times
 * its widest layer's inputs x units (label columns included), or every parameter (the optimizer's loop).
 * Below the pool's split size no call would be split, so "auto" runs such a model without a pool at all.
 */
export function largestCall(o: ResolvedOptions): number {
  const classes = o.labels ? new Set(o.labels).size : 0,
    rows = Math.max(2 * batchRows(o), o.evalSamples);
  const layers = (widths: number[]) => widths.slice(1).map((units, i) => widths[i]! * units);
  const products = [
    ...layers([o.noiseDim + classes, ...o.gHidden, o.dim]),
    ...layers([o.dim + classes, ...o.dHidden, 1]),
  ];
  return Math.max(
    rows * Math.max(...products),
    products.reduce((a, b) => a + b, 0),
  );
}

export function memoryPlan(o: ResolvedOptions): MemoryPlan {
  const byOption = new Map<string, number>();
  const add = (option: string, count: number) => {
    const bytes = aligned(count);
    byOption.set(option, (byOption.get(option) ?? 0) + bytes);
    return bytes;
  };
  const m = batchRows(o),
    rowsG = Math.max(m, o.evalSamples),
    rowsD = 2 * m;
  const sampleOption = o.data ? "data" : "samples",
    batchOption = o.batchSize ? "batchSize" : sampleOption,
    rowsGOption = o.evalSamples > m ? "evalSamples" : batchOption;
  // A buffer of [a, b] values is charged to whichever side is larger.
  const pick = (a: [string, number], b: [string, number]) => (a[1] >= b[1] ? a[0] : b[0]);

  const model = (
    widths: [string, number][],
    activation: ActivationSpec,
    rows: [string, number],
    optimizer: keyof typeof SLOTS,
  ) => {
    const act = resolveActivation(activation);
    for (let i = 1; i < widths.length; i++) {
      const [, inputs] = widths[i - 1]!,
        [, units] = widths[i]!,
        owner = pick(widths[i - 1]!, widths[i]!);
      const params = inputs * units + units;
      // Parameters, gradients and the optimizer's slots, one buffer each of the whole model; charged per layer.
      byOption.set(owner, (byOption.get(owner) ?? 0) + params * 4 * (2 + SLOTS[optimizer]));
      const separate = i < widths.length - 1 ? !fusesIntoProducts(act) && act.name !== "linear" : false;
      const perLayer = separate ? 3 : 2; // y and dz, and z when the activation runs on its own
      for (let k = 0; k < perLayer; k++) add(pick(rows, widths[i]!), rows[1] * units);
    }
    add(pick(rows, widths[0]!), rows[1] * widths[0]![1]); // the input gradient
    if (optimizer === "adam") add(widths[0]![0], POWERS);
    // The packed products' scratch, sized by the widest layer (charged to its option) and the threads.
    const layers = widths.slice(1).map(([, units], i) => ({ inputs: widths[i]![1], units }));
    const scratch = packScratch(layers, resolveThreads(o.threads));
    if (scratch.panels) {
      const widest = widths.slice(1).reduce((a, b) => (b[1] > a[1] ? b : a));
      add(widest[0], scratch.panels);
      add(widest[0], scratch.ablocks);
    }
  };
  const gWidths: [string, number][] = [
    ["noiseDim", o.noiseDim],
    ...o.gHidden.map((w): [string, number] => ["gHidden", w]),
    ["dim", o.dim],
  ];
  const dWidths: [string, number][] = [
    ["dim", o.dim],
    ...o.dHidden.map((w): [string, number] => ["dHidden", w]),
    ["dHidden", 1],
  ];
  model(dWidths, o.dActivation, [batchOption, rowsD], o.dOptimizer.type);
  model(gWidths, o.gActivation, [rowsGOption, rowsG], o.gOptimizer.type);
  add("seed", 2 * RNG_WORDS + SCRATCH + resolveThreads(o.threads));
  add(sampleOption, o.samples * o.dim);
  if (o.shuffle) add("shuffle", o.samples);
  add(batchOption, rowsD * o.dim);
  add(pick([rowsGOption, rowsG], ["noiseDim", o.noiseDim]), Math.max(rowsG * o.noiseDim, rowsD));
  add(pick([batchOption, m], ["noiseDim", o.noiseDim]), m * o.noiseDim); // the noise of stepD, for stepG
  // Whole-model buffers were charged unrounded: add each one's rounding once, as the arena does.
  let bytes = 0;
  for (const b of byOption.values()) bytes += b;
  return { bytes: bytes + 16 * 2 * (2 + SLOTS.adam), byOption };
}

const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;

/** Throws an OptionError naming the option that asks for most of a plan beyond `limit` bytes. */
export function checkMemory(o: ResolvedOptions, heapBase = 0, limit = MEMORY_LIMIT): MemoryPlan {
  const plan = memoryPlan(o);
  if (heapBase + plan.bytes > limit) throw memoryError(o, plan, `at most ${gib(limit)} fit`);
  return plan;
}

/** The OptionError for a plan that does not fit: names its largest consumer and that option's value. */
export function memoryError(o: ResolvedOptions, plan: MemoryPlan, why: string): OptionError {
  let option = "samples",
    most = -1;
  for (const [name, b] of plan.byOption) if (b > most) [option, most] = [name, b];
  const value = option === "data" ? `${o.samples} rows` : (o as unknown as Record<string, unknown>)[option];
  return new OptionError(option, value, `the model's buffers would need ${gib(plan.bytes)} of wasm memory; ${why}`);
}

/**
 * A failure to allocate while a GAN is built (the engine refusing to grow its memory, or a typed array
 * too large for the host) as the OptionError of the option that asks for most; other errors pass.
 */
export function asMemoryError(e: unknown, o: ResolvedOptions): unknown {
  const refused =
    (e instanceof OptionError && e.option === "memory") ||
    (e instanceof RangeError && !(e instanceof OptionError) && /alloc|length|memory/i.test(e.message));
  return refused ? memoryError(o, memoryPlan(o), "the engine refused to grow its memory that far") : e;
}
