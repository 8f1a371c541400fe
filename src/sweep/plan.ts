// A sweep plan: base options, a grid (every combination of the values given per option) and/or a list of
// configurations, times seeds. Expanding it resolves every trial through the library's own option
// validation, so a plan is refused with the same words as a bad option, naming where in the plan it is.
import { OptionError } from "../errors.js";
import { resolveOptions, splitOptions, type GANOptions } from "../options/resolve.js";
import { identify } from "./trial.js";

export interface SweepPlan {
  /** Options every trial shares. */
  base?: GANOptions;
  /** Values per option: the trials take every combination (the first option varies slowest). */
  grid?: Record<string, readonly unknown[]>;
  /** Whole configurations, each combined with every grid combination. */
  list?: readonly GANOptions[];
  /** Seeds: a count N (seeds 1..N) or a list. */
  seeds?: number | readonly number[];
}

export interface Trial {
  /** Position in the plan's order, which is the order of the final results file. */
  index: number;
  id: string;
  /** The options as the plan spells them: what a worker trains. */
  options: GANOptions;
  /** Where this trial's values come from in the plan, e.g. "grid.loss[1], seeds[3]". */
  label: string;
}

const PLAN_KEYS = ["base", "grid", "list", "seeds"];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Options at a place in the plan: an object whose names the option schema knows (it says which are not). */
function checkOptions(value: unknown, path: string): Record<string, unknown> {
  if (!isObject(value)) throw new OptionError(path, value, "must be an object of options");
  try {
    splitOptions(value);
  } catch (e) {
    if (e instanceof OptionError) throw new OptionError(`${path}.${e.option}`, e.value, e.allowed);
    throw e;
  }
  return value;
}

interface Source {
  options: Record<string, unknown>;
  /** Plan path of each option that the trial sets. */
  paths: Map<string, string>;
  label: string[];
}

function seedList(seeds: unknown): { value: number; path: string }[] {
  if (typeof seeds === "number") {
    if (!Number.isInteger(seeds) || seeds < 1 || seeds > 1e6)
      throw new OptionError("seeds", seeds, "must be a count (a whole number in [1, 1000000]) or a list of seeds");
    return Array.from({ length: seeds }, (_, i) => ({ value: i + 1, path: `seeds[${i}]` }));
  }
  if (!Array.isArray(seeds) || seeds.length === 0)
    throw new OptionError("seeds", seeds, "must be a count (a whole number >= 1) or a non-empty list of seeds");
  return seeds.map((value: number, i) => ({ value, path: `seeds[${i}]` }));
}

/** The plan's configurations (list x grid, over base), before seeds. */
function configurations(p: Record<string, unknown>): Source[] {
  const base = p.base === undefined ? {} : checkOptions(p.base, "base");
  let sources: Source[] = [
    { options: { ...base }, paths: new Map(Object.keys(base).map((k) => [k, `base.${k}`])), label: [] },
  ];
  if (p.list !== undefined) {
    if (!Array.isArray(p.list) || p.list.length === 0)
      throw new OptionError("list", p.list, "must be a non-empty list of option objects");
    const items = p.list.map((item, i) => checkOptions(item, `list[${i}]`));
    sources = items.map((item, i) => ({
      options: { ...base, ...item },
      paths: new Map([...sources[0]!.paths, ...Object.keys(item).map((k): [string, string] => [k, `list[${i}].${k}`])]),
      label: [`list[${i}]`],
    }));
  }
  if (p.grid !== undefined) {
    if (!isObject(p.grid))
      throw new OptionError("grid", p.grid, "must be an object of option names to lists of values");
    for (const [key, values] of Object.entries(p.grid)) {
      if (!Array.isArray(values) || values.length === 0)
        throw new OptionError(`grid.${key}`, values, "must be a non-empty list of values");
      checkOptions(withValue({}, key, values[0]), "grid");
      sources = sources.flatMap((s) =>
        values.map((v, j) => ({
          options: withValue(s.options, key, v),
          paths: new Map([...s.paths, [key, `grid.${key}[${j}]`]]),
          label: [...s.label, `grid.${key}[${j}]`],
        })),
      );
    }
  }
  return sources;
}

/** Options with one value set; a grid key "a.b" sets field b of option a (gOptimizer.learningRate). */
function withValue(options: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const [top, ...rest] = key.split(".");
  if (rest.length === 0) return { ...options, [key]: value };
  const inner = isObject(options[top!]) ? (options[top!] as Record<string, unknown>) : {};
  return { ...options, [top!]: withValue(inner, rest.join("."), value) };
}

/** Where in the plan a rejected option of this trial was given: the deepest plan entry that holds it. */
function planPath(e: OptionError, s: Source): string {
  let best = "";
  for (const key of s.paths.keys()) {
    const holds = e.option === key || e.option.startsWith(`${key}.`) || e.option.startsWith(`${key}[`);
    if (holds && key.length > best.length) best = key;
  }
  if (best) return s.paths.get(best)! + e.option.slice(best.length);
  return `${e.option} (of the trial ${s.label.join(", ") || "base"})`;
}

/** Every trial of a plan, in the plan's order; throws an OptionError naming the plan path of a bad value. */
export function expandPlan(plan: unknown): Trial[] {
  if (!isObject(plan)) throw new OptionError("plan", plan, `must be an object with ${PLAN_KEYS.join(", ")}`);
  for (const key of Object.keys(plan))
    if (!PLAN_KEYS.includes(key)) throw new OptionError(key, plan[key], `unknown plan key (${PLAN_KEYS.join(", ")})`);
  const configs = configurations(plan);
  const seeds = plan.seeds === undefined ? null : seedList(plan.seeds);
  if (seeds) {
    for (const s of configs) {
      const given = s.paths.get("seed");
      if (given)
        throw new OptionError(given, s.options.seed, "seeds are given by the plan's seeds; set one or the other");
    }
  }
  const trials: Trial[] = [];
  const seen = new Map<string, string>();
  for (const config of configs) {
    for (const seed of seeds ?? [null]) {
      const s: Source = seed
        ? {
            options: { ...config.options, seed: seed.value },
            paths: new Map([...config.paths, ["seed", seed.path]]),
            label: [...config.label, seed.path],
          }
        : config;
      let resolved;
      try {
        resolved = resolveOptions(s.options as GANOptions);
      } catch (e) {
        if (e instanceof OptionError) throw new OptionError(planPath(e, s), e.value, e.allowed);
        throw e;
      }
      const { id } = identify(resolved);
      const label = s.label.join(", ") || "base";
      const earlier = seen.get(id);
      if (earlier !== undefined)
        throw new OptionError(label, s.options, `the same trial as ${earlier}: every trial must differ`);
      seen.set(id, label);
      trials.push({ index: trials.length, id, options: s.options as GANOptions, label });
    }
  }
  return trials;
}
