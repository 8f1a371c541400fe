// One trial: a full training run from options, and the record a sweep keeps of it. The record holds only
// what the options determine (no timing), so it is the same bytes in any process, pool or machine.
import { createGAN, type Report } from "../train/gan.js";
import type { GANOptions } from "../train/options.js";
import { canonical, trialId, type Json } from "./canonical.js";

export interface TrialRecord {
  /** Hash of the resolved options (canonical JSON). */
  id: string;
  /** Every option as the trainer resolved it, keys sorted. */
  options: Json;
  /** The report after the last epoch (fresh samples, as `gan.report()`). */
  final: Report;
  /** Every report of the run (every logEvery epochs). */
  reports: Report[];
}

/** The canonical resolved options of a GAN and their id. */
export function identify(resolved: object): { id: string; options: Json } {
  const options = canonical(resolved);
  return { id: trialId(options), options };
}

/** Trains a GAN with these options to the end and returns its record. */
export async function runTrial(options: GANOptions): Promise<TrialRecord> {
  const gan = await createGAN(options);
  const { reports } = gan.train();
  return { ...identify(gan.options), final: gan.report(), reports };
}

/** The record as one line of JSON Lines (without the newline). */
export function recordLine(record: TrialRecord): string {
  return JSON.stringify(record);
}
