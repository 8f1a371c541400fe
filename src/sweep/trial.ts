// One trial: a full training run from options, and the record a sweep keeps of it. The record holds only
// what the options determine (no timing), so it is the same bytes in any process, pool or machine.
import { DivergenceError } from "../errors.js";
import { createGAN, type Report } from "../train/gan.js";
import type { GANOptions } from "../options/resolve.js";
import { canonical, trialId, type Json } from "./canonical.js";

export interface TrialRecord {
  /** Hash of the resolved options (canonical JSON). */
  id: string;
  /** Every option as the trainer resolved it, keys sorted. */
  options: Json;
  /** The report after the last epoch (fresh samples, as `gan.report()`); null when training diverged. */
  final: Report | null;
  /** Every report of the run (every logEvery epochs), up to the divergence if there was one. */
  reports: Report[];
  /** Where training produced a non-finite number: a result of these options like any other. */
  diverged?: { epoch: number; what: string };
}

/** The canonical resolved options of a GAN and their id. */
export function identify(resolved: object): { id: string; options: Json } {
  const options = canonical(resolved);
  return { id: trialId(options), options };
}

/** Trains a GAN with these options to the end (or until it diverges) and returns its record. */
export async function runTrial(options: GANOptions): Promise<TrialRecord> {
  const gan = await createGAN(options);
  const reports: Report[] = [];
  try {
    gan.train({ onReport: (r) => reports.push(r) });
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
    return { ...identify(gan.options), final: null, reports, diverged: { epoch: e.epoch, what: e.what } };
  }
  return { ...identify(gan.options), final: gan.report(), reports };
}

/** The record as one line of JSON Lines (without the newline). */
export function recordLine(record: TrialRecord): string {
  return JSON.stringify(record);
}
