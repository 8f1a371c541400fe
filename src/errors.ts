/** A bad option: names it, the value given, and what is allowed. Every layer throws it, so it sits below all. */
export class OptionError extends RangeError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`invalid ${option}: ${show(value)} (${allowed})`);
    this.name = "OptionError";
  }
}

/** Training produced a non-finite number: says in which epoch and what (a loss, a model's weights or gradient). */
export class DivergenceError extends Error {
  constructor(
    readonly epoch: number,
    readonly what: string,
  ) {
    super(`training diverged in epoch ${epoch}: ${what} became non-finite`);
    this.name = "DivergenceError";
  }
}

/** A value as messages show it: JSON, but NaN, infinities and BigInts as JavaScript spells them. */
export function show(value: unknown): string {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (typeof value === "bigint") return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
