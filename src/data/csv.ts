// Real data from CSV text: one numeric column per dimension, one sample per row. Reading the file is
// the caller's job (the CLI's), so this runs in browsers too. Deliberately small: comma separated, no
// quoted commas; a cell may be wrapped in double quotes (as R's write.csv does to header names).
import { parseDecimal } from "./decimal.js";

/** A CSV problem at a 1-based line and column of the text. */
export class CsvError extends RangeError {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`CSV line ${line}, column ${column}: ${problem}`);
    this.name = "CsvError";
  }
}

export interface CsvData {
  /** Row-major [rows, dim]. */
  data: Float32Array;
  rows: number;
  dim: number;
  /** The header's cell names, or null when the first row is data. */
  header: string[] | null;
}

const FLOAT32_MAX = 3.4028234663852886e38;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

function cells(line: string): string[] {
  return line.split(",").map((c) => {
    const t = c.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
  });
}

// A cell that reads as a number, finite or not: such a first row is data, not a header.
function numeric(cell: string): boolean {
  return parseDecimal(cell) !== undefined || NON_FINITE.test(cell);
}

/**
 * Parses CSV text into samples. The first non-blank row is a header when any of its cells is not a
 * number. Blank lines are skipped (as pandas does); CRLF, a trailing newline and a byte-order mark are
 * fine. Throws a CsvError naming the 1-based line and column for: a cell that is not a decimal number,
 * NaN or Infinity (or a value beyond float32's range), a row with the wrong number of columns, and text
 * with no data rows.
 */
export function parseCsv(text: string): CsvData {
  const lines = (text.startsWith("\uFEFF") ? text.slice(1) : text).split("\n");
  let header: string[] | null = null;
  let dim = 0,
    rows = 0,
    lastLine = 0;
  let data = new Float32Array(0);

  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    const lineNo = n + 1;
    lastLine = lineNo;
    const row = cells(line);

    if (dim === 0) {
      dim = row.length;
      // Room for every remaining line as a row; trimmed to the rows found at the end.
      data = new Float32Array((lines.length - n) * dim);
      if (row.some((c) => c !== "" && !numeric(c))) {
        header = row;
        continue;
      }
    }
    if (row.length !== dim) {
      const column = Math.min(row.length, dim) + 1;
      throw new CsvError(
        lineNo,
        column,
        `expected ${dim} column${dim === 1 ? "" : "s"}${header ? " (as the header)" : ""}, found ${row.length}`,
      );
    }
    for (let c = 0; c < dim; c++) {
      const cell = row[c]!;
      const v = parseDecimal(cell);
      if (v === undefined) {
        throw new CsvError(
          lineNo,
          c + 1,
          cell === ""
            ? "empty cell, expected a number"
            : NON_FINITE.test(cell)
              ? `${JSON.stringify(cell)} is not a finite number`
              : `${JSON.stringify(cell)} is not a number`,
        );
      }
      if (!(Math.abs(v) <= FLOAT32_MAX)) throw new CsvError(lineNo, c + 1, `${cell} is beyond the range of a float32`);
      data[rows * dim + c] = v;
    }
    rows++;
  }
  if (rows === 0) {
    throw new CsvError(lastLine + 1, 1, header ? "no data rows after the header" : "no data rows: the text is empty");
  }
  return { data: data.slice(0, rows * dim), rows, dim, header };
}
