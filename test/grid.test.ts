// Image grids (src/plot/grid.ts) and the scaling back to bytes (toPixels), on hand-made samples; and the
// progress bar's throughput and time left.
import { describe, expect, it } from "vitest";
import { imageGrid } from "../src/plot/grid.js";
import { toPixels } from "../src/data/dataset.js";
import { Progress } from "../src/cli/report.js";

describe("toPixels", () => {
  it("inverts each scaling, rounding and clamping to 0..255", () => {
    expect(Array.from(toPixels([-1, 0, 1, -2, 2, 51 / 127.5 - 1], "symmetric"))).toEqual([0, 128, 255, 0, 255, 51]);
    expect(Array.from(toPixels([0, 0.2, 1, 1.5], "unit"))).toEqual([0, 51, 255, 255]);
    expect(Array.from(toPixels([0, 12.4, 300, -3], "none"))).toEqual([0, 12, 255, 0]);
  });
});

describe("imageGrid", () => {
  it("lays samples out row by row with a gap, gray or RGB, zoomed", () => {
    // Three 2 x 3 gray samples, each pixel the sample's number (0, 1, 2) scaled as "none".
    const samples = Float32Array.from({ length: 3 * 6 }, (_, k) => 100 + Math.floor(k / 6));
    const g = imageGrid(samples, 3, [2, 3], { columns: 2, scale: "none", gap: 1 });
    expect([g.width, g.height, g.channels]).toEqual([1 + 2 * (3 + 1), 1 + 2 * (2 + 1), 1]);
    const at = (x: number, y: number) => g.pixels[y * g.width + x];
    expect([at(0, 0), at(1, 1), at(3, 2), at(4, 1), at(5, 1), at(7, 2), at(1, 4), at(3, 5), at(5, 4)]).toEqual([
      64, 100, 100, 64, 101, 101, 102, 102, 64,
    ]);
    const rgb = imageGrid(Float32Array.of(-1, 0, 1, 1, 0, -1), 2, [1, 1, 3], {
      columns: 2,
      scale: "symmetric",
      gap: 0,
      zoom: 2,
    });
    expect([rgb.width, rgb.height, rgb.channels]).toEqual([4, 2, 3]);
    expect(Array.from(rgb.pixels.subarray(0, 12))).toEqual([0, 128, 255, 0, 128, 255, 255, 128, 0, 255, 128, 0]);
    expect(() => imageGrid(samples, 3, [6], { columns: 2, scale: "none" })).toThrow(/shape \[height, width\]/);
  });
});

describe("Progress with throughput", () => {
  it("shows samples per second and the time left", () => {
    const out: string[] = [];
    let t = 0;
    const bar = new Progress({ columns: 100, write: (s) => out.push(s) }, 10, () => t, 1000, "score");
    t = 2000;
    bar.update(4, 2.5); // 4000 samples in 2 s; 6000 left at 2000 a second: 3 s
    expect(out[0]).toMatch(/\] 4\/10 epochs {2}score 2\.500 {2}2000 samples\/s {2}ETA 0:03$/);
  });
});
