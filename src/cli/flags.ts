// The train command's flags: one table mapping each to its GANOptions field, parser and help text, so
// adding an option is adding a row. Numeric flags use the library's own rules (NUMERIC_RULES), so the CLI
// and the API reject the same values with the same words.
import { Command, Option } from "commander";
import {
  DEFAULTS,
  METRICS,
  NUMERIC_RULES,
  formatTarget,
  parseTarget,
  type GANOptions,
  type NumericOption,
  type OptimizerSpec,
} from "../index.js";
import { UsageError } from "./usage.js";

type Parser = (text: string, flag: string) => unknown;

function invalid(flag: string, text: string, allowed: string): UsageError {
  return new UsageError(`invalid ${flag} '${text}': ${allowed}`);
}

const numeric =
  (option: NumericOption): Parser =>
  (text, flag) => {
    const rule = NUMERIC_RULES[option];
    const v = text.trim() === "" ? NaN : Number(text);
    if (!rule.check(v)) throw invalid(flag, text, rule.allowed);
    return v;
  };

const widths: Parser = (text, flag) => {
  const parts = text.split(",").map((s) => s.trim());
  const values = parts.map(Number);
  if (parts.some((p) => p === "") || values.some((w) => !Number.isInteger(w) || w < 1)) {
    throw invalid(flag, text, "must be comma-separated whole numbers >= 1, e.g. 32 or 64,64");
  }
  return values;
};

const oneOf =
  (allowed: readonly string[]): Parser =>
  (text, flag) => {
    if (!allowed.includes(text)) throw invalid(flag, text, `must be one of ${allowed.join(", ")}`);
    return text;
  };

const activation: Parser = (text, flag) => {
  const m = /^leaky_relu:(.+)$/.exec(text);
  if (m) {
    const alpha = Number(m[1]);
    if (!Number.isFinite(alpha) || alpha < 0)
      throw invalid(flag, text, "leaky_relu's slope must be a number >= 0, e.g. leaky_relu:0.2");
    return { name: "leaky_relu", alpha };
  }
  return oneOf(["relu", "leaky_relu", "sigmoid", "tanh", "linear"])(text, flag);
};

// adam | rmsprop | sgd, optionally with parameters: adam:beta1=0.5,beta2=0.9  sgd:momentum=0.9
const OPTIMIZER_PARAMS: Record<string, readonly string[]> = {
  adam: ["beta1", "beta2", "epsilon"],
  rmsprop: ["rho", "momentum", "epsilon"],
  sgd: ["momentum"],
};
const optimizer: Parser = (text, flag) => {
  const [type = "", params = ""] = text.split(":", 2);
  const known = OPTIMIZER_PARAMS[type];
  if (!known)
    throw invalid(flag, text, "must be adam, rmsprop or sgd, optionally with parameters, e.g. sgd:momentum=0.9");
  const spec: Record<string, unknown> = { type };
  for (const pair of params ? params.split(",") : []) {
    const [key = "", value = ""] = pair.split("=", 2).map((s) => s.trim());
    const v = Number(value);
    if (!known.includes(key) || value === "" || !Number.isFinite(v))
      throw invalid(flag, text, `${type} takes ${known.map((k) => `${k}=<number>`).join(", ")}`);
    spec[key] = v;
  }
  return spec;
};

const target: Parser = (text, flag) => {
  try {
    return parseTarget(text, flag);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
};

const metrics: Parser = (text, flag) => {
  const list = text.split(",").map((s) => s.trim());
  if (list.some((m) => !(METRICS as readonly string[]).includes(m)))
    throw invalid(flag, text, `must be a comma-separated list of ${METRICS.join(", ")}`);
  return list;
};

interface Flag {
  flags: string;
  key: keyof GANOptions | "gOptimizerType" | "dOptimizerType";
  help: string;
  parse?: Parser;
  shown?: string;
}

const d = DEFAULTS;
export const TRAIN_FLAGS: readonly Flag[] = [
  {
    flags: "--seed <n>",
    key: "seed",
    help: "seed of every random draw (data, weights, noise)",
    parse: numeric("seed"),
  },
  {
    flags: "--target <spec>",
    key: "target",
    help: "distribution of the real data: normal[:MEAN,STD], uniform[:A,B], mixture:M1,M2,... (each MEAN[~STD][@WEIGHT]), ring[:MODES,RADIUS,STD], grid[:SIZE,SPACING,STD]",
    parse: target,
    shown: formatTarget(d.target),
  },
  { flags: "--samples <n>", key: "samples", help: "real samples drawn from the target", parse: numeric("samples") },
  { flags: "--epochs <n>", key: "epochs", help: "epochs to train", parse: numeric("epochs") },
  {
    flags: "--batches <n>",
    key: "batches",
    help: "mini-batches per epoch, the seed's way (the last takes the remainder)",
    parse: numeric("batches"),
  },
  {
    flags: "--batch-size <n>",
    key: "batchSize",
    help: "rows per mini-batch instead of --batches",
    parse: numeric("batchSize"),
    shown: "none",
  },
  { flags: "--shuffle", key: "shuffle", help: "reshuffle the real rows before every epoch" },
  { flags: "--noise-dim <n>", key: "noiseDim", help: "noise values per generated sample", parse: numeric("noiseDim") },
  {
    flags: "--noise <kind>",
    key: "noise",
    help: "noise distribution: uniform (on [-1, 1]) or normal",
    parse: oneOf(["uniform", "normal"]),
  },
  {
    flags: "--g-hidden <widths>",
    key: "gHidden",
    help: "generator hidden widths, comma-separated",
    parse: widths,
    shown: d.gHidden.join(","),
  },
  {
    flags: "--d-hidden <widths>",
    key: "dHidden",
    help: "discriminator hidden widths, comma-separated",
    parse: widths,
    shown: d.dHidden.join(","),
  },
  {
    flags: "--g-activation <name>",
    key: "gActivation",
    help: "generator hidden activation: relu, leaky_relu[:ALPHA], sigmoid, tanh, linear",
    parse: activation,
  },
  {
    flags: "--d-activation <name>",
    key: "dActivation",
    help: "discriminator hidden activation (as --g-activation)",
    parse: activation,
  },
  { flags: "--g-lr <rate>", key: "gLearningRate", help: "generator learning rate", parse: numeric("gLearningRate") },
  {
    flags: "--d-lr <rate>",
    key: "dLearningRate",
    help: "discriminator learning rate",
    parse: numeric("dLearningRate"),
  },
  {
    flags: "--g-optimizer <spec>",
    key: "gOptimizerType",
    help: "generator optimizer: adam, rmsprop or sgd, with parameters, e.g. adam:beta1=0.5 or sgd:momentum=0.9",
    parse: optimizer,
    shown: "adam",
  },
  {
    flags: "--d-optimizer <spec>",
    key: "dOptimizerType",
    help: "discriminator optimizer (as --g-optimizer)",
    parse: optimizer,
    shown: "adam",
  },
  {
    flags: "--loss <name>",
    key: "loss",
    help: "objective: minimax (the seed's BCE), non-saturating, lsgan",
    parse: oneOf(["minimax", "non-saturating", "lsgan"]),
  },
  {
    flags: "--d-steps <n>",
    key: "dSteps",
    help: "discriminator updates per generator update",
    parse: numeric("dSteps"),
  },
  {
    flags: "--real-label <y>",
    key: "realLabel",
    help: "target for real rows (label smoothing)",
    parse: numeric("realLabel"),
  },
  { flags: "--fake-label <y>", key: "fakeLabel", help: "target for fake rows", parse: numeric("fakeLabel") },
  { flags: "--log-every <n>", key: "logEvery", help: "report every n epochs", parse: numeric("logEvery") },
  {
    flags: "--eval-samples <n>",
    key: "evalSamples",
    help: "generated samples measured at each report",
    parse: numeric("evalSamples"),
  },
  {
    flags: "--metrics <list>",
    key: "metrics",
    help: `what the report lines carry: ${METRICS.join(", ")} (--json carries all)`,
    parse: metrics,
    shown: d.metrics.join(","),
  },
  {
    flags: "--threads <n|auto>",
    key: "threads",
    help: "threads running the kernels (auto: every core); same results at any count",
    parse: (text, flag) => threadCount(text, flag),
    shown: "1",
  },
];

/** --threads: a whole number in [1, 256] or auto (also for resume, which takes no other training flag). */
export function threadCount(text: string, flag = "--threads"): number | "auto" {
  if (text === "auto") return "auto";
  const v = text.trim() === "" ? NaN : Number(text);
  if (!Number.isInteger(v) || v < 1 || v > 256) throw invalid(flag, text, "must be auto or a whole number in [1, 256]");
  return v;
}

const camel = (flags: string) =>
  flags
    .split(" ")[0]!
    .slice(2)
    .replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

function shownDefault(f: Flag): string {
  if (f.shown !== undefined) return f.shown;
  if (f.key === "shuffle") return "off";
  const v = (d as Record<string, unknown>)[f.key];
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** Adds the training flags to a command; defaults are shown in help but left unset, so a --config file can fill them. */
export function addTrainFlags(cmd: Command): Command {
  for (const f of TRAIN_FLAGS) {
    const option = new Option(f.flags, `${f.help} (default: ${shownDefault(f)})`);
    if (f.parse) {
      const parse = f.parse,
        flag = f.flags.split(" ")[0]!;
      option.argParser((text: string) => parse(text, flag));
    }
    cmd.addOption(option);
  }
  return cmd;
}

/** The GANOptions the user set on the command line (flags given, nothing else). */
export function flagOptions(cmd: Command): GANOptions {
  const values = cmd.opts() as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of TRAIN_FLAGS) {
    const v = values[camel(f.flags)];
    if (v === undefined || cmd.getOptionValueSource(camel(f.flags)) !== "cli") continue;
    out[f.key] = v;
  }
  // An optimizer flag names the kind; its learning rate stays with --g-lr / --d-lr.
  for (const side of ["g", "d"] as const) {
    const spec = out[`${side}OptimizerType`] as Record<string, unknown> | undefined;
    if (spec) out[`${side}Optimizer`] = spec;
    delete out[`${side}OptimizerType`];
  }
  return out as GANOptions;
}

/** Fills in the learning rate of optimizer kinds given without one, from the rates in force. */
export function completeOptimizers(o: GANOptions): GANOptions {
  const rate = (side: "g" | "d") => o[`${side}LearningRate`] ?? DEFAULTS[`${side}LearningRate`];
  const fill = (spec: OptimizerSpec | undefined, side: "g" | "d") =>
    spec && spec.learningRate === undefined ? ({ ...spec, learningRate: rate(side) } as OptimizerSpec) : spec;
  const out = { ...o };
  const g = fill(o.gOptimizer, "g"),
    dd = fill(o.dOptimizer, "d");
  if (g) out.gOptimizer = g;
  if (dd) out.dOptimizer = dd;
  return out;
}
