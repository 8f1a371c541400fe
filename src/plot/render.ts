// Renders a Vega-Lite spec headless in Node: Vega's scenegraph to SVG, resvg for PNG. Used by the CLI;
// kept out of the library's entry point because it needs the file system and a native renderer.
import { createRequire } from "node:module";
import { rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { OptionError } from "../errors.js";

export const PLOT_EXTENSIONS = [".svg", ".png"] as const;
export type PlotFormat = "svg" | "png";

/** The format a plot path asks for; any other extension is an OptionError naming "plot". */
export function plotFormat(path: string): PlotFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".svg" || ext === ".png") return ext === ".svg" ? "svg" : "png";
  throw new OptionError("plot", path, `must end in ${PLOT_EXTENSIONS.join(" or ")}`);
}

/** The chart as an SVG document. */
export async function renderSVG(spec: TopLevelSpec): Promise<string> {
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
const FONT_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));

/** An SVG document rasterised to PNG bytes, at `zoom` times its size. */
export function svgToPNG(svg: string, zoom = 2): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: zoom },
    background: "white",
    font: {
      loadSystemFonts: false,
      fontFiles: FONT_FILES,
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
