// Strict decimal literals for data files and CLI strings. Number() alone would also accept "", " ",
// "0x1f", "0b1" and "Infinity", none of which should pass silently as data.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The value of a decimal literal such as `-2`, `.5` or `1e-3`; undefined for anything else. */
export function parseDecimal(text: string): number | undefined {
  return DECIMAL.test(text) ? Number(text) : undefined;
}
