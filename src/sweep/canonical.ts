// One spelling for a set of options: keys sorted, typed arrays as plain lists, unset (null) members left
// out. Two runs with the same options give the same text, so its hash names a trial wherever it runs.
import { createHash } from "node:crypto";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON value with every object's keys sorted and null members dropped (null = not set). */
export function canonical(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const v = canonical((value as Record<string, unknown>)[key]);
      if (v !== null) out[key] = v;
    }
    return out;
  }
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  throw new TypeError(`cannot spell ${typeof value} as JSON`);
}

/** A trial's id: the first 16 hex digits of the SHA-256 of its canonical options. */
export function trialId(options: Json): string {
  return createHash("sha256").update(JSON.stringify(options)).digest("hex").slice(0, 16);
}
