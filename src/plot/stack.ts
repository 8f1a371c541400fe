// The plotting stack, in one module so that render.ts can load it all or learn that it is missing (its
// packages are optional peer dependencies). The fonts are resolved here too: a stack without them is
// as missing as one without vega.
import { createRequire } from "node:module";

export { Resvg } from "@resvg/resvg-js";
export { parse, View } from "vega";
export { compile } from "vega-lite";

createRequire(import.meta.url).resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf");
