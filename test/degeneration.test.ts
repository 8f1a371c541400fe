// The page's degeneration check on report sequences with a known answer: ten reports in a row of a D
// that cannot tell (verdict gap < 0.05) while KL stands a unit or more above the run's best.
import { describe, expect, it } from "vitest";
import { Degeneration } from "../web/degeneration.js";

function feed(reports: [kl: number, gap: number][]): (string | null)[] {
  const d = new Degeneration();
  return reports.map(([kl, gap], i) => {
    d.add(10 * i, kl, gap);
    return d.warning;
  });
}

describe("Degeneration", () => {
  it("warns on the tenth report of a flat D with a KL above its best, and names where it began", () => {
    const run: [number, number][] = [
      [3, 0.2],
      [0.4, 0.1],
      [0.3, 0.08],
    ];
    for (let i = 0; i < 12; i++) run.push([2.5 + 0.1 * i, 0.01]);
    const warnings = feed(run);
    expect(warnings.slice(0, 12)).toEqual(Array(12).fill(null));
    expect(warnings[12]).toMatch(/since epoch 30 D\(x\) is flat/);
    expect(warnings[14]).toMatch(/best of 0\.30/);
  });

  it("stays quiet for a healthy equilibrium, a D that can still tell, or a run without KL", () => {
    // Near equilibrium: D flat, but KL near its best.
    expect(feed(Array.from({ length: 30 }, (_, i) => [0.3 + 0.2 * (i % 2), 0.001])).every((w) => w === null)).toBe(
      true,
    );
    // Far off, but D still tells real from generated.
    expect(feed(Array.from({ length: 30 }, () => [8, 0.3])).every((w) => w === null)).toBe(true);
    expect(feed(Array.from({ length: 30 }, () => [NaN, 0])).every((w) => w === null)).toBe(true);
  });

  it("clears once the run recovers, and counts afresh", () => {
    const run: [number, number][] = [[0.3, 0.2]];
    for (let i = 0; i < 10; i++) run.push([3, 0.01]);
    run.push([0.5, 0.01]); // back near the best
    for (let i = 0; i < 9; i++) run.push([3, 0.01]);
    const warnings = feed(run);
    expect(warnings[10]).not.toBeNull();
    expect(warnings.slice(11)).toEqual(Array(10).fill(null));
  });
});
