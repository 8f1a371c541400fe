// Driving the training page from a test: read its readouts and log, run it for a while, and look for
// each chart series' colour in the canvases uPlot draws.
import type { Page } from "playwright-core";

export async function epochOf(page: Page): Promise<number> {
  return Number(await page.textContent("#epoch"));
}

export async function logLines(page: Page): Promise<string[]> {
  return ((await page.textContent("#log")) ?? "").split("\n").filter(Boolean);
}

/** The KL of each report line. */
export function klValues(lines: readonly string[]): number[] {
  return lines.map((l) => Number(/KL divergence = (\S+)/.exec(l)![1]));
}

/** Waits until the worker has built the run and confirmed it is paused. */
export async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getElementById("state")!.textContent === "paused");
}

/** Plays until the epoch counter reaches `epochs`, pauses, and waits for the worker to confirm. */
export async function playTo(page: Page, epochs: number): Promise<number> {
  await page.click("#play");
  await page.waitForFunction((n) => Number(document.getElementById("epoch")!.textContent) >= n, epochs);
  await page.click("#play"); // now reads Pause
  await ready(page);
  return epochOf(page);
}

/** Pixels of the chart's canvas within `tolerance` of `hex` on every channel, drawn opaque. */
export async function pixelsOf(page: Page, chart: string, hex: string, tolerance = 10): Promise<number> {
  return page.evaluate(
    ({ chart, hex, tolerance }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`#${chart} canvas`)!;
      const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
      const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3]! > 200 && rgb.every((c, k) => Math.abs(data[i + k]! - c) <= tolerance)) count++;
      }
      return count;
    },
    { chart, hex, tolerance },
  );
}

/**
 * Opaque grey pixels (r = g = b) with a level in [lo, hi] inside the chart's plot area (uPlot's overlay
 * covers exactly that, leaving out the axis text), and how many distinct levels they take.
 */
export async function plotGreys(
  page: Page,
  chart: string,
  lo: number,
  hi: number,
): Promise<{ pixels: number; levels: number }> {
  return page.evaluate(
    ({ chart, lo, hi }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`#${chart} canvas`)!;
      const over = document.querySelector<HTMLElement>(`#${chart} .u-over`)!;
      const scale = canvas.width / canvas.clientWidth;
      const { data } = canvas
        .getContext("2d")!
        .getImageData(
          Math.ceil(over.offsetLeft * scale),
          Math.ceil(over.offsetTop * scale),
          Math.floor(over.offsetWidth * scale),
          Math.floor(over.offsetHeight * scale),
        );
      const levels = new Set<number>();
      let pixels = 0;
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i]!;
        if (data[i + 3] === 255 && data[i + 1] === r && data[i + 2] === r && r >= lo && r <= hi) {
          pixels++;
          levels.add(r);
        }
      }
      return { pixels, levels: levels.size };
    },
    { chart, lo, hi },
  );
}
