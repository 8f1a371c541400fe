// What Node computes for a run: the seed's report lines and the exact final weights, to hold the
// browser's runs against.
import { createHash } from "node:crypto";
import { createGAN, type GANOptions, type Report } from "../../src/index.js";

/** The seed's report line: "epoch = %d, D-Loss = %.3f, G-Loss = %.3f, KL divergence = %.3f". */
export function seedLine(r: Report): string {
  return `epoch = ${r.epoch}, D-Loss = ${r.dLoss.toFixed(3)}, G-Loss = ${r.gLoss.toFixed(3)}, KL divergence = ${r.kl!.toFixed(3)}`;
}

/** Each weight array (generator then discriminator) as the hex of its float32 bytes. */
export function hexWeights(weights: readonly Float32Array[]): string[] {
  return weights.map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString("hex"));
}

export interface NodeRun {
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
  return { lines: reports.map(seedLine), reports, weights: hexWeights(weights), sha256: hash.digest("hex") };
}

/** The training page's report line for a ring or grid of `modes` modes: the seed's, then the mode coverage. */
export function modesLine(r: Report, modes: number): string {
  return `${seedLine(r)}, modes captured = ${r.modesCaptured}/${modes}, high quality = ${(100 * r.highQualityShare!).toFixed(1)}%`;
}
