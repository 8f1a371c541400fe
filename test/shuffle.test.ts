import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/wasm/load.js";
import { Rng, Stream } from "../src/data/rng.js";
import { batchBounds, RowShuffler, shuffleRows } from "../src/data/shuffle.js";
import { largestBatch } from "../src/data/batches.js";
import { OptionError } from "../src/errors.js";
import { engine, get, put } from "./helpers.js";

let e: Engine;
beforeAll(async () => {
  e = await engine();
});

describe("shuffleRows (Fisher-Yates on given uniforms)", () => {
  it("matches a hand-worked shuffle and keeps rows whole", () => {
    // Rows a=(1,2) b=(3,4) c=(5,6), offset by one leading value that must stay put.
    const v = Float32Array.of(9, 1, 2, 3, 4, 5, 6);
    // i = 2: u = 0.1 -> j = floor(0.3) = 0, swap c and a: c b a. i = 1: u = 0.6 -> j = floor(1.2) = 1, stays.
    shuffleRows(v, 1, 3, 2, [0.1, 0.6]);
    expect(Array.from(v)).toEqual([9, 5, 6, 3, 4, 1, 2]);
    // From uniforms[1] on: i = 2: u = 0.99 -> j = 2, stays. i = 1: u = 0 -> j = 0, swap c and b: b c a.
    shuffleRows(v, 1, 3, 2, [7, 0.99, 0], 1);
    expect(Array.from(v)).toEqual([9, 3, 4, 5, 6, 1, 2]);
  });
});

describe("RowShuffler", () => {
  it("permutes rows in linear memory deterministically per seed, keeping every row intact", () => {
    const rows = 50,
      dim = 3;
    const data = Float32Array.from({ length: rows * dim }, (_, i) => Math.floor(i / dim) * 10 + (i % dim));
    const run = (seed: number) => {
      const ptr = put(e, data);
      const shuffler = new RowShuffler(e, new Rng(e, seed, Stream.data), rows);
      shuffler.shuffle(ptr, rows, dim);
      return get(e, ptr, rows * dim);
    };
    const a = run(1),
      b = run(1),
      c = run(2);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Array.from(a)).not.toEqual(Array.from(data));
    const seen = new Set<number>();
    for (let r = 0; r < rows; r++) {
      const id = a[r * dim]! / 10;
      expect([a[r * dim + 1], a[r * dim + 2]]).toEqual([id * 10 + 1, id * 10 + 2]);
      seen.add(id);
    }
    expect(seen.size).toBe(rows);
  });

  it("makes all 6 orders of 3 rows equally likely (chi-square)", () => {
    const trials = 12000;
    const ptr = put(e, [0, 1, 2]);
    const shuffler = new RowShuffler(e, new Rng(e, 3, Stream.data), 3);
    const counts = new Map<string, number>();
    for (let t = 0; t < trials; t++) {
      e.arena.write(ptr, [0, 1, 2]);
      shuffler.shuffle(ptr, 3, 1);
      const key = Array.from(get(e, ptr, 3)).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const expected = trials / 6;
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 5 degrees of freedom: mean 5, sd sqrt(10).
    expect(chi2).toBeLessThan(5 + 5 * Math.sqrt(10));
  });

  it("refuses more rows than it has room for, and leaves a single row alone", () => {
    const shuffler = new RowShuffler(e, new Rng(e, 1, Stream.data), 4);
    expect(() => shuffler.shuffle(0, 5, 1)).toThrow(/room for 4/);
    const ptr = put(e, [7, 8]);
    shuffler.shuffle(ptr, 1, 2);
    expect(Array.from(get(e, ptr, 2))).toEqual([7, 8]);
  });
});

describe("batchBounds", () => {
  it("cuts batches of a size, the last taking the remainder", () => {
    expect(Array.from(batchBounds(10, 3))).toEqual([0, 3, 3, 6, 6, 9, 9, 10]);
    expect(Array.from(batchBounds(9, 3))).toEqual([0, 3, 3, 6, 6, 9]);
    expect(Array.from(batchBounds(1000, 64)).slice(-2)).toEqual([960, 1000]);
    expect(Array.from(batchBounds(5, 8))).toEqual([0, 5]);
    expect(Array.from(batchBounds(1, 1))).toEqual([0, 1]);
    expect(largestBatch(batchBounds(10, 4))).toBe(4);
  });

  it("rejects a size that is not a whole number >= 1", () => {
    expect(() => batchBounds(10, 0)).toThrow(OptionError);
    expect(() => batchBounds(10, 2.5)).toThrow(/invalid batchSize: 2.5 \(must be a whole number >= 1\)/);
    expect(() => batchBounds(0, 2)).toThrow(/rows/);
  });
});
