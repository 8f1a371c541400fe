import { describe, expect, it } from "vitest";
import { createGAN, OptionError } from "../src/index.js";
import { engine, get, put, randomArray } from "./helpers.js";

describe("least-squares loss kernel", () => {
  it("matches mean (z - y)^2 and its gradient 2 (z - y) / n, with the target split", async () => {
    const e = await engine();
    for (const n of [1, 3, 4, 5, 17, 333]) {
      const z = randomArray(n, n, -3, 3),
        split = Math.floor(n / 3);
      const zp = put(e, z),
        dz = e.arena.alloc(n);
      const loss = e.kernels.squared_error(dz, zp, n, split, 0.9, 0.1, 0);
      let ref = 0;
      const grad = Array.from(z, (v, i) => {
        const d = v - (i < split ? 0.9 : 0.1);
        ref += d * d;
        return (2 * d) / n;
      });
      expect(loss).toBeCloseTo(ref / n, 5);
      const got = get(e, dz, n);
      grad.forEach((g, i) => expect(got[i]).toBeCloseTo(g, 6));
    }
  });
});

describe("training objectives", () => {
  it("non-saturating and LSGAN runs train without NaN and move G toward the data", async () => {
    for (const loss of ["non-saturating", "lsgan"] as const) {
      const gan = await createGAN({ seed: 21, loss });
      const { reports } = gan.train({ epochs: 300 });
      for (const r of reports) {
        expect(Number.isFinite(r.dLoss) && Number.isFinite(r.gLoss) && Number.isFinite(r.kl)).toBe(true);
      }
      // The first report is the untrained generator; training must bring the KL well down from it.
      const last = reports.slice(-5).reduce((s, r) => s + r.kl!, 0) / 5;
      expect(last).toBeLessThan(reports[0]!.kl! / 2);
    }
  });

  it("k discriminator steps make k discriminator updates per batch", async () => {
    const gan = await createGAN({ seed: 2, dSteps: 3, epochs: 1 });
    gan.train({ epochs: 2 });
    expect(gan.dOptimizer.getState().step).toBe(2 * 3 * 3);
    expect(gan.gOptimizer.getState().step).toBe(2 * 3);
  });

  it("rejects an unknown loss and a zero dSteps, naming the option", async () => {
    await expect(createGAN({ loss: "hinge" as never })).rejects.toThrow(OptionError);
    await expect(createGAN({ loss: "hinge" as never })).rejects.toThrow(/loss.*hinge.*minimax/);
    await expect(createGAN({ dSteps: 0 })).rejects.toThrow(/dSteps: 0/);
  });
});
