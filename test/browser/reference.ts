// What Node computes for a run: the report lines and the exact final weights, to hold the browser's runs
// against; and the page's live readouts, which come from a second GAN looking at the trainer's weights.
import { createHash } from "node:crypto";
import { createGAN, reportLine, type GAN, type GANOptions, type Report } from "../../src/index.js";
import { fingerprint } from "../../web/fingerprint.js";

/** Each weight array (generator then discriminator) as the hex of its float32 bytes. */
export function hexWeights(weights: readonly Float32Array[]): string[] {
  return weights.map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString("hex"));
}

export interface NodeRun {
  gan: GAN;
  lines: string[];
  reports: Report[];
  weights: string[];
  sha256: string;
}

export async function nodeRun(options: GANOptions, epochs: number): Promise<NodeRun> {
  const gan = await createGAN(options);
  const { reports } = gan.train({ epochs });
  const weights = [...gan.generator.getWeights(), ...gan.discriminator.getWeights()];
  const hash = createHash("sha256");
  for (const w of weights) hash.update(new Uint8Array(w.buffer, w.byteOffset, w.byteLength));
  return { gan, lines: reports.map(reportLine), reports, weights: hexWeights(weights), sha256: hash.digest("hex") };
}

/** The page's readouts for a trained GAN: a fresh GAN of the same options, with its weights, reports. */
export async function liveReport(options: GANOptions, gan: GAN): Promise<Report> {
  const viewer = await createGAN(options);
  viewer.generator.setWeights(gan.generator.getWeights());
  viewer.discriminator.setWeights(gan.discriminator.getWeights());
  return viewer.report();
}

/** The page's weight fingerprints of a GAN. */
export function fingerprints(gan: GAN): { g: string; d: string } {
  return { g: fingerprint(gan.generator.getWeights()), d: fingerprint(gan.discriminator.getWeights()) };
}
