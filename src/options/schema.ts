// Every option of a GAN, declared once: its name, kind of value, default, help, command-line flag and page
// field. The library's defaults and checks (resolve.ts), the CLI's train flags and --config keys
// (cli/flags.ts), the page's form (web/settings.ts) and the README's option list (markdown.ts) are all
// derived from this list; adding an option is adding an entry here (and its example in
// test/schema.test.ts). Defaults are the Keras reference workload's.
import { LOSSES } from "../model/losses.js";
import { PIXEL_SCALES } from "../data/dataset.js";
import { TARGET_SYNTAX } from "../data/targets.js";
import {
  activation,
  float32Positive,
  labelList,
  listOf,
  oneOf,
  onOff,
  optimizer,
  rows,
  shape,
  target,
  threadCount,
  unitInterval,
  whole,
  widths,
  type ValueType,
} from "./types.js";

/** Metrics a report can carry besides the losses; the reference workload reports kl alone. */
export const METRICS = ["kl", "js", "w1", "ks", "moments", "modes", "images"] as const;
export type MetricName = (typeof METRICS)[number];

export type PageGroup = "Data" | "Models" | "Training";

/** How the page shows an option: its label, its fieldset and, for big values, the page's own limit. */
export interface PageField {
  label: string;
  group: PageGroup;
  /** A limit the page adds to each number so a tab stays responsive (the library allows more). */
  max?: number;
  /** The same for the length of a list (hidden layers). */
  maxItems?: number;
  /** The input spans the form's width. */
  wide?: boolean;
  /** The input's hint (a title attribute). */
  hint?: string;
  /** A menu of the type's choices rather than a text input. */
  select?: boolean;
}

export interface OptionEntry<N extends string = string, Out = unknown, In = Out> {
  /** The library's name; "a.b" is field b of option a (gOptimizer.learningRate). */
  readonly name: N;
  readonly type: ValueType<Out, In>;
  /** Absent: the option is off unless given (batchSize, data). */
  readonly default?: NoInfer<Out>;
  readonly help: string;
  /** The train command's flag; absent for options the command line does not take (dim comes with --data). */
  readonly flag?: string;
  /** The default as --help and the README show it, when it is not the formatted default. */
  readonly shown?: string;
  readonly page?: PageField;
  /** Options that cannot be given together with this one (each names the one that takes over). */
  readonly conflicts?: readonly string[];
  /** An option this one needs. */
  readonly requires?: string;
}

const entry = <N extends string, Out, In>(e: OptionEntry<N, Out, In>) => e;
const count = whole(1);

export const SCHEMA = [
  entry({
    name: "seed",
    type: whole(0, 0xffffffff),
    default: 1,
    help: "seed of every random draw (data, weights, noise)",
    flag: "--seed",
    page: { label: "seed", group: "Training" },
  }),
  entry({
    name: "target",
    type: target,
    default: { kind: "normal", mean: 0, std: 1 },
    help: `distribution of the real data: ${TARGET_SYNTAX}`,
    flag: "--target",
    page: {
      label: "distribution",
      group: "Data",
      wide: true,
      hint: TARGET_SYNTAX,
    },
  }),
  entry({
    name: "samples",
    type: count,
    default: 1000,
    help: "real samples drawn from the target",
    flag: "--samples",
    page: { label: "real samples", group: "Data", max: 100_000 },
  }),
  entry({
    name: "data",
    type: rows,
    help:
      "your own real samples instead of a target: row-major numbers [rows, dim]; on the command line and " +
      "in --config, a CSV file with one column per dimension (optional header)",
    flag: "--data",
    shown: "none",
    conflicts: ["target", "samples"],
  }),
  entry({
    name: "dim",
    type: count,
    default: 1,
    help: "values per row of data (a target sets its own; a CSV file its column count)",
    requires: "data",
  }),
  entry({
    name: "labels",
    type: labelList,
    help:
      "the label of each data row (whole numbers), making the GAN conditional: a one-hot label joined to " +
      "G's noise and to D's input; on the command line and in --config, an IDX, .npy or one-column CSV file",
    flag: "--labels",
    shown: "none",
    requires: "data",
  }),
  entry({
    name: "sampleShape",
    type: shape,
    help: "the shape of one sample when it is an image ([height, width] or [height, width, 3]); set by --data",
    requires: "data",
  }),
  entry({
    name: "pixelScale",
    type: oneOf(PIXEL_SCALES, "<kind>"),
    default: "symmetric",
    help: "how uint8 pixels of data files become samples: symmetric ([-1, 1]), unit ([0, 1]) or none",
    flag: "--pixel-scale",
  }),
  entry({ name: "epochs", type: count, default: 1000, help: "epochs to train", flag: "--epochs" }),
  entry({
    name: "batches",
    type: count,
    default: 3,
    help: "mini-batches per epoch, consecutive slices of the rows, the last taking the remainder",
    flag: "--batches",
    page: { label: "batches per epoch", group: "Data" },
  }),
  entry({
    name: "batchSize",
    type: count,
    help: "rows per mini-batch instead of a batch count (the last batch takes what remains)",
    flag: "--batch-size",
    page: { label: "batch size", group: "Data", hint: "rows per mini-batch; leave it empty to count batches" },
    shown: "none",
    conflicts: ["batches"],
  }),
  entry({
    name: "shuffle",
    type: onOff,
    default: false,
    help: "reshuffle the real rows before every epoch",
    flag: "--shuffle",
    page: { label: "shuffle", group: "Data", select: true },
    shown: "off",
  }),
  entry({
    name: "noiseDim",
    type: count,
    default: 16,
    help: "noise values per generated sample",
    flag: "--noise-dim",
    page: { label: "noise dim", group: "Models", max: 1024 },
  }),
  entry({
    name: "noise",
    type: oneOf(["uniform", "normal"] as const, "<kind>"),
    default: "uniform",
    help: "noise distribution: uniform (on [-1, 1]) or normal",
    flag: "--noise",
    page: { label: "noise", group: "Models", select: true },
  }),
  entry({
    name: "gHidden",
    type: widths,
    default: [32],
    help: "generator hidden widths",
    flag: "--g-hidden",
    page: { label: "G hidden widths", group: "Models", hint: "e.g. 32 or 64,64", max: 1024, maxItems: 8 },
  }),
  entry({
    name: "dHidden",
    type: widths,
    default: [32],
    help: "discriminator hidden widths",
    flag: "--d-hidden",
    page: { label: "D hidden widths", group: "Models", hint: "e.g. 32 or 64,64", max: 1024, maxItems: 8 },
  }),
  entry({
    name: "gActivation",
    type: activation,
    default: "relu",
    help: "generator hidden activation: relu, leaky_relu[:ALPHA], sigmoid, tanh, linear",
    flag: "--g-activation",
    page: { label: "G activation", group: "Models", hint: "relu, leaky_relu[:ALPHA], sigmoid, tanh, linear" },
  }),
  entry({
    name: "dActivation",
    type: activation,
    default: "relu",
    help: "discriminator hidden activation (as for the generator)",
    flag: "--d-activation",
    page: { label: "D activation", group: "Models", hint: "relu, leaky_relu[:ALPHA], sigmoid, tanh, linear" },
  }),
  entry({
    name: "gOutputActivation",
    type: activation,
    default: "linear",
    help: "generator output activation (as its hidden one): tanh for data in [-1, 1], sigmoid for [0, 1]",
    flag: "--g-output-activation",
    page: { label: "G output", group: "Models", hint: "linear; tanh for images in [-1, 1]" },
  }),
  entry({
    name: "gOptimizer",
    type: optimizer,
    default: { type: "adam" },
    help: "generator optimizer and its parameters, e.g. adam:beta1=0.5 or sgd:momentum=0.9",
    flag: "--g-optimizer",
    page: { label: "G optimizer", group: "Training", hint: "adam, rmsprop or sgd, e.g. adam:beta1=0.5" },
  }),
  entry({
    name: "gOptimizer.learningRate",
    type: float32Positive,
    default: 0.0005,
    help: "generator learning rate",
    flag: "--g-lr",
    page: { label: "G learning rate", group: "Training" },
  }),
  entry({
    name: "dOptimizer",
    type: optimizer,
    default: { type: "adam" },
    help: "discriminator optimizer and its parameters (as for the generator)",
    flag: "--d-optimizer",
    page: { label: "D optimizer", group: "Training", hint: "adam, rmsprop or sgd, e.g. sgd:momentum=0.9" },
  }),
  entry({
    name: "dOptimizer.learningRate",
    type: float32Positive,
    default: 0.001,
    help: "discriminator learning rate",
    flag: "--d-lr",
    page: { label: "D learning rate", group: "Training" },
  }),
  entry({
    name: "realLabel",
    type: unitInterval,
    default: 0.9,
    help: "target for real rows (label smoothing)",
    flag: "--real-label",
    page: { label: "real label", group: "Training" },
  }),
  entry({
    name: "fakeLabel",
    type: unitInterval,
    default: 0.1,
    help: "target for fake rows",
    flag: "--fake-label",
    page: { label: "fake label", group: "Training" },
  }),
  entry({
    name: "loss",
    type: oneOf(LOSSES),
    default: "minimax",
    help: "objective: minimax (BCE, as Keras), non-saturating (G minimises -log D(G(z))), lsgan (least squares)",
    flag: "--loss",
    page: { label: "loss", group: "Training", select: true },
  }),
  entry({
    name: "dSteps",
    type: count,
    default: 1,
    help: "discriminator updates per generator update, each on fresh noise",
    flag: "--d-steps",
    page: { label: "D steps per G step", group: "Training", max: 100 },
  }),
  entry({
    name: "logEvery",
    type: count,
    default: 10,
    help: "report every n epochs (on epochs divisible by n, counting from 0)",
    flag: "--log-every",
    page: { label: "report every (epochs)", group: "Training", max: 100_000 },
  }),
  entry({
    name: "evalSamples",
    type: count,
    default: 1000,
    help: "generated samples measured at each report",
    flag: "--eval-samples",
  }),
  entry({
    name: "metrics",
    type: listOf(METRICS),
    default: ["kl"],
    help: `what each report measures besides the losses: ${METRICS.join(", ")} (--json measures all)`,
    flag: "--metrics",
    page: { label: "metrics", group: "Training", hint: METRICS.join(", ") },
  }),
  entry({
    name: "threads",
    type: threadCount,
    default: 1,
    help:
      "threads running the kernels (auto: every core); calls too small to gain stay on one, " +
      "and every count gives the same bits",
    flag: "--threads",
    // The page's trainer runs in a worker, whose pool needs the cross-origin isolation the server sends.
    page: {
      label: "threads",
      group: "Training",
      hint: "a count, or auto for every core; the same results at any count",
    },
  }),
] as const;

export type SchemaEntry = (typeof SCHEMA)[number];
export type OptionName = SchemaEntry["name"];

/** The entry of an option by its name. */
export const ENTRIES: ReadonlyMap<string, OptionEntry> = new Map(SCHEMA.map((e) => [e.name, e as OptionEntry]));

/** An option's default as --help and the README show it. */
export function shownDefault(e: OptionEntry): string {
  if (e.shown !== undefined) return e.shown;
  return e.default === undefined ? "none" : e.type.format(e.default);
}
