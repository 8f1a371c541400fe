// Generated images laid out as one picture: a grid of samples, row by row, with a gap between cells.
// Conditional samples come class by class, so each row of the grid is one class.
import { type PixelScale, toPixels } from "../data/dataset.js";
import type { Image } from "../data/png.js";

export interface GridOptions {
  /** Cells per row. */
  columns: number;
  scale: PixelScale;
  /** Pixels between cells and around the grid; its colour is the background's. */
  gap?: number;
  /** Each sample pixel drawn as zoom x zoom pixels. */
  zoom?: number;
}

/** n samples of shape [height, width] or [height, width, 3] (row-major) as a gray or RGB image. */
export function imageGrid(samples: ArrayLike<number>, n: number, shape: readonly number[], o: GridOptions): Image {
  const [h, w, c = 1] = shape as [number, number, number?];
  if (shape.length < 2 || (c !== 1 && c !== 3))
    throw new RangeError(
      `an image grid needs samples of shape [height, width] or [height, width, 3], got [${shape.join(", ")}]`,
    );
  const gap = o.gap ?? 2,
    zoom = o.zoom ?? 1,
    cols = Math.min(o.columns, n),
    rows = Math.ceil(n / cols);
  const width = gap + cols * (w * zoom + gap),
    height = gap + rows * (h * zoom + gap);
  const pixels = new Uint8Array(width * height * c).fill(64);
  const bytes = toPixels(samples, o.scale),
    size = h * w * c;
  for (let k = 0; k < n; k++) {
    const x0 = gap + (k % cols) * (w * zoom + gap),
      y0 = gap + Math.floor(k / cols) * (h * zoom + gap);
    for (let y = 0; y < h * zoom; y++)
      for (let x = 0; x < w * zoom; x++)
        for (let ch = 0; ch < c; ch++) {
          const src = k * size + (Math.floor(y / zoom) * w + Math.floor(x / zoom)) * c + ch;
          pixels[((y0 + y) * width + x0 + x) * c + ch] = bytes[src]!;
        }
  }
  return { width, height, channels: c as 1 | 3, pixels };
}
