import { describe, expect, it } from "vitest";
import { calibrate, interleave, mean, median, speedup, summarize } from "../bench/stats.js";

describe("bench statistics", () => {
  it("takes the median of odd and even counts without reordering the input", () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("summarizes with median, min, max and count", () => {
    expect(summarize([3, 9, 1, 4, 7])).toEqual({ median: 4, min: 1, max: 9, n: 5 });
    expect(summarize([]).n).toBe(0);
    expect(mean([1, 2, 3, 6])).toBe(3);
  });

  it("states a speed-up as the slow median over the fast one", () => {
    expect(speedup(summarize([2, 2, 3]), summarize([10, 20, 30]))).toBe(10);
  });

  it("interleaves contenders round by round and drops the warm-up rounds", async () => {
    const calls: string[] = [];
    let a = 0,
      b = 100;
    const samples = await interleave(
      {
        a: (round) => (calls.push(`a${round}`), ++a),
        b: async (round) => (calls.push(`b${round}`), ++b),
      },
      { warmup: 1, reps: 3 },
    );
    expect(calls).toEqual(["a0", "b0", "a1", "b1", "a2", "b2", "a3", "b3"]);
    expect(samples).toEqual({ a: [2, 3, 4], b: [102, 103, 104] });
  });

  it("calibrates a call count that fills the target time", () => {
    let clock = 0;
    const calls = calibrate(
      () => {
        clock += 0.5;
      },
      100,
      () => clock,
    );
    expect(calls).toBe(200);
  });
});
