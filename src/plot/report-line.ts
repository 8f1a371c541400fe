// The report line that the CLI prints and the training page logs: the reference workload's
// "epoch = %d, D-Loss = %.3f, G-Loss = %.3f, KL divergence = %.3f" with Python's rounding, then any
// other metric asked for.
import type { Report } from "../train/gan.js";

/**
 * Python's "%.{digits}f". toFixed rounds the exact binary value too, but breaks exact ties upwards where
 * Python rounds them to even (0.0625 -> "0.062"), and spells NaN and infinities differently. An exact tie
 * at `digits` decimals is x = odd / 2^(digits + 1), since 10^digits = 2^digits * 5^digits.
 */
export function pyFixed(x: number, digits = 3): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Object.is(x, -0)) return `-${(0).toFixed(digits)}`; // Python keeps the sign of zero, toFixed drops it
  const halves = Math.abs(x) * 2 ** (digits + 1);
  if (!(Number.isInteger(halves) && halves % 2 === 1 && halves * 5 ** digits < 2 ** 53)) return x.toFixed(digits);
  const below = (halves * 5 ** digits - 1) / 2,
    n = below % 2 === 0 ? below : below + 1;
  const text = String(n).padStart(digits + 1, "0"),
    point = text.length - digits;
  return `${x < 0 ? "-" : ""}${text.slice(0, point)}${digits ? "." : ""}${text.slice(point)}`;
}

/** The reference workload's line, exactly, plus any extra metrics the report carries. */
export function reportLine(r: Report): string {
  let line = `epoch = ${r.epoch}, D-Loss = ${pyFixed(r.dLoss)}, G-Loss = ${pyFixed(r.gLoss)}`;
  if (r.kl !== undefined) line += `, KL divergence = ${pyFixed(r.kl)}`;
  const extra: [string, number | undefined][] = [
    ["JS", r.js],
    ["W1", r.w1],
    ["KS", r.ks],
    ["mean", r.mean],
    ["std", r.std],
    ["skew", r.skewness],
    ["kurtosis", r.kurtosis],
    ["modes", r.modesCaptured],
    ["high quality", r.highQualityShare],
    ["score", r.classifierScore],
    ["FD", r.frechet],
    ["classes", r.classesCovered],
    ["as asked", r.labelAccuracy],
  ];
  for (const [name, v] of extra) if (v !== undefined) line += `, ${name} = ${Number.isInteger(v) ? v : pyFixed(v)}`;
  return line;
}
