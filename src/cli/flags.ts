// The train command's options, derived from the option schema: each entry with a flag becomes one (its
// help, default and parser from the entry), and --config takes the library's own names. Both become one
// value per schema entry before they meet, so a flag overrides --config for the same setting whatever
// shape the config gave it (gOptimizer.learningRate and --g-lr are one entry). Errors name what the user
// typed: the flag, or the key in the config file.
import type { Command } from "commander";
import { Option } from "commander";
import { dirname, resolve } from "node:path";
import {
  METRICS,
  OptionError,
  SCHEMA,
  clash,
  joinOptions,
  parseOption,
  resolveValues,
  showValue,
  shownDefault,
  splitOptions,
  type GANOptions,
  type OptionEntry,
} from "../index.js";
import { readText } from "./files.js";
import { readDataFlag, readLabelsFlag } from "./datafile.js";
import { PIXEL_SCALES, type PixelScale } from "../data/dataset.js";
import { UsageError } from "./usage.js";

const ENTRIES = SCHEMA as readonly OptionEntry[];
const FLAGGED = ENTRIES.filter((e) => e.flag !== undefined);
const takesFile = (e: OptionEntry) => e.type.arg === "<file>";

/** A path argument: the empty string names no file, so it is refused rather than read as the current folder. */
export function pathArg(flag: string): (text: string) => string {
  return (text) => {
    if (text.trim() === "") throw new UsageError(`invalid ${flag} '${text}': must be a path, not empty`);
    return text;
  };
}

// What a flag's parser saw: the text, for messages that quote it.
const flagTexts = new WeakMap<Command, Map<string, string>>();

/** Adds --config and a flag per schema entry that has one; defaults are shown, not set, so --config can fill them. */
export function addTrainFlags(cmd: Command): Command {
  const texts = new Map<string, string>();
  flagTexts.set(cmd, texts);
  cmd.addOption(
    new Option(
      "--config <file>",
      'JSON file of options, by the library\'s names (e.g. {"gHidden": [64, 64]}); flags override it',
    ).argParser(pathArg("--config")),
  );
  for (const e of FLAGGED) {
    const arg = e.type.arg;
    const option = new Option(arg ? `${e.flag} ${arg}` : e.flag!, `${e.help} (default: ${shownDefault(e)})`);
    if (arg) {
      option.argParser((text: string) => {
        texts.set(e.name, text);
        if (takesFile(e)) return pathArg(e.flag!)(text);
        try {
          return parseOption(e.name, text, e.flag);
        } catch (error) {
          // A bad value as a whole is quoted as typed; a bad field inside it (--target.std) is named.
          if (error instanceof OptionError && error.option === e.flag)
            throw new UsageError(`invalid ${e.flag} '${text}': ${error.allowed}`);
          throw error;
        }
      });
    }
    cmd.addOption(option);
  }
  return cmd;
}

/** The settings of one train command: one value per schema entry, and where each came from. */
export interface TrainSettings {
  values: Map<string, unknown>;
  /** "flag", or "config" for a value from the --config file. */
  sources: Map<string, "flag" | "config">;
  /** The text each flag was given as, for messages that quote it. */
  texts: ReadonlyMap<string, string>;
  config: string | null;
}

async function configValues(path: string): Promise<Map<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(await readText(path, "--config"));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`invalid --config '${path}': not valid JSON (${(e as Error).message})`);
  }
  try {
    return splitOptions(value);
  } catch (e) {
    if (e instanceof OptionError && e.option === "options")
      throw new UsageError(`invalid --config '${path}': must hold a JSON object of options`);
    throw inConfig(e, path);
  }
}

function inConfig(e: unknown, path: string): unknown {
  if (!(e instanceof OptionError)) return e;
  return new UsageError(`invalid ${e.option} in --config '${path}': ${showValue(e.value)} (${e.allowed})`);
}

/** --config's values overlaid by the flags given; a CSV named by --data or the config's data is read. */
export async function trainSettings(cmd: Command): Promise<TrainSettings> {
  const opts = cmd.opts<Record<string, unknown>>();
  const config = (opts.config as string | undefined) ?? null;
  const values = config ? await configValues(config) : new Map<string, unknown>();
  const sources = new Map<string, "flag" | "config">([...values.keys()].map((k) => [k, "config"]));
  for (const option of cmd.options) {
    const e = FLAGGED.find((f) => option.long === f.flag);
    if (!e || cmd.getOptionValueSource(option.attributeName()) !== "cli") continue;
    values.set(e.name, opts[option.attributeName()]);
    sources.set(e.name, "flag");
  }
  // Files named by --data / --labels (or the config's data / labels, relative to it) are read here.
  const fileOf = (name: "data" | "labels") => {
    const path = values.get(name);
    if (typeof path !== "string") return null;
    const fromFlag = sources.get(name) === "flag";
    if (!fromFlag && path.trim() === "")
      throw new UsageError(`invalid ${name} in --config '${config}': "" (must be a path)`);
    return {
      file: fromFlag ? resolve(path) : resolve(dirname(config!), path),
      what: fromFlag ? `--${name}` : `--config ${name}`,
    };
  };
  const data = fileOf("data"),
    labels = fileOf("labels");
  if (data) {
    const scale = values.get("pixelScale");
    const ds = await readDataFlag(
      data.what,
      data.file,
      PIXEL_SCALES.includes(scale as PixelScale) ? (scale as PixelScale) : undefined,
    );
    if (values.has("dim") && values.get("dim") !== ds.dim)
      throw new UsageError(
        `invalid dim in --config '${config}': ${showValue(values.get("dim"))} (the data file has ${ds.dim})`,
      );
    values.set("data", ds.data);
    values.set("dim", ds.dim);
    sources.set("dim", sources.get("data")!);
    if (ds.shape.length >= 2) {
      values.set("sampleShape", ds.shape);
      sources.set("sampleShape", sources.get("data")!);
    }
    if (labels) {
      const l = await readLabelsFlag(labels.what, labels.file, ds.rows, data.file);
      values.set(
        "labels",
        Array.from(l.classes, (c) => l.values[c]!),
      );
    }
  } else if (labels) throw new UsageError(`invalid ${labels.what} '${values.get("labels")}': labels need --data`);
  return { values, sources, texts: flagTexts.get(cmd) ?? new Map(), config };
}

/** The options the settings describe, checked by the library's rules; errors name the flag or the config key. */
const entry = (name: string) => ENTRIES.find((e) => e.name === name)!;

// A flag's error quotes the text typed; a config value's names the key and the file.
function failure(s: TrainSettings, name: string, option: string, value: unknown, allowed: string): UsageError {
  return s.sources.get(name) === "flag"
    ? new UsageError(`invalid ${entry(name).flag ?? name} '${s.texts.get(name) ?? showValue(value)}': ${allowed}`)
    : new UsageError(`invalid ${option} in --config '${s.config}': ${showValue(value)} (${allowed})`);
}

/** An OptionError raised while a GAN is built from these settings (a memory limit), named as the user gave it. */
export function asSettingsError(e: unknown, s: TrainSettings): unknown {
  if (!(e instanceof OptionError) || !s.sources.has(e.option)) return e;
  return failure(s, e.option, e.option, e.value, e.allowed);
}

export function settingsOptions(s: TrainSettings): GANOptions {
  const fromFlag = (name: string) => s.sources.get(name) === "flag";
  const fail = (name: string, option: string, value: unknown, allowed: string) =>
    failure(s, name, option, value, allowed);
  const bad = clash(s.values.keys());
  if (bad) {
    // Name the other setting as the user gave it; "in --config" only when this one came from a flag.
    const other = fromFlag(bad.other)
      ? entry(bad.other).flag!
      : fromFlag(bad.name)
        ? `${bad.other} in --config`
        : bad.other;
    throw fail(bad.name, bad.name, s.values.get(bad.name), bad.allowed.replace(bad.other, other));
  }
  try {
    resolveValues(s.values);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    // The entry the error is about: gOptimizer for gOptimizer.beta1, data for data[3].
    let name = e.option;
    while (!s.sources.has(name) && /[.[]/.test(name)) name = name.replace(/[.[][^.[]*$/, "");
    if (!s.sources.has(name)) throw e;
    if (fromFlag(name) && e.option !== name) {
      const field = `${entry(name).flag ?? name}${e.option.slice(name.length)}`;
      throw new UsageError(`invalid ${field}: ${showValue(e.value)} (${e.allowed})`);
    }
    throw fail(name, e.option, e.value, e.allowed);
  }
  return joinOptions(s.values);
}

/**
 * trainSettings and settingsOptions in one: the GANOptions a train command line asks for. `allMetrics`
 * (--json) measures every metric unless the user chose some.
 */
export async function trainOptions(
  cmd: Command,
  { allMetrics = false } = {},
): Promise<{ options: GANOptions; settings: TrainSettings }> {
  const settings = await trainSettings(cmd);
  // Image data: per-pixel histograms say little and cost much, so --json measures the images metric.
  const images = settings.values.has("sampleShape");
  if (allMetrics && !settings.values.has("metrics")) settings.values.set("metrics", images ? ["images"] : [...METRICS]);
  return { options: settingsOptions(settings), settings };
}
