// The kinds of value an option can take. Each knows what it allows (one sentence, used by every error),
// how to check a value from the library or a JSON file, how to read it from text (a flag, a form field)
// and how to write it back as that text. The CLI, --config, the page and the library share these, so the
// same bad value gets the same words everywhere.
import { OptionError } from "../errors.js";
import { parseDecimal } from "../data/decimal.js";
import { formatTarget, parseTarget, type Target, type TargetSpec, validateTarget } from "../data/targets.js";
import { ACTIVATIONS, type ActivationSpec } from "../model/activation.js";
import { OPTIMIZER_PARAMS } from "../optim/params.js";
import type { OptimizerName } from "../optim/optimizer.js";

/** `In`: what a caller may pass; `Out`: what the trainer keeps after the check. */
export interface ValueType<Out = unknown, In = Out> {
  /** What a valid value is, as every error message says it. */
  readonly allowed: string;
  /** The placeholder of a flag's argument in --help, e.g. <n>; absent for an on/off flag. */
  readonly arg?: string;
  /** For the page: the texts a select offers (absent: a free text input). */
  readonly choices?: readonly string[];
  /** Checks a value from the library or a JSON file; throws an OptionError naming `name`. */
  check(value: unknown, name: string): Out;
  /** Reads a flag's or a form field's text; what it returns still goes through check. */
  parse(text: string, name: string): unknown;
  /** The text parse reads back as the value: --help's defaults, the page's fields, the README. */
  format(value: Out): string;
  /** Phantom: lets the schema derive GANOptions' field types. */
  readonly __in?: In;
}

// Plain decimals only: hex, binary, octal, "Infinity" and padded text are refused, not read as numbers.
const decimal = (text: string): number => parseDecimal(text) ?? NaN;

function numberType(allowed: string, ok: (v: number) => boolean, arg: string): ValueType<number> {
  return {
    allowed,
    arg,
    check(value, name) {
      if (typeof value !== "number" || !ok(value)) throw new OptionError(name, value, allowed);
      return value;
    },
    parse: decimal,
    format: String,
  };
}

/** A whole number in [min, max]. */
export function whole(min: number, max?: number): ValueType<number> {
  const allowed = max === undefined ? `must be a whole number >= ${min}` : `must be a whole number in [${min}, ${max}]`;
  return numberType(allowed, (v) => Number.isInteger(v) && v >= min && (max === undefined || v <= max), "<n>");
}

/** A number the kernels take as float32: finite there and not rounded to 0 (a learning rate, epsilon). */
export const float32Positive = numberType(
  "must be a number > 0 that float32 holds: 1.4e-45 to 3.4e38",
  (v) => Math.fround(v) > 0 && Number.isFinite(Math.fround(v)),
  "<rate>",
);

/** A number in [0, 1]: a label target. */
export const unitInterval = numberType("must be a number in [0, 1]", (v) => v >= 0 && v <= 1, "<y>");

/** One of a fixed list of names. */
export function oneOf<T extends string>(names: readonly T[], arg = "<name>"): ValueType<T> {
  const allowed = `must be one of ${names.join(", ")}`;
  return {
    allowed,
    arg,
    choices: names,
    check(value, name) {
      if (!(names as readonly unknown[]).includes(value)) throw new OptionError(name, value, allowed);
      return value as T;
    },
    parse: (text) => text,
    format: String,
  };
}

/** Threads running the kernels: a count in [1, 256], or auto (every available core). */
export const threadCount: ValueType<number | "auto"> = {
  allowed: 'must be "auto" or a whole number in [1, 256]',
  arg: "<n|auto>",
  check(value, name) {
    if (value !== "auto" && !(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 256))
      throw new OptionError(name, value, this.allowed);
    return value as number | "auto";
  },
  parse: (text) => (text === "auto" ? text : decimal(text)),
  format: String,
};

export const onOff: ValueType<boolean> = {
  allowed: "must be true or false",
  choices: ["false", "true"],
  check(value, name) {
    if (typeof value !== "boolean") throw new OptionError(name, value, this.allowed);
    return value;
  },
  parse: (text) => (text === "true" ? true : text === "false" ? false : text),
  format: String,
};

/** Hidden layer widths; the command line and the page write them comma-separated. */
export const widths: ValueType<number[], readonly number[]> = {
  allowed: "must be a list of whole numbers >= 1, one per hidden layer",
  arg: "<widths>",
  check(value, name) {
    if (!Array.isArray(value) || value.some((w) => !Number.isInteger(w) || w < 1))
      throw new OptionError(name, value, this.allowed);
    return [...(value as number[])];
  },
  parse: (text) => text.split(",").map(decimal),
  format: (v) => v.join(","),
};

/** A list drawn from `names`, comma-separated as text. */
export function listOf<T extends string>(names: readonly T[]): ValueType<T[], readonly T[]> {
  const allowed = `must be a list of ${names.join(", ")}`;
  return {
    allowed,
    arg: "<list>",
    check(value, name) {
      if (!Array.isArray(value) || value.some((m) => !(names as readonly unknown[]).includes(m)))
        throw new OptionError(name, value, allowed);
      return [...(value as T[])];
    },
    parse: (text) => text.split(","),
    format: (v) => v.join(","),
  };
}

/** relu, ..., or leaky relu with its slope: "leaky_relu:0.2" as text, { name: "leaky_relu", alpha } as a value. */
export const activation: ValueType<ActivationSpec> = {
  allowed: `must be one of ${ACTIVATIONS.join(", ")}`,
  arg: "<name>",
  choices: ACTIVATIONS,
  check(value, name) {
    if (typeof value === "string") {
      if (!(ACTIVATIONS as readonly string[]).includes(value)) throw new OptionError(name, value, this.allowed);
      return value as ActivationSpec;
    }
    const v = value as { name?: unknown; alpha?: unknown } | null;
    if (typeof v !== "object" || v === null || Array.isArray(v) || v.name !== "leaky_relu")
      throw new OptionError(name, value, this.allowed);
    const extra = Object.keys(v).find((k) => k !== "name" && k !== "alpha");
    if (extra !== undefined)
      throw new OptionError(`${name}.${extra}`, v[extra as keyof typeof v], "leaky_relu takes alpha");
    // alpha >= 0 keeps the sign of the output equal to that of the input, which the fused backward relies on.
    if (typeof v.alpha !== "number" || !Number.isFinite(v.alpha) || v.alpha < 0)
      throw new OptionError(`${name}.alpha`, v.alpha, "must be a number >= 0, leaky_relu's slope");
    return { name: "leaky_relu", alpha: v.alpha };
  },
  parse(text) {
    const m = /^leaky_relu:(.*)$/.exec(text);
    return m ? { name: "leaky_relu", alpha: decimal(m[1]!) } : text;
  },
  format: (v) => (typeof v === "string" ? v : `${v.name}:${v.alpha}`),
};

/** An optimizer's kind and parameters, without its learning rate (an option of its own). */
export interface OptimizerChoice {
  type: OptimizerName;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  rho?: number;
  momentum?: number;
}

const paramNames = (type: OptimizerName) => Object.keys(OPTIMIZER_PARAMS[type]);
const takes = (type: OptimizerName) => `${type} takes ${paramNames(type).join(", ")}`;
const OPTIMIZER_NAMES = Object.keys(OPTIMIZER_PARAMS) as OptimizerName[];

/** { type, ...parameters }; as text adam | rmsprop | sgd, optionally with parameters: adam:beta1=0.5,beta2=0.9. */
export const optimizer: ValueType<OptimizerChoice, { type?: OptimizerName; [param: string]: unknown }> = {
  allowed: `must be ${OPTIMIZER_NAMES.join(", ")} with its parameters (${OPTIMIZER_NAMES.map(takes).join("; ")})`,
  arg: "<spec>",
  choices: OPTIMIZER_NAMES,
  check(value, name) {
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new OptionError(name, value, this.allowed);
    const { type = "adam", ...params } = value as Record<string, unknown>;
    if (!(OPTIMIZER_NAMES as unknown[]).includes(type))
      throw new OptionError(`${name}.type`, type, `must be one of ${OPTIMIZER_NAMES.join(", ")}`);
    const kind = type as OptimizerName,
      out: OptimizerChoice = { type: kind },
      set = out as unknown as Record<string, number>;
    for (const [key, v] of Object.entries(params)) {
      if (v === undefined) continue;
      if (!paramNames(kind).includes(key)) throw new OptionError(`${name}.${key}`, v, takes(kind));
      if (key === "epsilon") set[key] = float32Positive.check(v, `${name}.${key}`);
      else if (typeof v === "number" && v >= 0 && v < 1) set[key] = v;
      else throw new OptionError(`${name}.${key}`, v, "must be a number in [0, 1)");
    }
    return out;
  },
  parse(text, name) {
    // One ':' between the kind and its parameters, one '=' in each: anything more is a mistake, not ignored.
    const colon = text.indexOf(":");
    const type = colon < 0 ? text : text.slice(0, colon);
    if (!(OPTIMIZER_NAMES as string[]).includes(type))
      throw new OptionError(name, text, `must be one of ${OPTIMIZER_NAMES.join(", ")}, e.g. adam or adam:beta1=0.5`);
    const spec: Record<string, unknown> = { type };
    if (colon < 0) return spec;
    for (const pair of text.slice(colon + 1).split(",")) {
      const parts = pair.split("=");
      const v = parts.length === 2 ? parseDecimal(parts[1]!) : undefined;
      if (v === undefined || !paramNames(type as OptimizerName).includes(parts[0]!))
        throw new OptionError(name, text, `${takes(type as OptimizerName)}, each as NAME=<number>, comma-separated`);
      spec[parts[0]!] = v;
    }
    return spec;
  },
  format(v) {
    const params = Object.entries(v).filter(([k]) => k !== "type");
    return params.length ? `${v.type}:${params.map(([k, x]) => `${k}=${x}`).join(",")}` : v.type;
  },
};

/** A target distribution: an object, or its spec string (normal:0,1). */
export const target: ValueType<Target, TargetSpec | string> = {
  allowed: "must be a target: normal, uniform, mixture, ring or grid with its parameters",
  arg: "<spec>",
  check: (value, name) => (typeof value === "string" ? parseTarget(value, name) : validateTarget(value, name)),
  parse: (text, name) => parseTarget(text, name),
  format: (v) => formatTarget(v),
};

/** The user's own rows: finite numbers, kept as float32. From the CLI and --config, a CSV file's path. */
export const rows: ValueType<Float32Array, ArrayLike<number>> = {
  allowed: "must be a list of finite numbers",
  arg: "<file>",
  check(value, name) {
    const list = value as ArrayLike<unknown> | null;
    if (typeof list !== "object" || list === null || typeof list.length !== "number")
      throw new OptionError(name, value, this.allowed);
    const out = new Float32Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (typeof v !== "number" || !Number.isFinite(Math.fround(v)))
        throw new OptionError(`${name}[${i}]`, v, "must be a finite number (in float32)");
      out[i] = v;
    }
    return out;
  },
  parse: (text) => text,
  format: (v) => `${v.length} values`,
};

/** Whole-number labels, one per data row (on the command line and in --config, a labels file). */
export const labelList: ValueType<number[], ArrayLike<number>> = {
  allowed: "must be a list of whole numbers, one label per data row",
  arg: "<file>",
  check(value, name) {
    const list = value as ArrayLike<unknown> | null;
    if (typeof list !== "object" || list === null || typeof list.length !== "number")
      throw new OptionError(name, value, this.allowed);
    const out = new Array<number>(list.length);
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (typeof v !== "number" || !Number.isSafeInteger(v))
        throw new OptionError(`${name}[${i}]`, v, "must be a whole number");
      out[i] = v;
    }
    return out;
  },
  parse: (text) => text,
  format: (v) => `${v.length} labels`,
};

/** The shape of one sample, dimensions >= 1 ([28, 28] for MNIST). */
export const shape: ValueType<number[], readonly number[]> = {
  allowed: "must be a list of whole numbers >= 1, e.g. [28, 28] or [32, 32, 3]",
  arg: "<dims>",
  check(value, name) {
    if (!Array.isArray(value) || value.length === 0 || value.some((w) => !Number.isInteger(w) || w < 1))
      throw new OptionError(name, value, this.allowed);
    return [...(value as number[])];
  },
  parse: (text) => text.split(",").map(decimal),
  format: (v) => v.join(","),
};
