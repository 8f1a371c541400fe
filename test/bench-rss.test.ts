// The footprint suite's peak RSS must be the child's own: a child spawned by a large bench process must not
// report the parent's peak (ru_maxrss survives exec on Linux, which once doubled simdgan's figure).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const RSS = fileURLToPath(new URL("../dist/bench/rss.js", import.meta.url));

describe("peakRssKB", () => {
  it("reports a child's own peak, not the peak of the large process that spawned it", () => {
    const ballast = Buffer.alloc(400 << 20, 1); // the parent's resident set grows by 400 MB
    const script =
      `import(${JSON.stringify(RSS)})` + ".then((m) => console.log(m.peakRssKB(), process.resourceUsage().maxRSS))";
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const [own, inherited] = r.stdout.trim().split(" ").map(Number) as [number, number];
    expect(ballast[ballast.length - 1]).toBe(1);
    if (process.platform === "linux") expect(inherited).toBeGreaterThan(400 * 1024); // the fault this guards
    expect(own).toBeGreaterThan(10 * 1024); // a Node process is at least this big
    expect(own).toBeLessThan(200 * 1024);
  });
});
