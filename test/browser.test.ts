// simdgan in real Chromium: the self-contained bundle from a plain module script, a module worker and
// URL loading; the embed example; and the training page as Vite builds it. Every run is held against
// the same run in Node, bit for bit.
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../scripts/serve.mjs";
import {
  PALETTE,
  checkpointText,
  createGAN,
  dShade,
  fromCheckpoint,
  metricColor,
  pyFixed,
  reportLine,
  toCheckpoint,
} from "../src/index.js";
import { DIM_DEFAULTS, DEFAULT_VALUES, check, fromQuery } from "../web/settings.js";
import { fingerprint } from "../web/fingerprint.js";
import { MNIST_FILES, digitGrid, digitOptions, judgeOf, readDigits, trainClassifier } from "../web/mnist.js";
import { browserRequired, chromiumPath, launch, reportMissingBrowser, type Browser } from "./browser/chromium.js";
import {
  epochIs,
  epochOf,
  klValues,
  logLines,
  pixelsOf,
  playTo,
  plotShades,
  printsOf,
  ready,
  stateIs,
} from "./browser/page.js";
import { fingerprints, liveReport, nodeRun } from "./browser/reference.js";
import { mainThreadTasks } from "./browser/tasks.js";

const COLORS = {
  ...PALETTE,
  kl: metricColor("kl"),
  modes: metricColor("modesCaptured"),
  score: metricColor("classifierScore"),
  frechet: metricColor("frechet"),
  labelAccuracy: metricColor("labelAccuracy"),
};

/** The options the page builds from a query: what Node must run to match it. */
function pageOptions(query = "") {
  const { options, errors } = check(fromQuery(query));
  if (!options) throw new Error(`the page would refuse ${query}: ${[...errors.values()].join("; ")}`);
  return options;
}

/** Picks a target preset from the menu, and waits for the run it starts. */
async function pick(page: Page, kind: string): Promise<void> {
  await page.selectOption("#target-kind", kind);
  await page.waitForFunction((k) => (document.getElementById("target") as HTMLInputElement).value.startsWith(k), kind);
  await ready(page);
}

/** Every colour the D(x) scale takes, as "r,g,b". */
const SHADES = [...new Set(Array.from({ length: 4001 }, (_, i) => dShade(i / 4000).join(",")))];

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
    it("prints the reference workload's report lines in the embed example, with Node's final weights", async () => {
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

    it("loads the .wasm by URL (streaming, or bytes when the MIME type is wrong) or the page's bytes", async () => {
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

  describe("threads", () => {
    // Wide enough that the products split (1000 x 128 x 128 multiply-adds in D's forward).
    const options = { seed: 2, gHidden: [128], dHidden: [128], batchSize: 500, threads: 2 };
    const hex = (ws: Float32Array[]) =>
      ws.map((w) =>
        [...new Uint8Array(w.buffer, w.byteOffset, w.byteLength)].map((b) => b.toString(16).padStart(2, "0")).join(""),
      );

    it("run on a cross-origin isolated page and in a module worker, to Node's bits", async () => {
      const { threads: _, ...single } = options;
      const node = await nodeRun(single, 4);
      const page = await open(`${server.url}test/browser/probe.html`);
      await page.waitForFunction(() => document.title === "ready");
      const onPage = await page.evaluate(async (o) => {
        const lib = (window as unknown as { simdgan: typeof import("../src/index.js") }).simdgan;
        const gan = await lib.createGAN(o);
        gan.train({ epochs: 4 });
        const weights = [...gan.generator.getWeights(), ...gan.discriminator.getWeights()];
        const out = {
          weights,
          threads: gan.threads,
          split: gan.engine.pool?.splitCalls ?? 0,
          isolated: crossOriginIsolated,
        };
        gan.dispose();
        return out;
      }, options);
      expect(onPage.isolated).toBe(true);
      expect(onPage.threads).toBe(2);
      expect(onPage.split).toBeGreaterThan(0);
      expect(hex(onPage.weights.map((w) => Float32Array.from(Object.values(w))))).toEqual(node.weights);
      const inWorker = await page.evaluate(
        (o) =>
          new Promise<{ weights: Float32Array[]; threads: number; split: number }>((done, fail) => {
            const worker = new Worker("./threads-worker.js", { type: "module" });
            worker.onerror = (e) => fail(new Error(e.message));
            worker.onmessage = ({ data }) => done(data);
            worker.postMessage({ options: o, epochs: 4 });
          }),
        options,
      );
      expect([inWorker.threads, inWorker.split > 0]).toEqual([2, true]);
      expect(hex(inWorker.weights)).toEqual(node.weights);
      expect(pageErrors).toEqual([]);
      await page.close();
    });

    it("fall back to one thread on a page that is not isolated, saying why in one console line", async () => {
      const plain = await serve(root, 0, { isolate: false });
      try {
        const page = await browser.context.newPage();
        const warnings: string[] = [];
        page.on("console", (m) => {
          if (m.type() === "warning" || m.type() === "error") warnings.push(m.text());
        });
        // Two threads asked for (auto would not start a pool for this small model, so it has nothing to refuse).
        await page.goto(`${plain.url}examples/embed/index.html?epochs=100&threads=2`);
        await page.waitForFunction(() => document.getElementById("log")!.textContent!.includes("sha-256"));
        const node = await nodeRun({ seed: 1 }, 100);
        expect(await logLines(page)).toEqual([...node.lines, `weights sha-256 = ${node.sha256}`]);
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(
          /^simdgan: running on 1 thread instead of \d+: the page is not cross-origin isolated/,
        );
        await page.close();
      } finally {
        await plain.close();
      }
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
      // The KL settles well below its starting value of several units (reference runs sit near 0.2-0.5).
      const recent = klValues(lines).slice(-5);
      expect(recent.reduce((a, b) => a + b, 0) / recent.length).toBeLessThan(1.0);
      // The readouts are of the run now, on the page's fixed view noise: Node computes the same.
      expect(await page.textContent("#kl")).toBe(pyFixed((await liveReport(pageOptions(), node.gan)).kl!));
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
      await epochIs(page, paused + 1);
      await page.click("#reset");
      await ready(page);
      expect(await epochOf(page)).toBe(0);
      expect(await logLines(page)).toEqual([]);
      expect(await pixelsOf(page, "chart-losses", COLORS.dLoss)).toBe(0);
      await page.click("#step");
      await epochIs(page, 1);
      expect(await logLines(page)).toEqual(node.lines.slice(0, 1));
      expect(pageErrors).toEqual([]);
      await page.close();
    });

    it("takes input while the worker trains", async () => {
      const page = await open(site);
      await ready(page);
      await page.fill("#stop-at", ""); // no stop
      await page.click("#play");
      await page.waitForFunction(() => document.getElementById("state")!.textContent === "training");
      const before = await epochOf(page);
      await page.fill("#noiseDim", "abc");
      expect(await page.textContent("#error-noiseDim")).toMatch(/must be a whole number >= 1/);
      await page.fill("#noiseDim", "16");
      expect(await page.textContent("#error-noiseDim")).toBe("");
      // Still the same run, still training.
      await page.waitForFunction((n) => parseInt(document.getElementById("epoch")!.textContent!, 10) > n + 100, before);
      expect(await page.textContent("#state")).toBe("training");
      await page.click("#play");
      await ready(page);
      const paused = await epochOf(page);
      expect(await logLines(page)).toEqual((await nodeRun({ seed: 1 }, paused)).lines);
      await page.close();
    });

    it("takes a thread count from its form and its links, and trains wide layers on it to Node's numbers", async () => {
      const page = await open(`${site}?threads=2&gHidden=128&dHidden=128&seed=4`);
      await ready(page);
      expect(await page.inputValue("#threads")).toBe("2");
      const paused = await playTo(page, 20);
      const node = await nodeRun({ seed: 4, gHidden: [128], dHidden: [128] }, paused);
      expect(await logLines(page)).toEqual(node.lines);
      await page.fill("#threads", "0");
      await page.press("#threads", "Tab");
      expect(await page.textContent("body")).toContain('must be "auto" or a whole number in [1, 256]');
      expect(pageErrors).toEqual([]);
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
      expect(secondLines).toEqual((await nodeRun(pageOptions(new URL(link).search), second)).lines);
      expect(secondLines).toEqual((await nodeRun(options, second)).lines);
      expect(first).toBeGreaterThanOrEqual(200);
      await again.close();
    });

    it("trains the 2-D ring: its defaults, a scatter over D(x), modes captured, Node's reports, a link", async () => {
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
      await pick(page, "ring");
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
      // Untrained, D(x) is near 0.5 everywhere: the whole plot area is shaded on the D(x) scale, near white.
      const untrained = await plotShades(page, "chart-distribution", SHADES);
      expect(untrained.pixels).toBeGreaterThan(20_000);

      const paused = await playTo(page, 100);
      const node = await nodeRun(ring, paused);
      const lines = await logLines(page);
      expect(lines).toEqual(node.reports.map(reportLine));
      expect(await page.textContent("#modes")).toBe(`${(await liveReport(ring, node.gan)).modesCaptured}/8`);
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
      // Trained, D(x) varies over the plane: the heatmap takes many shades of the scale, white or not.
      const tinted = SHADES.filter((c) => c !== "255,255,255");
      const trained = await plotShades(page, "chart-distribution", tinted);
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
      expect(secondLines).toEqual((await nodeRun(ring, second)).lines);
      const common = Math.min(lines.length, secondLines.length);
      expect(secondLines.slice(0, common)).toEqual(lines.slice(0, common));

      // The grid keeps the 2-D settings; back to a 1-D target, the reference settings return with the histogram.
      await pick(again, "grid");
      expect(await again.inputValue("#samples")).toBe("2000");
      await again.click("#step");
      await epochIs(again, 1);
      expect(await logLines(again)).toEqual((await nodeRun({ ...ring, target: { kind: "grid" } }, 1)).lines);
      await pick(again, "normal");
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
      await epochIs(again, 1);
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
        await epochIs(page, i + 1);
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
        // Too big for the page: refused at once. (16 + 1) * 1024 + 7 * 1025 * 1024 + 1025 = 7,365,633 weights.
        ["gHidden", "1024,1024,1024,1024,1024,1024,1024,1024", /has 7,365,633 weights; the page allows 1,200,000/],
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

    it("takes new learning rates and a new loss while paused, carrying the run on", async () => {
      const options = pageOptions();
      const page = await open(site);
      await ready(page);
      await page.fill("#stop-at", "50");
      await page.click("#play");
      await stateIs(page, "stopped");
      await page.fill("#dOptimizer-learningRate", "0.002");
      await page.press("#dOptimizer-learningRate", "Tab");
      await page.selectOption("#loss", "non-saturating");
      await page.waitForFunction(() => document.getElementById("status")!.textContent!.includes("from epoch 50"));
      expect(await epochOf(page)).toBe(50);
      expect(new URL(page.url()).searchParams.get("loss")).toBe("non-saturating");
      await page.fill("#stop-at", "100");
      await page.click("#play");
      await stateIs(page, "stopped");
      // Node: 50 epochs, then the same GAN through its checkpoint with the new settings, 50 more.
      const first = await nodeRun(options, 50);
      const c = toCheckpoint(first.gan);
      c.options = {
        ...c.options,
        dOptimizer: { type: "adam", learningRate: 0.002 },
        loss: "non-saturating",
      };
      const tuned = await fromCheckpoint(c);
      const lines = tuned.train({ epochs: 50 }).reports.map(reportLine);
      expect(await logLines(page)).toEqual([...first.lines, ...lines]);
      expect(await printsOf(page)).toEqual(fingerprints(tuned));
      await page.close();
    });

    it("fits a phone: no horizontal overflow at 390 x 844, Play on screen; screenshots at both sizes", async () => {
      await mkdir(artifacts, { recursive: true });
      for (const [width, height] of [
        [390, 844],
        [1280, 800],
      ] as const) {
        const page = await open(site);
        await page.setViewportSize({ width, height });
        await ready(page);
        await page.fill("#stop-at", "300");
        await page.click("#play");
        await stateIs(page, "stopped");
        const layout = await page.evaluate(() => {
          const box = (id: string) => document.getElementById(id)!.getBoundingClientRect();
          return {
            scroll: document.documentElement.scrollWidth,
            play: box("play"),
            charts: ["chart-distribution", "chart-losses", "chart-kl"].map((id) => box(id).right),
          };
        });
        expect(layout.scroll).toBeLessThanOrEqual(width);
        expect(layout.play.right).toBeLessThanOrEqual(width);
        expect(layout.play.bottom).toBeLessThanOrEqual(height);
        for (const right of layout.charts) expect(right).toBeLessThanOrEqual(width);
        await page.screenshot({ path: join(artifacts, `training-page-${width}x${height}.png`) });
        await page.close();
      }
    });

    it("plays at the pace asked: 2 epochs per second gives 2 +- 1", async () => {
      const page = await open(site);
      await ready(page);
      // Keyboard on the slider: Home is 1 epoch/s, one step right 2.
      await page.focus("#pace");
      await page.keyboard.press("Home");
      await page.keyboard.press("ArrowRight");
      expect(await page.textContent("#pace-value")).toBe("2 epochs/s");
      await page.click("#play");
      await stateIs(page, "training");
      const t0 = Date.now(),
        e0 = await epochOf(page);
      await page.waitForTimeout(4000);
      const rate = ((await epochOf(page)) - e0) / ((Date.now() - t0) / 1000);
      expect(rate).toBeGreaterThanOrEqual(1);
      expect(rate).toBeLessThanOrEqual(3);
      await page.close();
    });

    it("stops at the \"stop at\" epoch (the reference workload's 1000 by default), with Node's numbers", async () => {
      const page = await open(site);
      await ready(page);
      expect(await page.inputValue("#stop-at")).toBe("1000");
      await page.click("#play");
      await stateIs(page, "stopped", 60_000);
      expect(await epochOf(page)).toBe(1000);
      expect(await page.textContent("#play")).toBe("Play");
      const node = await nodeRun(pageOptions(), 1000);
      expect(await logLines(page)).toEqual(node.lines);
      expect(await printsOf(page)).toEqual(fingerprints(node.gan));
      // A healthy run raises no warning.
      expect(await page.isHidden("#warning")).toBe(true);
      // Play again stays put, and says why.
      await page.click("#play");
      await page.waitForFunction(() => document.getElementById("status")!.textContent!.includes("stop at"));
      expect(await epochOf(page)).toBe(1000);
      await page.close();
    });

    it("steps D alone, G alone, or one iteration: each moves only its own model, as in Node", async () => {
      const page = await open(site);
      await ready(page);
      const gan = await createGAN(pageOptions());
      expect(await printsOf(page)).toEqual(fingerprints(gan));
      const step = async (kind: string, expected: { g: string; d: string }) => {
        await page.selectOption("#step-kind", kind);
        await page.click("#step");
        await page.waitForFunction(
          (d) =>
            document.getElementById("d-print")!.textContent === d.d &&
            document.getElementById("g-print")!.textContent === d.g,
          expected,
        );
      };
      const before = fingerprints(gan);
      gan.stepD();
      const afterD = fingerprints(gan);
      expect(afterD.g).toBe(before.g);
      expect(afterD.d).not.toBe(before.d);
      await step("d", afterD);
      expect(await page.textContent("#changed")).toMatch(/D updated/);
      expect(await page.textContent("#epoch")).toBe("0 (batch 1/3)");
      gan.stepG();
      const afterG = fingerprints(gan);
      expect(afterG.d).toBe(afterD.d);
      await step("g", afterG);
      expect(await page.textContent("#changed")).toMatch(/G updated/);
      gan.stepD();
      gan.stepG();
      await step("iteration", fingerprints(gan));
      // The epoch's last iteration ends it; then the run is the same as one trained by epochs.
      gan.stepD();
      gan.stepG();
      await step("iteration", fingerprints(gan));
      expect(await epochOf(page)).toBe(1);
      const whole = await nodeRun(pageOptions(), 1);
      expect(fingerprints(gan)).toEqual(fingerprints(whole.gan));
      expect(await logLines(page)).toEqual(whole.lines);
      await page.close();
    });

    it("downloads a checkpoint and, uploaded into a fresh page, continues bit-exactly", async () => {
      const options = pageOptions();
      const page = await open(site);
      await ready(page);
      await page.fill("#stop-at", "100");
      await page.click("#play");
      await stateIs(page, "stopped");
      expect(await epochOf(page)).toBe(100);
      const save = async (p: Page) => {
        const [download] = await Promise.all([p.waitForEvent("download"), p.click("#save")]);
        const path = join(artifacts, download.suggestedFilename());
        await download.saveAs(path);
        return { path, text: await readFile(path, "utf8") };
      };
      const first = await save(page);
      expect(first.text).toBe(checkpointText((await nodeRun(options, 100)).gan));
      await page.close();

      const again = await open(site);
      await ready(again);
      // A damaged file fails to build: said so, and nothing left that looks like it could run.
      const broken = join(artifacts, "simdgan-broken.json");
      await writeFile(broken, first.text.slice(0, 500));
      await again.setInputFiles("#load", broken);
      await stateIs(again, "failed");
      expect(await again.textContent("#status")).toMatch(/not valid JSON/);
      expect(await again.textContent("#play")).toBe("Play");
      expect(await again.isDisabled("#play")).toBe(true);
      expect(await again.isDisabled("#step")).toBe(true);
      await again.setInputFiles("#load", first.path);
      await again.waitForFunction(() =>
        document.getElementById("status")!.textContent!.includes("checkpoint's epoch 100"),
      );
      await ready(again);
      expect(await epochOf(again)).toBe(100);
      await again.fill("#stop-at", "200");
      await again.click("#play");
      await stateIs(again, "stopped");
      const node = await nodeRun(options, 200);
      expect(await logLines(again)).toEqual(node.lines.slice(10));
      expect((await save(again)).text).toBe(checkpointText(node.gan));
      await again.close();
    });

    it("trains on a distribution drawn with the pointer", async () => {
      const page = await open(site);
      await ready(page);
      await page.selectOption("#target-kind", "draw");
      await stateIs(page, "drawing");
      const over = (await page.locator("#chart-distribution .u-over").boundingBox())!;
      // One stroke: a short bar right of and above the origin, where G's untrained samples sit.
      const stroke = async (from: [number, number], to: [number, number]) => {
        await page.mouse.move(over.x + from[0] * over.width, over.y + from[1] * over.height);
        await page.mouse.down();
        await page.mouse.move(over.x + to[0] * over.width, over.y + to[1] * over.height, { steps: 40 });
        await page.mouse.up();
      };
      await stroke([0.6, 0.3], [0.8, 0.3]);
      const count = parseInt((await page.textContent("#draw-count"))!, 10);
      expect(count).toBeGreaterThanOrEqual(100);
      await page.fill("#stop-at", "300");
      await page.fill("#metrics", "kl,w1");
      await page.press("#metrics", "Tab");
      await page.click("#draw-train");
      await ready(page);
      expect(await pixelsOf(page, "chart-distribution", COLORS.real)).toBeGreaterThan(50);
      await page.click("#play");
      await stateIs(page, "stopped", 60_000);
      await page.screenshot({ path: join(artifacts, "training-page-drawn.png") });
      const w1 = (await logLines(page)).map((l) => Number(/W1 = ([^,]+)/.exec(l)![1]));
      expect(w1).toHaveLength(30);
      // From G's untrained blob near the origin to the drawing, a unit or more away: the Wasserstein
      // distance (mean over x and y) falls to a fraction of where it started. A GAN's distance swings from
      // report to report (0.13-0.66 after the first ten epochs here): the median of the last ten reports.
      expect(w1[0]!).toBeGreaterThan(0.5);
      const late = w1.slice(-10).sort((a, b) => a - b);
      expect((late[4]! + late[5]!) / 2).toBeLessThan(0.5 * w1[0]!);
      await page.close();
    });

    it("warns when training degenerates (learning rates of 0.1), and not before", async () => {
      const query = "?dOptimizer.learningRate=0.1&gOptimizer.learningRate=0.1";
      const page = await open(site + query);
      await ready(page);
      await page.fill("#stop-at", "400");
      await page.click("#play");
      await page.waitForSelector("#warning:not([hidden])", { timeout: 30_000 });
      const warning = (await page.textContent("#warning"))!;
      expect(warning).toMatch(/degenerate.*D\(x\) is flat/);
      // Not until D had been flat for ten reports (a hundred epochs) in a row.
      const since = Number(/since epoch (\d+)/.exec(warning)![1]);
      expect(await epochOf(page)).toBeGreaterThanOrEqual(since + 90);
      await page.close();
    });

    it("plays and pauses from the keyboard alone: Play is the first Tab stop", async () => {
      const page = await open(site);
      await ready(page);
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("play");
      await page.keyboard.press("Enter");
      await stateIs(page, "training");
      await page.keyboard.press("Space");
      await ready(page);
      const paused = await epochOf(page);
      // Shortcuts away from the buttons: S steps, Space plays and pauses.
      await page.evaluate(() => (document.activeElement as HTMLElement).blur());
      await page.keyboard.press("s");
      await epochIs(page, paused + 1);
      await page.keyboard.press("Space");
      await stateIs(page, "training");
      await page.keyboard.press("Space");
      await ready(page);
      expect(await logLines(page)).toEqual((await nodeRun(pageOptions(), await epochOf(page))).lines);
      await page.close();
    });

    it("trains MNIST digits: the grid drawn and changing, epochs, the classifier's curves, Node's bits", async () => {
      const page = await open(site);
      await ready(page);
      // Picking the digits sets up examples/mnist's configuration, on all 10,000 digits, conditional.
      expect(await page.locator("#target-kind option[value=mnist]").textContent()).toBe("MNIST digits");
      await page.selectOption("#target-kind", "mnist");
      await page.waitForFunction(
        () => (document.getElementById("target") as HTMLInputElement).value === "mnist:conditional",
      );
      for (const [key, value] of Object.entries(DIM_DEFAULTS.image))
        expect(await page.inputValue(`#${key.replace(".", "-")}`), key).toBe(value);
      // Fetching the digits and training the judge's classifier take seconds, once per page.
      await page.waitForFunction(() => document.getElementById("state")!.textContent === "paused", null, {
        timeout: 120_000,
      });
      // A run on the first 640 digits (10 batches of 64 an epoch), seed 3: the classifier is not trained again.
      await page.fill("#seed", "3");
      await page.press("#seed", "Tab");
      await page.fill("#target", "mnist:640,conditional");
      await page.press("#target", "Tab");
      await ready(page);
      const query = new URL(page.url()).search;
      expect(new URLSearchParams(query).get("target")).toBe("mnist:640,conditional");

      // Node: the same digits, classifier and options; the viewer's grid from its fixed noise.
      const digits = await readDigits(
        readFileSync(fileURLToPath(MNIST_FILES.images)),
        readFileSync(fileURLToPath(MNIST_FILES.labels)),
      );
      const { classifier } = await trainClassifier(digits);
      const { options, image } = check(fromQuery(query));
      const full = digitOptions(options!, image!, digits);
      let gan = await createGAN(full);
      const viewer = await createGAN({ ...full, threads: 1 });
      gan.setJudge(judgeOf(classifier, gan));
      const start = Uint32Array.from(viewer.rng.getState());
      const gridPrint = () => {
        viewer.generator.setWeights(gan.generator.getWeights());
        return fingerprint([digitGrid(viewer, start).values]);
      };
      const canvas = () =>
        page.evaluate(async () => {
          // The grid is drawn on the next animation frame after a snapshot arrives.
          await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
          const c = document.querySelector<HTMLCanvasElement>("#chart-distribution canvas.digits")!;
          const { data } = c.getContext("2d")!.getImageData(0, 0, c.width, c.height);
          let dark = 0,
            hash = 0x811c9dc5;
          for (let i = 0; i < data.length; i += 4) {
            if (data[i]! < 128) dark++;
            hash = Math.imul(hash ^ data[i]!, 0x01000193);
          }
          return { dark, hash: hash >>> 0, size: [c.width, c.height] };
        });
      const printed = async (expected: string) => {
        await page.waitForFunction((p) => document.getElementById("grid-print")!.textContent === p, expected);
      };

      // Untrained: 10 rows (a label each) of 10 digits, grey noise, the same as Node's.
      await printed(gridPrint());
      const untrained = await canvas();
      expect(untrained.size).toEqual([22 + 2 * 280, 2 * 280]);
      expect(untrained.dark).toBeGreaterThan(1000);
      // Two epochs, one at a time: every report line (with the classifier's metrics), the weights and the
      // grid as Node has them, and a grid that changes each epoch.
      const seen = [untrained.hash];
      for (const epoch of [1, 2]) {
        await page.fill("#stop-at", String(epoch));
        await page.click("#play");
        await epochIs(page, epoch, 120_000);
        await stateIs(page, "stopped");
        const { reports } = gan.train({ epochs: 1 });
        await printed(gridPrint());
        const now = await canvas();
        expect(seen).not.toContain(now.hash);
        seen.push(now.hash);
        expect(now.dark).toBeGreaterThan(1000);
        expect((await logLines(page)).at(-1)).toBe(reportLine(reports[0]!));
      }
      expect(await printsOf(page)).toEqual(fingerprints(gan));
      const lines = await logLines(page);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/score = .*FD = /);
      for (const color of [COLORS.score, COLORS.frechet, COLORS.labelAccuracy])
        expect(await pixelsOf(page, "chart-kl", color), color).toBeGreaterThan(20);
      expect(await pixelsOf(page, "chart-losses", COLORS.dLoss)).toBeGreaterThan(20);
      // A new learning rate carries the run on (through its checkpoint), and single updates work on a
      // conditional GAN too, as in Node.
      await page.fill("#dOptimizer-learningRate", "0.0005");
      await page.press("#dOptimizer-learningRate", "Tab");
      await page.waitForFunction(() => document.getElementById("status")!.textContent!.includes("from epoch 2"));
      const tuned = toCheckpoint(gan);
      tuned.options = {
        ...tuned.options,
        dOptimizer: check(fromQuery(new URL(page.url()).search)).options!.dOptimizer!,
      };
      expect(tuned.options.dOptimizer).toEqual({ type: "adam", beta1: 0.5, learningRate: 0.0005 });
      gan = await fromCheckpoint(tuned);
      gan.setJudge(judgeOf(classifier, gan));
      await page.selectOption("#step-kind", "d");
      await page.click("#step");
      gan.stepD();
      await page.waitForFunction((d) => document.getElementById("d-print")!.textContent === d, fingerprints(gan).d);
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, "training-page-mnist.png"), fullPage: true });

      // Full speed for 10 s: iterations (mini-batches) per second in this browser on this machine.
      await page.fill("#stop-at", "");
      const e0 = await epochOf(page),
        t0 = Date.now();
      // The main thread draws the grid at most once a frame, and stays free: no task of 50 ms of its own.
      const tasks = await mainThreadTasks(page, async () => {
        await page.click("#play");
        await page.waitForTimeout(10_000);
      });
      expect(tasks.cpu.length).toBeGreaterThan(20);
      expect(tasks.cpu[0]!).toBeLessThan(50);
      const speed = Number((await page.textContent("#speed"))!.replace(/,/g, ""));
      await page.click("#play");
      await ready(page);
      const perSecond = (((await epochOf(page)) - e0) * 10) / ((Date.now() - t0) / 1000);
      console.log(
        `MNIST in Chromium (batches of 64, G 110-256-512-784, D 794-512-256-1): ${speed} iterations/s ` +
          `by the page's readout, ${perSecond.toFixed(1)} by whole epochs over the 10 s; the main thread's ` +
          `longest task ${tasks.cpu[0]!.toFixed(1)} ms of thread time`,
      );
      expect(speed).toBeGreaterThan(0);

      // Back to a 1-D target: the reference settings return, and it trains as before.
      await pick(page, "normal");
      for (const key of Object.keys(DIM_DEFAULTS.image))
        expect(await page.inputValue(`#${key.replace(".", "-")}`), key).toBe(DEFAULT_VALUES[key]);
      await page.selectOption("#step-kind", "epoch");
      await page.click("#step");
      await epochIs(page, 1);
      expect(await logLines(page)).toEqual((await nodeRun({ seed: 3 }, 1)).lines);
      expect(pageErrors).toEqual([]);
      await page.close();
    }, 400_000);

    // A minute would be long for a test file; 15 s of full-speed training passes the 2000-line log limit
    // and the chart thinning, where the cost used to grow. The PerformanceObserver's long tasks count
    // wall time, which on a loaded machine includes waiting for a core; Chromium's trace says how much
    // of each task was the page's own work (thread time), and that is what must stay under 50 ms.
    it("keeps the main thread free while training: no task over 50 ms of its own work in 15 s", async () => {
      const page = await browser.context.newPage();
      await page.addInitScript(() => {
        const w = window as unknown as { longTasks: number[] };
        w.longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.longTasks.push(Math.round(e.duration));
        }).observe({ type: "longtask" });
      });
      await page.goto(site);
      await ready(page);
      await page.fill("#stop-at", "");
      await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks.length = 0));
      const tasks = await mainThreadTasks(page, async () => {
        await page.click("#play");
        await page.waitForTimeout(15_000);
      });
      const observed = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
      const epochs = await epochOf(page);
      console.log(
        `main thread over 15 s of training (${epochs} epochs): ${tasks.cpu.length} tasks, the longest ` +
          `${tasks.cpu
            .slice(0, 3)
            .map((t) => t.toFixed(1))
            .join(", ")} ms of thread time; ` +
          `${observed.length} long tasks by the PerformanceObserver (wall time, up to ${Math.max(0, ...observed)} ms)`,
      );
      expect(epochs).toBeGreaterThan(5000); // it did train, past the point where the log fills
      expect(tasks.cpu.length).toBeGreaterThan(50); // the trace saw the page at work
      // Measured 10-19 ms (the most under a full parallel test run); the old page, which re-joined its
      // whole log on every update, took 38 ms here on a quiet machine.
      expect(tasks.cpu[0]!).toBeLessThan(50);
      await page.close();
    });
  });
});
