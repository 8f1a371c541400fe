// The run as plain-text tables for stdout.
import type { Table } from "./sections.js";

export function textTable(t: Table): string {
  const cells = [t.headers, ...t.rows];
  const width = t.headers.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? "").length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (t.numeric[c] ? cell.padStart(width[c]!) : cell.padEnd(width[c]!)))
      .join("  ")
      .trimEnd();
  return [
    t.title,
    line(t.headers),
    width.map((w) => "-".repeat(w)).join("  "),
    ...t.rows.map(line),
    ...t.notes.map((n) => `  ${n}`),
  ].join("\n");
}

export function textReport(ts: readonly Table[]): string {
  return ts.map(textTable).join("\n\n");
}
