/** A bad option: names it, the value given, and what is allowed. Every layer throws it, so it sits below all. */
export class OptionError extends RangeError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`invalid ${option}: ${showValue(value)} (${allowed})`);
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

/**
 * A value as an error message shows it: JSON where JSON can say it, but NaN, Infinity, BigInt (`5n`) and
 * undefined as themselves (JSON.stringify would print null or throw), and long lists cut short.
 */
export function showValue(value: unknown, depth = 0): string {
  switch (typeof value) {
    case "number":
      return Object.is(value, -0) ? "0" : String(value);
    case "bigint":
      return `${value}n`;
    case "string":
      return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}...` : value);
    case "boolean":
    case "undefined":
      return String(value);
    case "symbol":
    case "function":
      return typeof value;
  }
  if (value === null) return "null";
  if (depth > 3) return "...";
  const list = Array.isArray(value) || ArrayBuffer.isView(value) ? Array.from(value as ArrayLike<unknown>) : null;
  if (list) {
    const shown = list.slice(0, 10).map((v) => showValue(v, depth + 1));
    return `[${shown.join(",")}${list.length > 10 ? `,... (${list.length} values)` : ""}]`;
  }
  const entries = Object.entries(value as object).slice(0, 20);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${showValue(v, depth + 1)}`).join(",")}}`;
}
