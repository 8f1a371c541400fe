// Driving the training page from a test: read its readouts and log, run it for a while, and look for
// each chart series' colour in the canvases uPlot draws.
import type { Page } from "playwright-core";

/** The epoch counter (which may add "(batch 2/3)" inside an epoch begun by single steps). */
export async function epochOf(page: Page): Promise<number> {
  return parseInt((await page.textContent("#epoch")) ?? "", 10);
}

/** Waits until the epoch counter reads `n`. */
export async function epochIs(page: Page, n: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction((n) => parseInt(document.getElementById("epoch")!.textContent!, 10) === n, n, {
    timeout,
  });
}

/** The fingerprints of G's and D's weights the page shows while paused. */
export async function printsOf(page: Page): Promise<{ g: string; d: string }> {
  return { g: (await page.textContent("#g-print"))!, d: (await page.textContent("#d-print"))! };
}

/** Waits for the worker to confirm `state` (paused, training, stopped). */
export async function stateIs(page: Page, state: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction((s) => document.getElementById("state")!.textContent === s, state, { timeout });
}

export async function logLines(page: Page): Promise<string[]> {
  return ((await page.textContent("#log")) ?? "").split("\n").filter(Boolean);
}

/** The KL of each report line. */
export function klValues(lines: readonly string[]): number[] {
  return lines.map((l) => Number(/KL divergence = (\S+)/.exec(l)![1]));
}

/** Waits until the worker has built the run and confirmed it is paused (or stopped at "stop at"). */
export async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => ["paused", "stopped"].includes(document.getElementById("state")!.textContent!));
}

/** Plays until the epoch counter reaches `epochs`, pauses, and waits for the worker to confirm. */
export async function playTo(page: Page, epochs: number): Promise<number> {
  await page.click("#play");
  await page.waitForFunction((n) => parseInt(document.getElementById("epoch")!.textContent!, 10) >= n, epochs);
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
 * Opaque pixels inside the chart's plot area (uPlot's overlay covers exactly that, leaving out the axis
 * text) whose colour is one of `shades` ("r,g,b"), and how many distinct shades they take.
 */
export async function plotShades(
  page: Page,
  chart: string,
  shades: readonly string[],
): Promise<{ pixels: number; levels: number }> {
  return page.evaluate(
    ({ chart, shades }) => {
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
      const wanted = new Set(shades),
        levels = new Set<string>();
      let pixels = 0;
      for (let i = 0; i < data.length; i += 4) {
        const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
        if (data[i + 3] === 255 && wanted.has(key)) {
          pixels++;
          levels.add(key);
        }
      }
      return { pixels, levels: levels.size };
    },
    { chart, shades },
  );
}
