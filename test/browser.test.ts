// simdgan in real Chromium: the self-contained bundle from a plain module script, a module worker and
// URL loading; the embed example; and the training page as Vite builds it. Every run is held against
// the same run in Node, bit for bit.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../scripts/serve.mjs";
import { COLORS } from "../web/colors.js";
import { browserRequired, chromiumPath, launch, reportMissingBrowser, type Browser } from "./browser/chromium.js";
import { epochOf, plotGreys, klValues, logLines, playTo, pixelsOf, ready } from "./browser/page.js";
import { modesLine, nodeRun } from "./browser/reference.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const artifacts = join(root, "test-artifacts");

if (!chromiumPath && !browserRequired) reportMissingBrowser();

// Without a browser these run only in CI, where launching then fails the run.
describe.runIf(chromiumPath !== null || browserRequired)("in Chromium", () => {
  let browser: Browser;
  let server: { url: string; close(): Promise<void> };
  let pageErrors: string[] = [];

  beforeAll(async () => {
    for (const built of ["dist/simdgan.browser.js", "dist/src/index.js"]) {
      if (!existsSync(join(root, built))) throw new Error(`${built} is missing: run npm run build first`);
    }
    browser = await launch();
    browser.context.on("weberror", (e) => pageErrors.push(String(e.error())));
    server = await serve(root);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(url: string): Promise<Page> {
    pageErrors = [];
    const page = await browser.context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") pageErrors.push(m.text());
    });
    await page.goto(url);
    return page;
  }

  describe("the browser bundle", () => {
    it("prints the seed's report lines in the embed example, with Node's final weights", async () => {
      const node = await nodeRun({ seed: 1 }, 1000);
      const page = await open(`${server.url}examples/embed/index.html`);
      await page.waitForFunction(() => document.getElementById("log")!.textContent!.includes("sha-256"), null, {
        timeout: 60_000,
      });
      const lines = await logLines(page);
      expect(lines.slice(0, -1)).toEqual(node.lines);
      expect(lines).toHaveLength(101);
      expect(lines.at(-1)).toBe(`weights sha-256 = ${node.sha256}`);
      expect(pageErrors).toEqual([]);
      await page.close();
    });

    it("takes a seed and an epoch count from the example's query", async () => {
      const node = await nodeRun({ seed: 7 }, 300);
      const page = await open(`${server.url}examples/embed/index.html?seed=7&epochs=300`);
      await page.waitForFunction(() => document.getElementById("log")!.textContent!.includes("sha-256"));
      expect(await logLines(page)).toEqual([...node.lines, `weights sha-256 = ${node.sha256}`]);
      await page.close();
    });

    it("trains in a module worker to the same bits as Node", async () => {
      const node = await nodeRun({ seed: 3, gHidden: [24, 8] }, 150);
      const page = await open(`${server.url}test/browser/probe.html`);
      const weights = await page.evaluate(
        () =>
          new Promise<string[]>((done, fail) => {
            const worker = new Worker("./worker-probe.js", { type: "module" });
            worker.onerror = (e) => fail(new Error(e.message));
            worker.onmessage = ({ data }: MessageEvent<Float32Array[]>) => {
              done(
                data.map((w) =>
                  [...new Uint8Array(w.buffer, w.byteOffset, w.byteLength)]
                    .map((b) => b.toString(16).padStart(2, "0"))
                    .join(""),
                ),
              );
            };
            worker.postMessage({ options: { seed: 3, gHidden: [24, 8] }, epochs: 150 });
          }),
      );
      expect(weights).toEqual(node.weights);
      await page.close();
    });

    it("loads the .wasm by URL (streaming, or from bytes when the MIME type is wrong) or takes the page's own bytes", async () => {
      const node = await nodeRun({ seed: 5 }, 100);
      const page = await open(`${server.url}test/browser/probe.html`);
      // A server that labels .wasm as a plain download: compileStreaming refuses it, the fallback does not.
      await page.route("**/octet/simdgan.wasm", async (route) => {
        const response = await route.fetch({ url: `${server.url}build/simdgan.wasm` });
        await route.fulfill({ response, headers: { "content-type": "application/octet-stream" } });
      });
      await page.waitForFunction(() => document.title === "ready");
      const result = await page.evaluate(async () => {
        const lib = (window as unknown as { simdgan: typeof import("../src/index.js") }).simdgan;
        const hex = (ws: Float32Array[]) =>
          ws.map((w) =>
            [...new Uint8Array(w.buffer, w.byteOffset, w.byteLength)]
              .map((b) => b.toString(16).padStart(2, "0"))
              .join(""),
          );
        const run = async (source: BufferSource | WebAssembly.Module) => {
          const gan = await lib.createGAN({ seed: 5 }, source);
          gan.train({ epochs: 100 });
          return hex([...gan.generator.getWeights(), ...gan.discriminator.getWeights()]);
        };
        const octet = await fetch("/octet/simdgan.wasm");
        const refused = await WebAssembly.compileStreaming(octet).then(
          () => "compiled",
          (e: Error) => e.name,
        );
        const missing = await lib.loadWasm(new URL("/build/no-such.wasm", location.href)).then(
          () => "loaded",
          (e: Error) => e.message,
        );
        return {
          streamed: await run(await lib.loadWasm(new URL("/build/simdgan.wasm", location.href))),
          fallback: await run(await lib.loadWasm(new URL("/octet/simdgan.wasm", location.href))),
          bytes: await run(await (await fetch("/build/simdgan.wasm")).arrayBuffer()),
          missing,
          refused,
          type: octet.headers.get("content-type"),
        };
      });
      expect(result.streamed).toEqual(node.weights);
      expect([result.type, result.refused]).toEqual(["application/octet-stream", "TypeError"]);
      expect(result.fallback).toEqual(node.weights);
      expect(result.bytes).toEqual(node.weights);
      expect(result.missing).toMatch(/no-such\.wasm: HTTP 404/);
      await page.close();
    });
  });

  describe("the training page, built by Vite", () => {
    let site: string;
    let out: string;

    beforeAll(async () => {
      out = await mkdtemp(join(tmpdir(), "simdgan-web-"));
      await build({
        configFile: join(root, "web/vite.config.ts"),
        build: { outDir: out, emptyOutDir: true },
        logLevel: "error",
      });
      const built = await serve(out);
      site = built.url;
      return async () => {
        await built.close();
        await rm(out, { recursive: true, force: true });
      };
    });

    it("trains past epoch 200 with Node's numbers, pauses, draws its charts, and resets", async () => {
      const page = await open(site);
      await ready(page);
      expect(await epochOf(page)).toBe(0);
      // Nothing trained yet: the loss and KL charts hold no series.
      expect(await pixelsOf(page, "chart-losses", COLORS.dLoss)).toBe(0);
      expect(await pixelsOf(page, "chart-kl", COLORS.kl)).toBe(0);

      const paused = await playTo(page, 200);
      expect(paused).toBeGreaterThanOrEqual(200);
      const lines = await logLines(page);
      const node = await nodeRun({ seed: 1 }, paused);
      expect(lines).toEqual(node.lines);
      // The seed's KL settles well below its starting value of several units (the seed runs sit near 0.2-0.5).
      const recent = klValues(lines).slice(-5);
      expect(recent.reduce((a, b) => a + b, 0) / recent.length).toBeLessThan(1.0);
      expect(await page.textContent("#kl")).toBe(node.reports.at(-1)!.kl!.toFixed(3));
      expect(Number((await page.textContent("#speed"))!.replace(/,/g, ""))).toBeGreaterThan(0);

      // Paused means paused: the counter stays put while time passes.
      await page.waitForTimeout(600);
      expect(await epochOf(page)).toBe(paused);
      expect(await page.textContent("#play")).toBe("Play");

      for (const [chart, color] of [
        ["chart-distribution", COLORS.real],
        ["chart-distribution", COLORS.fake],
        ["chart-distribution", COLORS.d],
        ["chart-losses", COLORS.dLoss],
        ["chart-losses", COLORS.gLoss],
        ["chart-kl", COLORS.kl],
      ] as const) {
        expect(await pixelsOf(page, chart, color), `${chart} ${color}`).toBeGreaterThan(20);
      }
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, "training-page.png"), fullPage: true });

      // Step trains exactly one epoch; reset goes back to epoch 0 with empty curves, and runs the same again.
      await page.click("#step");
      await page.waitForFunction((n) => Number(document.getElementById("epoch")!.textContent) === n, paused + 1);
      await page.click("#reset");
      await ready(page);
      expect(await epochOf(page)).toBe(0);
      expect(await logLines(page)).toEqual([]);
      expect(await pixelsOf(page, "chart-losses", COLORS.dLoss)).toBe(0);
      await page.click("#step");
      await page.waitForFunction(() => document.getElementById("epoch")!.textContent === "1");
      expect(await logLines(page)).toEqual(node.lines.slice(0, 1));
      expect(pageErrors).toEqual([]);
      await page.close();
    });

    it("takes input while the worker trains", async () => {
      const page = await open(site);
      await ready(page);
      await page.click("#play");
      await page.waitForFunction(() => document.getElementById("state")!.textContent === "training");
      const before = await epochOf(page);
      await page.fill("#noiseDim", "abc");
      expect(await page.textContent("#error-noiseDim")).toMatch(/must be a whole number >= 1/);
      await page.fill("#noiseDim", "16");
      expect(await page.textContent("#error-noiseDim")).toBe("");
      // Still the same run, still training.
      await page.waitForFunction((n) => Number(document.getElementById("epoch")!.textContent) > n + 100, before);
      expect(await page.textContent("#state")).toBe("training");
      await page.click("#play");
      await ready(page);
      const paused = await epochOf(page);
      expect(await logLines(page)).toEqual((await nodeRun({ seed: 1 }, paused)).lines);
      await page.close();
    });

    it("puts the settings in the URL, and the link reproduces the run", async () => {
      const options = {
        seed: 3,
        target: { kind: "mixture" as const, means: [-2, 2] },
        dOptimizer: { learningRate: 0.002 },
        gHidden: [32, 16],
      };
      const page = await open(site);
      await ready(page);
      for (const [field, value] of [
        ["seed", "3"],
        ["target", "mixture:-2,2"],
        ["dOptimizer-learningRate", "0.002"],
        ["gHidden", "32,16"],
      ]) {
        await page.fill(`#${field}`, value!);
        await page.press(`#${field}`, "Tab");
      }
      await ready(page);
      const link = page.url();
      expect(new URL(link).searchParams.get("target")).toBe("mixture:-2,2");
      expect(await page.getAttribute("#share", "href")).toBe(link);
      const first = await playTo(page, 200);
      const firstLines = await logLines(page);
      await page.close();

      const again = await open(link);
      await ready(again);
      expect(await again.inputValue("#seed")).toBe("3");
      expect(await again.inputValue("#target-kind")).toBe("mixture");
      const second = await playTo(again, 200);
      const secondLines = await logLines(again);
      const common = Math.min(firstLines.length, secondLines.length);
      expect(common).toBeGreaterThanOrEqual(20);
      expect(secondLines.slice(0, common)).toEqual(firstLines.slice(0, common));
      expect(secondLines).toEqual((await nodeRun(options, second)).lines);
      expect(first).toBeGreaterThanOrEqual(200);
      await again.close();
    });

    it("trains the 2-D ring: its defaults, a scatter over D(x), modes captured, Node's reports, and a link that repeats them", async () => {
      // The README's mode-coverage run, as picking "ring" sets it up (20 batches of 2000 samples: batch size 100).
      const ring = {
        seed: 1,
        target: { kind: "ring" as const },
        samples: 2000,
        batches: 20,
        gHidden: [64, 64],
        dHidden: [64, 64],
        gOptimizer: { learningRate: 0.001 },
        dOptimizer: { learningRate: 0.001 },
        loss: "non-saturating" as const,
        realLabel: 1,
        fakeLabel: 0,
        metrics: ["kl" as const, "modes" as const],
      };
      const page = await open(site);
      await ready(page);
      await page.selectOption("#target-kind", "ring");
      await ready(page);
      const form = async (fields: readonly string[]) => Promise.all(fields.map((f) => page.inputValue(`#${f}`)));
      const fields = [
        "target",
        "samples",
        "batches",
        "gHidden",
        "dHidden",
        "gOptimizer-learningRate",
        "loss",
        "realLabel",
        "fakeLabel",
      ];
      expect(await form(fields)).toEqual([
        "ring:8,2,0.02",
        "2000",
        "20",
        "64,64",
        "64,64",
        "0.001",
        "non-saturating",
        "1",
        "0",
      ]);
      expect(new URL(page.url()).searchParams.get("target")).toBe("ring:8,2,0.02");
      // Untrained, D(x) is near 0.5 everywhere: the whole plot area is shaded a middling grey.
      const untrained = await plotGreys(page, "chart-distribution", 150, 230);
      expect(untrained.pixels).toBeGreaterThan(20_000);

      const paused = await playTo(page, 100);
      const node = await nodeRun(ring, paused);
      const lines = await logLines(page);
      expect(lines).toEqual(node.reports.map((r) => modesLine(r, 8)));
      expect(await page.textContent("#modes")).toBe(`${node.reports.at(-1)!.modesCaptured}/8`);
      // The ring is easy for this configuration (README: 7-8 modes by epoch 200); by 100 most are found.
      expect(node.reports.at(-1)!.modesCaptured).toBeGreaterThanOrEqual(5);
      for (const [chart, color] of [
        ["chart-distribution", COLORS.real],
        ["chart-distribution", COLORS.fake],
        ["chart-kl", COLORS.kl],
        ["chart-kl", COLORS.modes],
      ] as const) {
        expect(await pixelsOf(page, chart, color), `${chart} ${color}`).toBeGreaterThan(20);
      }
      // Trained, D(x) varies over the plane: the heatmap shows a range of greys (the grid lines are #eee, 238).
      const trained = await plotGreys(page, "chart-distribution", 145, 236);
      expect(trained.pixels).toBeGreaterThan(1000);
      expect(trained.levels).toBeGreaterThanOrEqual(5);
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, "training-page-ring.png"), fullPage: true });
      const link = page.url();
      await page.close();

      const again = await open(link);
      await ready(again);
      expect(await again.inputValue("#target-kind")).toBe("ring");
      const second = await playTo(again, 30);
      const secondLines = await logLines(again);
      expect(secondLines).toEqual((await nodeRun(ring, second)).reports.map((r) => modesLine(r, 8)));
      const common = Math.min(lines.length, secondLines.length);
      expect(secondLines.slice(0, common)).toEqual(lines.slice(0, common));

      // The grid keeps the 2-D settings; back to a 1-D target, the seed's return along with the histogram view.
      await again.selectOption("#target-kind", "grid");
      await ready(again);
      expect(await again.inputValue("#samples")).toBe("2000");
      await again.click("#step");
      await again.waitForFunction(() => document.getElementById("epoch")!.textContent === "1");
      expect(await logLines(again)).toEqual([
        modesLine((await nodeRun({ ...ring, target: { kind: "grid" } }, 1)).reports[0]!, 25),
      ]);
      await again.selectOption("#target-kind", "normal");
      await ready(again);
      expect(new URL(again.url()).searchParams.get("samples")).toBe("1000");
      expect(await Promise.all(fields.map((f) => again.inputValue(`#${f}`)))).toEqual([
        "normal:0,1",
        "1000",
        "3",
        "32",
        "32",
        "0.0005",
        "minimax",
        "0.9",
        "0.1",
      ]);
      expect(await again.isHidden("#modes")).toBe(true);
      await again.click("#step");
      await again.waitForFunction(() => document.getElementById("epoch")!.textContent === "1");
      expect(await logLines(again)).toEqual((await nodeRun({ seed: 1 }, 1)).lines);
      expect(await pixelsOf(again, "chart-distribution", COLORS.d)).toBeGreaterThan(20);
      expect(pageErrors).toEqual([]);
      await again.close();
    });

    it("shows a message beside a bad setting and neither starts nor disturbs the run", async () => {
      const page = await open(site);
      await ready(page);
      for (let i = 0; i < 3; i++) {
        await page.click("#step");
        await page.waitForFunction((n) => document.getElementById("epoch")!.textContent === String(n), i + 1);
      }
      const url = page.url();
      const cases: [field: string, value: string, message: RegExp][] = [
        ["samples", "", /required/],
        ["samples", "-5", /whole number >= 1/],
        ["samples", "abc", /must be a whole number >= 1/],
        ["dOptimizer-learningRate", "-0.1", /> 0/],
        ["gHidden", "32,x", /must be a list of whole numbers >= 1/],
        ["batches", "5000", /at most the number of samples/],
        ["target", "normal:0,-1", /> 0/],
        ["target", "ring:0", /whole number in \[1, 10000\]/],
      ];
      for (const [field, value, message] of cases) {
        const original = await page.inputValue(`#${field}`);
        await page.fill(`#${field}`, value);
        await page.press(`#${field}`, "Enter");
        await page.press(`#${field}`, "Tab");
        expect(await page.textContent(`#error-${field}`), `${field} = ${JSON.stringify(value)}`).toMatch(message);
        expect(await page.getAttribute(`#${field}`, "aria-invalid")).toBe("true");
        expect(await page.isDisabled("#play")).toBe(true);
        await page.click("#play", { force: true });
        await page.click("#step", { force: true });
        await page.waitForTimeout(300);
        expect(await epochOf(page)).toBe(3);
        expect(page.url()).toBe(url);
        await page.fill(`#${field}`, original);
        await page.press(`#${field}`, "Tab");
        expect(await page.textContent(`#error-${field}`)).toBe("");
      }
      // Put back as it was, the run carries on exactly where it stood.
      expect(await page.isDisabled("#play")).toBe(false);
      const paused = await playTo(page, 50);
      expect(await logLines(page)).toEqual((await nodeRun({ seed: 1 }, paused)).lines);
      expect(pageErrors).toEqual([]);
      await page.close();
    });

    it("shows what is wrong with a bad link and starts nothing", async () => {
      const page = await open(`${site}?samples=-5&seed=x&gHidden=`);
      await page.waitForFunction(() => document.getElementById("error-samples")!.textContent !== "");
      expect(await page.textContent("#error-samples")).toMatch(/whole number >= 1/);
      expect(await page.textContent("#error-seed")).toMatch(/must be a whole number in \[0, 4294967295\]/);
      expect(await page.textContent("#error-gHidden")).toMatch(/required/);
      expect(await page.textContent("#error-noiseDim")).toBe("");
      expect(await page.isDisabled("#play")).toBe(true);
      expect(await page.isDisabled("#step")).toBe(true);
      expect(await page.isDisabled("#reset")).toBe(true);
      expect(await page.textContent("#state")).toBe("-");
      // Fixing the fields starts the run the corrected settings describe.
      for (const [field, value] of [
        ["samples", "1000"],
        ["seed", "4"],
        ["gHidden", "32"],
      ] as const) {
        await page.fill(`#${field}`, value);
        await page.press(`#${field}`, "Tab");
      }
      await ready(page);
      expect(new URL(page.url()).searchParams.get("seed")).toBe("4");
      const paused = await playTo(page, 50);
      expect(await logLines(page)).toEqual((await nodeRun({ seed: 4 }, paused)).lines);
      await page.close();
    });
  });
});
