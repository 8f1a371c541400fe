// A small text histogram of real vs generated for the end of a TTY run. Each bin is a pair of columns,
// real on the left in solid blocks and generated on the right in shaded ones, so the two read apart
// without colour; colour, when asked for, only adds to that.
import { finiteCount, histogramCounts, linspaceEdges, viewRange } from "../metrics/histogram.js";

export interface TerminalHistogramOptions {
  /** Widest a line may be, in terminal cells. */
  width?: number;
  /** Rows of bars. */
  height?: number;
  /** Bins (default: a third of width, so pairs stand apart); fewer when two columns each would not fit. */
  bins?: number;
  /** Wrap the bars in ANSI colours (blue real, yellow generated). */
  color?: boolean;
  /** Plain ASCII characters for terminals without block glyphs. */
  ascii?: boolean;
}

const ANSI = { real: "\x1b[34m", fake: "\x1b[33m", dim: "\x1b[2m", reset: "\x1b[0m" };

/** Rows of bars, an axis, the range's labels and a legend: height + 3 lines, none wider than width. */
export function terminalHistogram(
  real: ArrayLike<number>,
  fake: ArrayLike<number>,
  options: TerminalHistogramOptions = {},
): string {
  const width = options.width ?? 64,
    height = options.height ?? 10;
  for (const [name, v] of [
    ["width", width],
    ["height", height],
    ["bins", options.bins ?? 2],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`terminal histogram ${name} must be a whole number >= 1, got ${v}`);
  }
  if (width < 24)
    throw new RangeError(`terminal histogram width must be at least 24 cells for its labels, got ${width}`);
  const bins = Math.max(1, Math.min(options.bins ?? Math.floor(width / 3), Math.floor(width / 2)));
  const cell = Math.floor(width / bins),
    gap = cell >= 3 ? 1 : 0,
    bar = Math.floor((cell - gap) / 2);
  const glyph = options.ascii ? { real: "#", fake: ":", axis: "-" } : { real: "█", fake: "▒", axis: "─" };
  const paint = (s: string, code: string) => (options.color && s.trim() ? code + s + ANSI.reset : s);

  const range = viewRange(real, fake),
    edges = linspaceEdges(range.lo, range.hi, bins);
  // Densities, not counts: runs with different sample sizes still share one vertical scale.
  const density = (v: ArrayLike<number>) => {
    const n = finiteCount(v);
    return Array.from(histogramCounts(v, edges), (c) => (n ? c / n : 0));
  };
  const r = density(real),
    f = density(fake),
    top = Math.max(...r, ...f) || 1;
  // Round to whole cells, but never hide a bin that holds something.
  const cells = (d: number) => (d > 0 ? Math.max(1, Math.round((d / top) * height)) : 0);
  const rh = r.map(cells),
    fh = f.map(cells);

  const lines: string[] = [];
  for (let row = height; row >= 1; row--) {
    let line = "";
    for (let b = 0; b < bins; b++) {
      const left = (rh[b]! >= row ? glyph.real : " ").repeat(bar);
      const right = (fh[b]! >= row ? glyph.fake : " ").repeat(bar);
      line += paint(left, ANSI.real) + paint(right, ANSI.fake) + " ".repeat(cell - 2 * bar);
    }
    lines.push(line.trimEnd());
  }
  const span = bins * cell - gap;
  lines.push(glyph.axis.repeat(span));
  lines.push(axisLabels(range.lo, range.hi, span));
  const legend = `${paint(glyph.real, ANSI.real)} real  ${paint(glyph.fake, ANSI.fake)} generated`;
  lines.push(options.color ? legend : legend.slice(0, width));
  return lines.join("\n");
}

// lo under the first bin, the middle under the centre, hi ending under the last bin.
function axisLabels(lo: number, hi: number, span: number): string {
  const fmt = (v: number) => String(Number(v.toPrecision(3)));
  const left = fmt(lo),
    mid = fmt((lo + hi) / 2),
    right = fmt(hi);
  const chars = Array.from({ length: span }, () => " ");
  const place = (s: string, at: number) => {
    for (let i = 0; i < s.length && at + i < span; i++) chars[at + i] = s[i]!;
  };
  place(left, 0);
  const midAt = Math.floor((span - mid.length) / 2);
  if (midAt > left.length && midAt + mid.length < span - right.length) place(mid, midAt);
  place(right, Math.max(0, span - right.length));
  return chars.join("").trimEnd();
}
