import { describe, expect, it } from "vitest";
import { CsvError, parseCsv } from "../src/data/csv.js";

function csvError(text: string): CsvError {
  try {
    parseCsv(text);
  } catch (err) {
    expect(err).toBeInstanceOf(CsvError);
    return err as CsvError;
  }
  throw new Error(`parsed without error: ${JSON.stringify(text)}`);
}

describe("parseCsv", () => {
  it("reads one column per dimension, row-major", () => {
    const { data, rows, dim, header } = parseCsv("1,2\n3.5,-4\n1e-3,.25\n");
    expect({ rows, dim, header }).toEqual({ rows: 3, dim: 2, header: null });
    expect(Array.from(data)).toEqual([1, 2, 3.5, -4, Math.fround(1e-3), 0.25]);
  });

  it("reads a single column without a trailing newline", () => {
    const { data, rows, dim } = parseCsv("0.5\n-1\n2");
    expect({ rows, dim }).toEqual({ rows: 3, dim: 1 });
    expect(Array.from(data)).toEqual([0.5, -1, 2]);
  });

  it("detects a header: a first row with any non-numeric cell", () => {
    expect(parseCsv("x,y\n1,2\n").header).toEqual(["x", "y"]);
    expect(parseCsv('"x", "y"\n1,2\n')).toMatchObject({ header: ["x", "y"], rows: 1, dim: 2 });
    expect(parseCsv("value\n7\n")).toMatchObject({ header: ["value"], rows: 1, dim: 1 });
    // One non-numeric cell is enough; an all-numeric first row is data.
    expect(parseCsv("1,b\n1,2\n").header).toEqual(["1", "b"]);
    expect(parseCsv("1,2\n3,4\n")).toMatchObject({ header: null, rows: 2 });
  });

  it("tolerates CRLF, whitespace, blank lines, a trailing newline and a byte-order mark", () => {
    const { data, rows, dim, header } = parseCsv("\uFEFFa,b\r\n 1 , 2 \r\n\r\n3,\t4\r\n\r\n");
    expect({ rows, dim, header }).toEqual({ rows: 2, dim: 2, header: ["a", "b"] });
    expect(Array.from(data)).toEqual([1, 2, 3, 4]);
  });

  it.each([
    // [text, line, column, message]
    ["1,2\n3,abc\n", 2, 2, /CSV line 2, column 2: "abc" is not a number/],
    ["x\n1\n0x10\n", 3, 1, /"0x10" is not a number/],
    ["x,y\n1,2\n3,4,5\n", 3, 3, /expected 2 columns \(as the header\), found 3/],
    ["1,2,3\n4,5\n", 2, 3, /expected 3 columns, found 2/],
    ["1,2\r\n3\r\n", 2, 2, /expected 2 columns, found 1/],
    ["1,2\n3,\n", 2, 2, /empty cell, expected a number/],
    ["1,,2\n", 1, 2, /empty cell/],
    ["a\n1\nNaN\n", 3, 1, /"NaN" is not a finite number/],
    ["1,Infinity\n", 1, 2, /"Infinity" is not a finite number/],
    ["1\n\n-inf\n", 3, 1, /"-inf" is not a finite number/],
    ["1\n1e999\n", 2, 1, /1e999 is beyond the range of a float32/],
    ["1\n4e38\n", 2, 1, /4e38 is beyond the range of a float32/],
    ["", 1, 1, /no data rows: the text is empty/],
    ["\n \r\n", 1, 1, /no data rows/],
    ["x,y\n", 2, 1, /no data rows after the header/],
    ["x,y\r\n\r\n", 2, 1, /no data rows after the header/],
  ] as const)("%j fails at line %i, column %i", (text, line, column, message) => {
    const err = csvError(text);
    expect({ line: err.line, column: err.column }).toEqual({ line, column });
    expect(err.message).toMatch(message);
    expect(err.message).toContain(`line ${line}, column ${column}`);
  });
});
