// The page's settings (web/settings.ts) are the schema's page fields: the same names, defaults, parser
// and words as the library and the CLI. Runs in Node on the built package, as the page imports it.
import { describe, expect, it } from "vitest";
import { DEFAULTS, parseOption, resolveOptions, SCHEMA, type GANOptions, type OptionEntry } from "../src/index.js";
import { DIM_DEFAULTS, FIELDS, DEFAULT_VALUES, check, fromQuery, toQuery, valuesOf } from "../web/settings.js";

const paged = (SCHEMA as readonly OptionEntry[]).filter((e) => e.page);

describe("the page's settings", () => {
  it("are the schema's page fields, with its labels, in its order", () => {
    expect(FIELDS.map((f) => f.key)).toEqual(paged.map((e) => e.name));
    expect(FIELDS.map((f) => f.label)).toEqual(paged.map((e) => e.page!.label));
    expect(new Set(FIELDS.map((f) => f.id)).size).toBe(FIELDS.length);
    for (const f of FIELDS) expect(f.id).toMatch(/^[A-Za-z][\w-]*$/); // usable in a CSS selector
  });

  it("start at the library's defaults", () => {
    const { options, errors } = check(DEFAULT_VALUES);
    expect(errors.size).toBe(0);
    expect(resolveOptions(options!)).toEqual(resolveOptions({}));
    expect(DEFAULT_VALUES["gOptimizer.learningRate"]).toBe(String(DEFAULTS.gOptimizer.learningRate));
  });

  it.each([
    ["samples", "0"],
    ["samples", "0x10"],
    ["noiseDim", "1.5"],
    ["gHidden", "8,0"],
    ["gOptimizer.learningRate", "1e-46"],
    ["dOptimizer.learningRate", "0"],
    ["realLabel", "1.5"],
    ["loss", "hinge"],
    ["seed", "4294967296"],
    ["target", "normal:0,-1"],
  ])("%s = '%s' is refused in the words of the CLI's flag", (key, text) => {
    const { errors } = check({ ...DEFAULT_VALUES, [key]: text });
    let allowed = "";
    try {
      parseOption(key, text);
    } catch (e) {
      allowed = (e as { allowed: string }).allowed;
    }
    expect(allowed).not.toBe("");
    expect(errors.get(key)).toBe(allowed);
  });

  it("adds the page's own limits and clashes between fields", () => {
    expect(check({ ...DEFAULT_VALUES, samples: "200000" }).errors.get("samples")).toBe(
      "must be at most 100000 on this page",
    );
    expect(check({ ...DEFAULT_VALUES, gHidden: "2,2,2,2,2,2,2,2,2" }).errors.get("gHidden")).toMatch(/at most 8/);
    expect(check({ ...DEFAULT_VALUES, samples: "2" }).errors.get("batches")).toMatch(/at most the number of samples/);
  });

  it("links carry every field; links with the former learning-rate names still open their run", () => {
    const values = { ...DEFAULT_VALUES, "dOptimizer.learningRate": "0.002" };
    expect(fromQuery(`?${toQuery(values)}`)).toEqual(values);
    expect(fromQuery("?gLearningRate=0.003&dLearningRate=0.004")).toMatchObject({
      "gOptimizer.learningRate": "0.003",
      "dOptimizer.learningRate": "0.004",
    });
  });

  it("name the MNIST digits as a target: mnist[:DIGITS][,conditional], with examples/mnist's settings", () => {
    const digits = { ...DEFAULT_VALUES, ...DIM_DEFAULTS.image };
    const all = check({ ...digits, target: "mnist:conditional" });
    expect(all.errors).toEqual(new Map());
    expect(all.image).toEqual({ kind: "mnist", rows: 10_000, conditional: true });
    const { options, image } = check({ ...digits, target: "mnist:640" });
    expect(image).toEqual({ kind: "mnist", rows: 640, conditional: false });
    // The digits are the data: no target or sample count goes to the library, the batch size replaces the count.
    expect(options).not.toHaveProperty("target");
    expect(options).not.toHaveProperty("samples");
    expect(options).not.toHaveProperty("batches");
    expect(options).toMatchObject({
      batchSize: 64,
      shuffle: true,
      noiseDim: 100,
      gHidden: [256, 512],
      gActivation: { name: "leaky_relu", alpha: 0.2 },
      gOutputActivation: "tanh",
      gOptimizer: { type: "adam", beta1: 0.5, learningRate: 0.001 },
      logEvery: 1,
      metrics: ["images"],
    });
    for (const [target, message] of [
      ["mnist:0", /takes 1 to 10,000 digits, not 0/],
      ["mnist:20000", /takes 1 to 10,000 digits/],
      ["mnist:many", /the MNIST target is written mnist\[:DIGITS\]\[,conditional\]/],
    ] as const)
      expect(check({ ...digits, target }).errors.get("target"), target).toMatch(message);
    // Each kind of data is measured its own way.
    expect(check({ ...digits, target: "mnist", metrics: "kl" }).errors.get("metrics")).toMatch(/images alone/);
    expect(check({ ...DEFAULT_VALUES, metrics: "kl,images" }).errors.get("metrics")).toMatch(/MNIST digits only/);
    // More batches than the digits asked for: refused, as for samples.
    expect(check({ ...digits, target: "mnist:100", batchSize: "", batches: "200" }).errors.get("batches")).toMatch(
      /at most the number of samples/,
    );
  });

  it("take a batch size instead of a batch count, never both, and write a run's back that way", () => {
    expect(check({ ...DEFAULT_VALUES, batches: "", batchSize: "50" }).options).toMatchObject({ batchSize: 50 });
    expect(check({ ...DEFAULT_VALUES, batches: "3", batchSize: "50" }).errors.get("batchSize")).toMatch(
      /cannot be combined with batches/,
    );
    expect(check({ ...DEFAULT_VALUES, batches: "" }).errors.get("batches")).toBe("required");
    const resolved = resolveOptions({ batchSize: 50, shuffle: true, gActivation: "tanh" });
    const values = valuesOf(resolved as unknown as GANOptions); // as a checkpoint's options come
    expect(values).toMatchObject({ batches: "", batchSize: "50", shuffle: "true", gActivation: "tanh" });
    expect(check(values).errors).toEqual(new Map());
  });

  it("put the defaults back when a target of another kind takes over", () => {
    for (const key of Object.keys(DIM_DEFAULTS.image)) expect(DIM_DEFAULTS[1][key], key).toBe(DEFAULT_VALUES[key]);
    expect(DIM_DEFAULTS[2]).toMatchObject({ samples: "2000", gActivation: "relu", metrics: "kl,modes" });
    expect(resolveOptions(check({ ...DEFAULT_VALUES, ...DIM_DEFAULTS[1] }).options!)).toEqual(resolveOptions({}));
  });
});
