// The training page: settings form <-> URL, buttons -> worker, worker snapshots -> readouts, log, charts.
import "uplot/dist/uPlot.min.css";
import "./style.css";
import type { Report } from "simdgan";
import { Charts } from "./charts.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import { FIELDS, LOSSES, TARGET_PRESETS, check, fromQuery, toQuery, type Values } from "./settings.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

const form = $<HTMLFormElement>("settings");
const kind = $<HTMLSelectElement>("target-kind");
const buttons = { play: $<HTMLButtonElement>("play"), step: $<HTMLButtonElement>("step"), reset: $<HTMLButtonElement>("reset") };
const out = { state: $("state"), epoch: $("epoch"), speed: $("speed"), dLoss: $("d-loss"), gLoss: $("g-loss"), kl: $("kl"), status: $("status"), log: $("log") };
const share = $<HTMLAnchorElement>("share");
const charts = new Charts({ distribution: $("chart-distribution"), losses: $("chart-losses"), kl: $("chart-kl") });
const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });

const input = (key: string) => form.elements.namedItem(key) as HTMLInputElement | HTMLSelectElement;
for (const k of Object.keys(TARGET_PRESETS)) kind.add(new Option(k, k));
for (const loss of LOSSES) (input("loss") as HTMLSelectElement).add(new Option(loss, loss));

let run = 0;
let applied: Values | null = null; // the settings of the run in the worker
let valid = false;
let playing = false;
const MAX_LOG = 2000;
let log: string[] = [];
let lastReport: Report | null = null;

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
    $(`error-${f.key}`).textContent = message;
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
  charts.clear();
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

function line(r: Report): string {
  return `epoch = ${r.epoch}, D-Loss = ${r.dLoss.toFixed(3)}, G-Loss = ${r.gLoss.toFixed(3)}, KL divergence = ${r.kl.toFixed(3)}`;
}

function showNumbers(epoch: number, speed: number, last: Report | null): void {
  out.epoch.textContent = String(epoch);
  out.speed.textContent = speed > 0 ? Math.round(speed).toLocaleString("en") : "-";
  out.dLoss.textContent = last ? last.dLoss.toFixed(3) : "-";
  out.gLoss.textContent = last ? last.gLoss.toFixed(3) : "-";
  out.kl.textContent = last ? last.kl.toFixed(3) : "-";
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
    if (kind.value) input("target").value = TARGET_PRESETS[kind.value]!;
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
