// The digit grid of the MNIST target: the worker's grey pixels drawn on a canvas, scaled up without
// smoothing, with each row's label beside it when the generator is conditional. Snapshots may arrive
// faster than the screen refreshes: only the latest is drawn, at most once per animation frame.
import type { ViewImage } from "./protocol.js";

const SCALE = 2; // canvas pixels per digit pixel
const MARGIN = 22; // for the row labels

export class DigitGrid {
  readonly canvas: HTMLCanvasElement;
  private readonly tile = document.createElement("canvas");
  private pending: ViewImage | null = null;
  private frame = 0;

  constructor(host: HTMLElement) {
    this.canvas = document.createElement("canvas");
    this.canvas.className = "digits";
    host.append(this.canvas);
  }

  show(view: ViewImage): void {
    this.pending = view;
    this.frame ||= requestAnimationFrame(() => this.draw());
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.canvas.remove();
  }

  private draw(): void {
    this.frame = 0;
    const v = this.pending;
    if (!v) return;
    this.pending = null;
    const w = v.columns * v.width,
      h = v.rows * v.height,
      margin = v.labels ? MARGIN : 0;
    const grey = new ImageData(w, h),
      rgba = grey.data;
    for (let i = 0; i < v.pixels.length; i++) {
      const g = v.pixels[i]!;
      rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = g;
      rgba[4 * i + 3] = 255;
    }
    this.tile.width = w;
    this.tile.height = h;
    this.tile.getContext("2d")!.putImageData(grey, 0, 0);
    const c = this.canvas;
    if (c.width !== margin + SCALE * w || c.height !== SCALE * h) {
      c.width = margin + SCALE * w;
      c.height = SCALE * h;
    }
    const ctx = c.getContext("2d")!;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.tile, margin, 0, SCALE * w, SCALE * h);
    if (v.labels) {
      ctx.fillStyle = "#444";
      ctx.font = "14px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      v.labels.forEach((label, row) => ctx.fillText(String(label), margin / 2, SCALE * v.height * (row + 0.5)));
    }
  }
}
