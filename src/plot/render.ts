// Renders a Vega-Lite spec headless in Node: Vega's scenegraph to SVG, resvg for PNG. Used by the CLI;
// kept out of the library's entry point because it needs the file system and a native renderer.
// The plotting stack is an optional peer dependency (most users never plot, and it is most of an
// install's size): it is loaded here, once, when the CLI first imports this module for --plot.
import { createRequire } from "node:module";
import { rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { OptionError } from "../errors.js";

export const PLOT_EXTENSIONS = [".svg", ".png"] as const;
export type PlotFormat = "svg" | "png";

/** The optional peer dependencies that --plot needs. */
export const PLOT_PACKAGES = ["vega", "vega-lite", "@resvg/resvg-js", "dejavu-fonts-ttf"] as const;

const stack = await import("./stack.js").catch((e: unknown) => {
  const code = (e as { code?: string }).code;
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return null;
  throw e;
});

/** A plot asked for while the optional plotting packages are not installed. */
export class PlotUnavailableError extends OptionError {
  constructor(path: string) {
    super("plot", path, `needs the optional plotting packages: npm install ${PLOT_PACKAGES.join(" ")}`);
  }
}

/** The format a plot path asks for; any other extension, or a missing plotting stack, is an OptionError. */
export function plotFormat(path: string): PlotFormat {
  const ext = extname(path).toLowerCase();
  if (ext !== ".svg" && ext !== ".png")
    throw new OptionError("plot", path, `must end in ${PLOT_EXTENSIONS.join(" or ")}`);
  if (!stack) throw new PlotUnavailableError(path);
  return ext === ".svg" ? "svg" : "png";
}

function loaded(): NonNullable<typeof stack> {
  if (!stack) throw new PlotUnavailableError("");
  return stack;
}

/** The chart as an SVG document. */
export async function renderSVG(spec: TopLevelSpec): Promise<string> {
  const { View, parse, compile } = loaded();
  // renderer "none": no canvas in Node; toSVG walks the scenegraph itself.
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

// A fresh machine may have no system fonts at all, and resvg draws no text without one: use the
// DejaVu faces shipped in an npm dependency, and only them, so every machine renders the same pixels.
const require = createRequire(import.meta.url);
const fontFiles = () =>
  ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));

/** An SVG document rasterised to PNG bytes, at `zoom` times its size. */
export function svgToPNG(svg: string, zoom = 2): Buffer {
  const resvg = new (loaded().Resvg)(svg, {
    fitTo: { mode: "zoom", value: zoom },
    background: "white",
    font: {
      loadSystemFonts: false,
      fontFiles: fontFiles(),
      defaultFontFamily: "DejaVu Sans",
      sansSerifFamily: "DejaVu Sans",
      serifFamily: "DejaVu Sans",
      monospaceFamily: "DejaVu Sans",
    },
  });
  return resvg.render().asPng();
}

/** Renders the spec to `path` (.svg or .png), replacing any file there only once the whole image is written. */
export async function renderPlot(spec: TopLevelSpec, path: string): Promise<void> {
  const format = plotFormat(path);
  const svg = await renderSVG(spec);
  const bytes = format === "svg" ? svg : svgToPNG(svg);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
}
