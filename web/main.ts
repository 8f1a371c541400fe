// The training page: settings form <-> URL, buttons -> worker, worker snapshots -> readouts, log, charts.
import "uplot/dist/uPlot.min.css";
import "./style.css";
import type { Report } from "simdgan";
import { Charts } from "./charts.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import { renderForm } from "./form.js";
import {
  DIM_DEFAULTS,
  FIELDS,
  TARGET_PRESETS,
  check,
  dimOf,
  fromQuery,
  layoutOf,
  toQuery,
  type Layout,
  type Values,
} from "./settings.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

const form = $<HTMLFormElement>("settings");
renderForm(form);
const kind = $<HTMLSelectElement>("target-kind");
const buttons = {
  play: $<HTMLButtonElement>("play"),
  step: $<HTMLButtonElement>("step"),
  reset: $<HTMLButtonElement>("reset"),
};
const out = {
  state: $("state"),
  epoch: $("epoch"),
  speed: $("speed"),
  dLoss: $("d-loss"),
  gLoss: $("g-loss"),
  kl: $("kl"),
  modes: $("modes"),
  status: $("status"),
  log: $("log"),
};
const captions = { distribution: $("caption-distribution"), kl: $("caption-kl") };
const share = $<HTMLAnchorElement>("share");
const charts = new Charts({ distribution: $("chart-distribution"), losses: $("chart-losses"), kl: $("chart-kl") });
const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });

const input = (key: string) => form.elements.namedItem(key) as HTMLInputElement | HTMLSelectElement;

let run = 0;
let applied: Values | null = null; // the settings of the run in the worker
let valid = false;
let playing = false;
const MAX_LOG = 2000;
let log: string[] = [];
let lastReport: Report | null = null;
let layout: Layout = { dim: 1, modes: null };

function send(message: ToWorker): void {
  worker.postMessage(message);
}

function readForm(): Values {
  return Object.fromEntries(FIELDS.map((f) => [f.key, input(f.key).value.trim()]));
}

function writeForm(values: Values): void {
  for (const f of FIELDS) input(f.key).value = values[f.key] ?? "";
  syncKind();
}

function syncKind(): void {
  const k = input("target").value.split(":")[0]!.trim();
  kind.value = k in TARGET_PRESETS ? k : "";
}

/** Shows each field's message beside it; returns the options when all are valid. */
function validate() {
  const checked = check(readForm());
  for (const f of FIELDS) {
    const message = checked.errors.get(f.key) ?? "";
    $(`error-${f.id}`).textContent = message;
    input(f.key).setAttribute("aria-invalid", String(message !== ""));
  }
  out.status.textContent = checked.errors.get("form") ?? "";
  valid = checked.options !== null;
  updateButtons();
  return checked.options;
}

function updateButtons(): void {
  buttons.play.textContent = playing ? "Pause" : "Play";
  buttons.play.disabled = !playing && (!valid || !applied);
  buttons.step.disabled = playing || !valid || !applied;
  buttons.reset.disabled = !valid;
}

/** Replaces the run with a fresh one on the current settings, and puts them in the URL. */
function apply(): void {
  const options = validate();
  if (!options) return;
  const values = readForm();
  const resume = playing;
  applied = values;
  run++;
  playing = false;
  history.replaceState(null, "", `?${toQuery(values)}`);
  share.href = location.href;
  layout = layoutOf(options);
  showLayout();
  charts.reset(layout);
  log = [];
  lastReport = null;
  out.log.textContent = "";
  showNumbers(0, 0, null);
  out.state.textContent = "starting";
  send({ type: "reset", run, options });
  if (resume) play();
  updateButtons();
}

function play(): void {
  playing = true;
  send({ type: "play" });
  updateButtons();
}

/** The seed's report line, then for a ring or grid the modes captured and the share of high-quality samples. */
function line(r: Report): string {
  const seed = `epoch = ${r.epoch}, D-Loss = ${r.dLoss.toFixed(3)}, G-Loss = ${r.gLoss.toFixed(3)}, KL divergence = ${(r.kl ?? NaN).toFixed(3)}`;
  if (layout.modes === null) return seed;
  return `${seed}, modes captured = ${r.modesCaptured}/${layout.modes}, high quality = ${(100 * r.highQualityShare!).toFixed(1)}%`;
}

/** Captions and readouts for the run's data: 1-D or 2-D, with or without modes to count. */
function showLayout(): void {
  captions.distribution.textContent =
    layout.dim === 1
      ? "Real vs generated samples, and the discriminator's D(x)"
      : "Real vs generated points, over the discriminator's D(x): darker where D takes x for real";
  captions.kl.textContent = layout.dim === 1 ? "KL divergence" : "KL divergence (mean over x and y)";
  if (layout.modes !== null) captions.kl.textContent += " and modes captured";
  document.querySelectorAll<HTMLElement>(".modes").forEach((el) => {
    el.hidden = layout.modes === null;
  });
}

function showNumbers(epoch: number, speed: number, last: Report | null): void {
  out.epoch.textContent = String(epoch);
  out.speed.textContent = speed > 0 ? Math.round(speed).toLocaleString("en") : "-";
  out.dLoss.textContent = last ? last.dLoss.toFixed(3) : "-";
  out.gLoss.textContent = last ? last.gLoss.toFixed(3) : "-";
  out.kl.textContent = last ? (last.kl ?? NaN).toFixed(3) : "-";
  out.modes.textContent = last?.modesCaptured !== undefined ? `${last.modesCaptured}/${layout.modes}` : "-";
}

worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
  if (data.run !== run) return; // from a run since replaced
  if (data.type === "error") {
    out.status.textContent = `training stopped: ${data.message}`;
    out.state.textContent = "stopped";
    playing = false;
    updateButtons();
    return;
  }
  if (data.reports.length) {
    lastReport = data.reports.at(-1)!;
    log.push(...data.reports.map(line));
    if (log.length > MAX_LOG) log = log.slice(-MAX_LOG);
    out.log.textContent = log.join("\n");
    out.log.scrollTop = out.log.scrollHeight;
  }
  // What the worker confirms, where the buttons show what was asked.
  out.state.textContent = data.playing ? "training" : "paused";
  showNumbers(data.epoch, data.epochsPerSecond, lastReport);
  charts.addReports(data.reports);
  charts.showView(data.view);
};
worker.onerror = (event) => {
  out.status.textContent = `the training worker failed: ${event.message}`;
};

form.addEventListener("submit", (event) => event.preventDefault());
form.addEventListener("input", () => validate());
form.addEventListener("change", (event) => {
  if (event.target === kind) {
    if (kind.value) {
      // Crossing between 1-D and 2-D targets also swaps in settings that suit the new data.
      const before = dimOf(input("target").value) ?? layout.dim;
      input("target").value = TARGET_PRESETS[kind.value]!;
      const after = dimOf(input("target").value)!;
      if (before !== after) for (const [key, value] of Object.entries(DIM_DEFAULTS[after])) input(key).value = value;
    }
  } else {
    syncKind();
  }
  if (validate() && toQuery(readForm()) !== (applied && toQuery(applied))) apply();
});
buttons.play.addEventListener("click", () => {
  if (playing) {
    playing = false;
    send({ type: "pause" });
    updateButtons();
  } else if (valid && applied) {
    play();
  }
});
buttons.step.addEventListener("click", () => {
  if (!playing && valid && applied) send({ type: "step" });
});
buttons.reset.addEventListener("click", () => {
  playing = false;
  apply();
});

// Start from the link's settings (the seed's for any it leaves out), ready to play.
writeForm(fromQuery(location.search));
if (validate()) apply();
