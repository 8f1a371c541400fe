// The page's settings (web/settings.ts) are the schema's page fields: the same names, defaults, parser
// and words as the library and the CLI. Runs in Node on the built package, as the page imports it.
import { describe, expect, it } from "vitest";
import { DEFAULTS, parseOption, resolveOptions, SCHEMA, type OptionEntry } from "../src/index.js";
import { FIELDS, DEFAULT_VALUES, check, fromQuery, toQuery } from "../web/settings.js";

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
});
