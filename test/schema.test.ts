// The option schema, walked entry by entry: every option takes a good value and refuses a bad one through
// the library, through a --config file and through its command-line flag, with the same words for the
// same bad value. A new option without an example here fails the first test.
import { describe, expect, it } from "vitest";
import { Command } from "commander";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createGAN,
  joinOptions,
  OptionError,
  resolveOptions,
  SCHEMA,
  toCheckpoint,
  type GANOptions,
  type OptionEntry,
  type OptionName,
} from "../src/index.js";
import { addTrainFlags, trainOptions } from "../src/cli/flags.js";
import { optionsMarkdown, spliceOptions } from "../src/options/markdown.js";

const dir = await mkdtemp(join(tmpdir(), "simdgan-schema-"));

interface Example {
  good: unknown;
  bad: unknown;
  /** The bad value as flag text, when the type cannot format it (a target that does not validate). */
  badText?: string;
  /** Other options the value needs (dim needs data). */
  with?: Record<string, unknown>;
}

// One good and one bad value per option; typed by OptionName, so a new option must add its own.
const EXAMPLES: Record<OptionName, Example> = {
  seed: { good: 7, bad: 4294967296 },
  target: { good: { kind: "ring", modes: 4 }, bad: { kind: "normal", std: -1 }, badText: "normal:0,-1" },
  samples: { good: 20, bad: 0 },
  data: { good: [0.5, 1.5, -1, 2], bad: [1, 1e39] },
  dim: { good: 2, bad: 0, with: { data: [1, 2, 3, 4, 5, 6] } },
  labels: { good: [3, 7, 3], bad: [1, 2.5, 1], with: { data: [0.5, 1.5, -1] } },
  sampleShape: { good: [2, 1], bad: [0], with: { data: [1, 2, 3, 4, 5, 6], dim: 2 } },
  pixelScale: { good: "unit", bad: "linear" },
  gOutputActivation: { good: "tanh", bad: "swish" },
  epochs: { good: 5, bad: 2.5 },
  batches: { good: 4, bad: 0 },
  batchSize: { good: 8, bad: -1 },
  shuffle: { good: true, bad: "yes" },
  noiseDim: { good: 4, bad: 1.5 },
  noise: { good: "normal", bad: "gaussian" },
  gHidden: { good: [8, 4], bad: [8, 0] },
  dHidden: { good: [6], bad: [2.5] },
  gActivation: { good: { name: "leaky_relu", alpha: 0.3 }, bad: "swish" },
  dActivation: { good: "tanh", bad: { name: "leaky_relu", alpha: -1 } },
  gOptimizer: { good: { type: "rmsprop", rho: 0.8 }, bad: { type: "adam", beta1: 1 } },
  "gOptimizer.learningRate": { good: 0.01, bad: 1e-46 },
  dOptimizer: { good: { type: "sgd", momentum: 0.5 }, bad: { type: "sgd", rho: 0.5 } },
  "dOptimizer.learningRate": { good: 0.02, bad: 0 },
  realLabel: { good: 1, bad: 1.5 },
  fakeLabel: { good: 0, bad: -0.1 },
  loss: { good: "lsgan", bad: "hinge" },
  dSteps: { good: 2, bad: 0 },
  logEvery: { good: 3, bad: 0 },
  evalSamples: { good: 50, bad: 0 },
  metrics: { good: ["kl", "w1"], bad: ["kl", "fid"] },
};

const entries = SCHEMA as readonly OptionEntry[];
const valuesOf = (name: string, value: unknown, extra: Record<string, unknown> = {}) =>
  joinOptions(new Map([...Object.entries(extra), [name, value]]));

/** The options a train command line gives, in process: the CLI's own flags and --config handling. */
async function cli(args: string[]): Promise<GANOptions> {
  const cmd = addTrainFlags(new Command("train").exitOverride().action(() => undefined));
  cmd.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  await cmd.parseAsync(args, { from: "user" });
  return (await trainOptions(cmd)).options;
}

let files = 0;
async function config(options: GANOptions | Record<string, unknown>): Promise<string> {
  const path = join(dir, `config-${files++}.json`);
  await writeFile(path, JSON.stringify(options));
  return path;
}

/** A CSV file of one column: the CLI's form of data. */
async function csv(values: readonly number[]): Promise<string> {
  const path = join(dir, `data-${files++}.csv`);
  await writeFile(path, values.map(String).join("\n") + "\n");
  return path;
}

// The flag's text for a value, as a user types it.
function flagArgs(e: OptionEntry, value: unknown, text?: string): string[] {
  if (e.type.arg === undefined) return value === true ? [e.flag!] : [];
  return [e.flag!, text ?? e.type.format(value)];
}

function libraryError(options: GANOptions): OptionError {
  try {
    resolveOptions(options);
  } catch (e) {
    expect(e).toBeInstanceOf(OptionError);
    return e as OptionError;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe("the option schema", () => {
  it("has one example per entry and one entry per name and flag", () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(entries.map((e) => e.name).sort());
    const flags = entries.flatMap((e) => (e.flag ? [e.flag] : []));
    expect(new Set(flags).size).toBe(flags.length);
    for (const e of entries) {
      expect(e.help.length, e.name).toBeGreaterThan(10);
      // Every default passes its own check.
      if (e.default !== undefined) expect(() => e.type.check(e.default, e.name)).not.toThrow();
    }
  });

  describe.each(entries.map((e) => [e.name, e] as const))("%s", (name, e) => {
    const ex = EXAMPLES[name as OptionName];

    it("the library takes the good value and refuses the bad one, naming it", () => {
      const resolved = resolveOptions(valuesOf(name, ex.good, ex.with)) as unknown as Record<string, unknown>;
      const [top, field] = name.split(".");
      const kept = field ? (resolved[top!] as Record<string, unknown>)[field] : resolved[top!];
      // (An optimizer's entry holds its kind and parameters; the resolved optimizer adds its learning rate.)
      const expected = e.type.check(ex.good, name);
      if (typeof expected === "object" && !ArrayBuffer.isView(expected)) expect(kept).toMatchObject(expected!);
      else expect(kept).toEqual(expected);
      const error = libraryError(valuesOf(name, ex.bad, ex.with));
      expect(error.option.startsWith(name)).toBe(true);
      expect(error.message).toContain(error.allowed);
    });

    it("--config takes the same names, with the library's words for the bad value", async () => {
      const allowed = libraryError(valuesOf(name, ex.bad, ex.with)).allowed;
      const good = await cli(["--config", await config(valuesOf(name, ex.good, ex.with))]);
      expect(() => resolveOptions(good)).not.toThrow();
      const bad = cli(["--config", await config(valuesOf(name, ex.bad, ex.with))]);
      await expect(bad).rejects.toThrow(`in --config`);
      await expect(bad).rejects.toThrow(`(${allowed})`);
    });

    if (e.flag === undefined) return; // dim: the command line takes it from the CSV file with --data
    it("its flag takes the good value and refuses the bad one in the same words", async () => {
      if (name === "data") {
        // The command line's data is a CSV file: its cells are checked by the CSV reader, line and column.
        const options = await cli(["--data", await csv(ex.good as number[])]);
        expect(Array.from(resolveOptions(options).data!)).toEqual(ex.good);
        await expect(cli(["--data", await csv(ex.bad as number[])])).rejects.toThrow(/line 2, column 1/);
        return;
      }
      if (name === "labels") {
        // A labels file beside a data file; a bad label is named by its row.
        const data = await csv((ex.with as { data: number[] }).data);
        const options = await cli(["--data", data, "--labels", await csv(ex.good as number[])]);
        expect(resolveOptions(options).labels).toEqual(ex.good);
        await expect(cli(["--data", data, "--labels", await csv(ex.bad as number[])])).rejects.toThrow(
          /invalid --labels '.*': label 2.5 at row 2 is not a whole number/,
        );
        return;
      }
      const options = await cli(flagArgs(e, ex.good));
      expect(joinOptions(new Map([[name, e.type.check(ex.good, name)]]))).toEqual(options);
      if (e.type.arg === undefined) return; // an on/off flag has no bad value to type
      const allowed = libraryError(valuesOf(name, ex.bad, ex.with)).allowed;
      const text = ex.badText ?? e.type.format(ex.bad);
      const bad = cli(flagArgs(e, ex.bad, text));
      await expect(bad).rejects.toThrow(allowed);
      await expect(bad).rejects.toThrow(e.flag!);
    });
  });
});

describe("the README's option list", () => {
  it("is the schema's, as scripts/options-readme.mjs writes it (run it after changing an option)", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    expect(spliceOptions(readme)).toBe(readme);
    for (const e of entries) expect(optionsMarkdown()).toContain(`| \`${e.name}\` |`);
  });
});

describe("one setting, one name", () => {
  it("a flag overrides --config for the same setting, whatever shape the config gave it", async () => {
    const path = await config({ gOptimizer: { type: "sgd", learningRate: 0.1 } });
    const options = await cli(["--config", path, "--g-lr", "0.5", "--epochs", "2"]);
    expect(options.gOptimizer).toEqual({ type: "sgd", learningRate: 0.5 });
    const fromCli = await createGAN(options);
    expect(fromCli.gOptimizer.spec).toMatchObject({ type: "sgd", learningRate: 0.5 });
    // It trains as the library does at 0.5, bit for bit, and the checkpoint records one learning rate.
    const direct = await createGAN({ gOptimizer: { type: "sgd", learningRate: 0.5 }, epochs: 2 });
    fromCli.train();
    direct.train();
    expect(fromCli.generator.getWeights()).toEqual(direct.generator.getWeights());
    const stored = JSON.stringify(toCheckpoint(fromCli).options);
    expect(stored.match(/learningRate/gi)).toHaveLength(2); // G's and D's, once each
    expect(toCheckpoint(fromCli).options.gOptimizer).toEqual({ type: "sgd", learningRate: 0.5 });
  });

  it("keeps the config's other optimizer fields under --g-lr, and its rate under --g-optimizer", async () => {
    const path = await config({ gOptimizer: { type: "adam", beta1: 0.5, learningRate: 0.01 } });
    expect((await cli(["--config", path, "--g-lr", "0.2"])).gOptimizer).toEqual({
      type: "adam",
      beta1: 0.5,
      learningRate: 0.2,
    });
    expect((await cli(["--config", path, "--g-optimizer", "sgd"])).gOptimizer).toEqual({
      type: "sgd",
      learningRate: 0.01,
    });
  });
});

describe("the library refuses what it cannot use", () => {
  it.each([
    [{ gHiden: [8] }, /invalid gHiden: \[8\] \(not an option; did you mean gHidden\?\)/],
    [{ gLearningRate: 0.1 }, /invalid gLearningRate: 0.1 \(not an option; did you mean gOptimizer.learningRate\?\)/],
    ["x", /invalid options: "x" \(must be an object of options/],
    [5, /invalid options: 5 \(/],
    [[], /invalid options: \[\] \(/],
    [null, /invalid options: null \(/],
    [{ samples: 10n }, /invalid samples: 10n \(must be a whole number >= 1\)/],
    [{ seed: null }, /invalid seed: null \(must be a whole number/],
    [{ epochs: NaN }, /invalid epochs: NaN \(/],
    [{ gHidden: [8, Infinity] }, /invalid gHidden: \[8,Infinity\] \(/],
    [{ realLabel: -Infinity }, /invalid realLabel: -Infinity \(/],
    [{ gOptimizer: { learningRate: 1e-46 } }, /gOptimizer.learningRate: 1e-46 \(must be a number > 0 that float32/],
    [{ dOptimizer: { learningRate: 1e39 } }, /dOptimizer.learningRate: 1e\+39/],
    [{ gOptimizer: { type: "adam", epsilon: 1e-50 } }, /gOptimizer.epsilon: 1e-50/],
    [{ batches: 3, batchSize: 100 }, /invalid batchSize: 100 \(cannot be combined with batches\)/],
    [{ data: [1, 2], target: { kind: "normal" } }, /invalid data: \[1,2\] \(cannot be combined with target\)/],
    [{ data: [1, 2], samples: 2 }, /cannot be combined with samples/],
    [{ dim: 2 }, /invalid dim: 2 \(only with data\)/],
  ])("createGAN(%s) throws an OptionError naming the option", async (options, message) => {
    await expect(createGAN(options as GANOptions)).rejects.toThrow(OptionError);
    await expect(createGAN(options as GANOptions)).rejects.toThrow(message);
  });

  it("a batch count applies only when it governs: two samples train with batchSize 1", async () => {
    const gan = await createGAN({ samples: 2, batchSize: 1, epochs: 2, evalSamples: 10 });
    expect(gan.train().epochs).toBe(2);
    const own = await createGAN({ data: [0.5, 1.5], batchSize: 1, epochs: 2, evalSamples: 10 });
    expect(own.train().epochs).toBe(2);
    await expect(createGAN({ samples: 2 })).rejects.toThrow(
      /invalid batches: 3 \(must be at most the number of samples/,
    );
  });
});

describe("the command line reads numbers and specs strictly", () => {
  it.each(["0x10", "0b10", "0o10", " 5", "5 ", "1e", "Infinity", "5,", ""])(
    "--samples '%s' is refused",
    async (text) => {
      await expect(cli(["--samples", text])).rejects.toThrow(
        `invalid --samples '${text}': must be a whole number >= 1`,
      );
    },
  );

  it("decimal and exponent forms are numbers", async () => {
    expect((await cli(["--samples", "1e3", "--g-lr", ".5", "--real-label", "+1"])).samples).toBe(1000);
  });

  it.each([
    ["adam:beta1=0.5:beta2=0.9", /adam takes beta1, beta2, epsilon/],
    ["adam:beta1=0.5=0.7", /adam takes beta1/],
    ["adam:", /adam takes beta1/],
    ["adam:beta1=0x1", /adam takes beta1/],
    ["sgd:beta1=0.5", /sgd takes momentum/],
    ["adam:beta1=1", /invalid --g-optimizer.beta1: 1 \(must be a number in \[0, 1\)\)/],
  ])("--g-optimizer '%s' is refused, not cut short", async (text, message) => {
    await expect(cli(["--g-optimizer", text])).rejects.toThrow(message);
  });

  it("learning rates that float32 rounds to 0, or cannot hold, are refused", async () => {
    await expect(cli(["--g-lr", "1e-46"])).rejects.toThrow(/invalid --g-lr '1e-46': must be a number > 0 that float32/);
    await expect(cli(["--d-lr", "1e39"])).rejects.toThrow(/invalid --d-lr '1e39'/);
    expect((await cli(["--g-lr", "1e-45"])).gOptimizer).toEqual({ learningRate: 1e-45 });
  });

  it("settings that contradict each other are refused, by the names the user gave", async () => {
    const data = await csv([1, 2, 3]);
    await expect(cli(["--batches", "3", "--batch-size", "100"])).rejects.toThrow(
      "invalid --batch-size '100': cannot be combined with --batches",
    );
    await expect(cli(["--data", data, "--target", "ring"])).rejects.toThrow(
      `invalid --data '${data}': cannot be combined with --target`,
    );
    const path = await config({ batches: 2 });
    await expect(cli(["--config", path, "--batch-size", "5"])).rejects.toThrow(
      "invalid --batch-size '5': cannot be combined with batches in --config",
    );
    await expect(cli(["--config", await config({ samples: 10, data: [1, 2] })])).rejects.toThrow(
      /invalid data in --config '.*': \[1,2\] \(cannot be combined with samples\)/,
    );
  });

  it("empty paths are refused", async () => {
    await expect(cli(["--data", ""])).rejects.toThrow("invalid --data '': must be a path, not empty");
    await expect(cli(["--config", ""])).rejects.toThrow("invalid --config '': must be a path, not empty");
    await expect(cli(["--config", await config({ data: "" })])).rejects.toThrow(/invalid data in --config/);
  });
});
