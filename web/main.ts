// The training page: settings form <-> URL, run controls -> worker, worker snapshots -> readouts, log,
// charts. Everything the worker reports is shown as it confirms it; the buttons show what was asked.
import "uplot/dist/uPlot.min.css";
import "./style.css";
import { pyFixed, reportLine, type GANOptions, type Report } from "simdgan";
import { Charts, dScaleGradient } from "./charts.js";
import { renderForm } from "./form.js";
import type { FromWorker, Pace, StepKind, ToWorker, Tuning, View } from "./protocol.js";
import {
  DIM_DEFAULTS,
  FIELDS,
  TARGET_PRESETS,
  TUNABLE,
  check,
  dimOf,
  fromQuery,
  layoutOf,
  toQuery,
  valuesOf,
  type ImageTarget,
  type Layout,
  type Values,
} from "./settings.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

const form = $<HTMLFormElement>("settings");
renderForm(form);
$("help-target").after($("draw-tools")); // the drawing's tools sit with the target
const kind = $<HTMLSelectElement>("target-kind");
const buttons = {
  play: $<HTMLButtonElement>("play"),
  step: $<HTMLButtonElement>("step"),
  reset: $<HTMLButtonElement>("reset"),
  save: $<HTMLButtonElement>("save"),
};
const stepKind = $<HTMLSelectElement>("step-kind");
const paceInput = $<HTMLInputElement>("pace");
const stopAt = $<HTMLInputElement>("stop-at");
const slow = $<HTMLInputElement>("slow");
const load = $<HTMLInputElement>("load");
const out = {
  state: $("state"),
  epoch: $("epoch"),
  speed: $("speed"),
  dLoss: $("d-loss"),
  gLoss: $("g-loss"),
  kl: $("kl"),
  modes: $("modes"),
  score: $("score"),
  frechet: $("frechet"),
  classes: $("classes"),
  labelAccuracy: $("label-accuracy"),
  speedLabel: $("speed-label"),
  gridPrint: $("grid-print"),
  status: $("status"),
  warning: $("warning"),
  log: $("log"),
  pace: $("pace-value"),
  changed: $("changed"),
  outside: $("outside"),
  lossHelp: $("help-loss"),
  gPrint: $("g-print"),
  dPrint: $("d-print"),
};
const chartEls = { distribution: $("chart-distribution"), losses: $("chart-losses"), kl: $("chart-kl") };
const captions = { distribution: $("caption-distribution"), kl: $("caption-kl") };
const share = $<HTMLAnchorElement>("share");
const charts = new Charts({ ...chartEls, readout: $("readout") });
const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
$("d-legend-bar").style.background = dScaleGradient();

const input = (key: string) => form.elements.namedItem(key) as HTMLInputElement | HTMLSelectElement;
stopAt.setAttribute("aria-describedby", "error-stop-at");

const LOSS_HELP: Record<string, string> = {
  minimax: "minimax: the original game. D and G share one binary cross-entropy; G is pushed toward the real label.",
  "non-saturating":
    "non-saturating: G maximises log D(G(z)) instead, which keeps its gradient strong while D is winning.",
  lsgan: "lsgan: least squares on D's raw score (no sigmoid): gentler gradients, often steadier training.",
};
const PACES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, Infinity];

let run = 0;
let applied: Values | null = null; // the settings of the run in the worker
let appliedDrawing: number[] | null = null;
let valid = false;
let playing = false;
let built = false;
let layout: Layout = { dim: 1, modes: null };
let metrics: string[] = ["kl"];
let tunedAt: number | null = null;
let image: ImageTarget | null = null; // the form's image target, when it names one
let appliedImage: ImageTarget | null = null; // the run's

// The log: appended a message's lines at a time, the oldest dropped past MAX_LOG, never re-joined.
const MAX_LOG = 2000;
let logLines = 0;

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
  if (drawing) return;
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
  const formError = checked.errors.get("form");
  if (formError) out.status.textContent = formError;
  else if (out.status.dataset.kind === "form") out.status.textContent = "";
  out.status.dataset.kind = formError ? "form" : "";
  out.lossHelp.textContent = LOSS_HELP[input("loss").value] ?? "";
  image = checked.image;
  // The digits' count is the target's: no sample count to draw.
  for (const id of ["samples", "error-samples"]) ($(id).closest("label") ?? $(id)).hidden = image !== null;
  valid = checked.options !== null && paceValid();
  updateButtons();
  return checked.options;
}

function updateButtons(): void {
  buttons.play.textContent = playing ? "Pause" : "Play";
  buttons.play.setAttribute("aria-pressed", String(playing));
  buttons.play.disabled = !playing && (!valid || !built);
  buttons.step.disabled = playing || !valid || !built;
  buttons.reset.disabled = !valid && !drawing;
  // A digits run's checkpoint would carry the 10,000 digits; the page offers none.
  buttons.save.disabled = !built || appliedImage !== null;
}

function setState(text: string): void {
  out.state.textContent = text;
}

/** Replaces the run with a fresh one on the current settings (or a checkpoint), and puts them in the URL. */
function apply(checkpoint?: string): void {
  let options = validate();
  if (!options) return;
  if (drawing && !checkpoint) {
    if (drawing.length < 2 * 20) {
      out.status.textContent = "draw at least 20 points first";
      return;
    }
    options = drawnOptions(options, drawing);
  }
  const values = readForm();
  const resume = playing && !checkpoint;
  applied = values;
  appliedDrawing = drawing && !checkpoint ? drawing.slice() : null;
  appliedImage = checkpoint || drawing ? null : image;
  run++;
  playing = false;
  built = false;
  tunedAt = null;
  if (!checkpoint) {
    history.replaceState(null, "", `?${toQuery(values)}`);
    share.href = location.href;
  }
  startLayout(options);
  showNumbers(0, 0, null, null);
  setState("building");
  send({
    type: "reset",
    run,
    options,
    ...(checkpoint && { checkpoint }),
    ...(appliedImage && { image: appliedImage }),
  });
  sendPace();
  if (resume) play();
  updateButtons();
}

function startLayout(options: GANOptions): void {
  layout = appliedDrawing ? { dim: 2, modes: null } : layoutOf(options, appliedImage);
  metrics = [...(options.metrics ?? ["kl"])];
  const every = options.logEvery ?? 10;
  $("log-summary").textContent = every === 1 ? "Report every epoch" : `Report every ${every} epochs`;
  showLayout();
  charts.reset(layout, metrics);
  if (drawing && !appliedDrawing) charts.setDrawing({ points: drawing, onAdd: addDrawn });
  out.log.textContent = "";
  logLines = 0;
  out.warning.hidden = true;
  out.outside.textContent = "";
}

/** The form's run on the drawn points instead of its target: the same models and training. */
function drawnOptions(options: GANOptions, points: number[]): GANOptions {
  const { target: _target, samples: _samples, ...rest } = options;
  const rows = points.length / 2;
  const metricsOf = (rest.metrics ?? ["kl"]).filter((m) => m !== "modes");
  return {
    ...rest,
    data: Float32Array.from(points),
    dim: 2,
    metrics: metricsOf,
    batches: Math.min(options.batches ?? 3, rows),
  };
}

function play(): void {
  playing = true;
  if (out.status.dataset.kind !== "form") out.status.textContent = "";
  send({ type: "play" });
  updateButtons();
}

function pause(): void {
  playing = false;
  send({ type: "pause" });
  updateButtons();
}

/** Captions and readouts for the run's data: 1-D or 2-D, with or without modes to count. */
function showLayout(): void {
  const digits = layout.dim === "image";
  const rows = layout.conditional ? ": a row per label, a column per noise vector" : "";
  captions.distribution.textContent = digits
    ? `Generated digits, the same noise in every redraw${rows}`
    : layout.dim === 1
      ? "Real vs generated samples, and the discriminator's D(x)"
      : drawing && !appliedDrawing
        ? "Draw the real data: drag across the square"
        : "Real and generated points over D(x); arrows: where G's next update moves them";
  captions.kl.textContent = digits
    ? "How a classifier sees 1000 generated digits"
    : layout.dim === 1
      ? "Divergence from the real data"
      : "Divergence (mean over x and y)";
  if (layout.modes !== null) captions.kl.textContent += " and modes captured";
  document.querySelectorAll<HTMLElement>(".modes").forEach((el) => {
    el.hidden = layout.modes === null;
  });
  document.querySelectorAll<HTMLElement>(".images").forEach((el) => {
    el.hidden = !digits || (el.classList.contains("conditional") && !layout.conditional);
  });
  document.querySelectorAll<HTMLElement>(".toy").forEach((el) => {
    el.hidden = digits;
  });
  out.speedLabel.textContent = digits ? "iterations/s" : "epochs/s";
  $("explain-d").hidden = digits;
  $("d-legend").hidden = layout.dim !== 2;
}

const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "-" : pyFixed(x));

function showNumbers(epoch: number, speed: number, live: Report | null, batch: { index: number; of: number } | null) {
  out.epoch.textContent = String(epoch);
  if (batch) out.epoch.textContent += ` (batch ${batch.index + 1}/${batch.of})`;
  out.speed.textContent = speed > 0 ? (speed < 10 ? speed.toFixed(1) : Math.round(speed).toLocaleString("en")) : "-";
  out.score.textContent = fmt(live?.classifierScore);
  out.frechet.textContent = fmt(live?.frechet);
  out.classes.textContent = live?.classesCovered !== undefined ? `${live.classesCovered}/10` : "-";
  out.labelAccuracy.textContent = fmt(live?.labelAccuracy);
  out.dLoss.textContent = fmt(live?.dLoss);
  out.gLoss.textContent = fmt(live?.gLoss);
  out.kl.textContent = fmt(live?.kl);
  out.modes.textContent = live?.modesCaptured !== undefined ? `${live.modesCaptured}/${layout.modes}` : "-";
}

function appendLog(reports: readonly Report[]): void {
  if (!reports.length) return;
  const stick = out.log.scrollTop + out.log.clientHeight >= out.log.scrollHeight - 4;
  out.log.append(document.createTextNode(reports.map(reportLine).join("\n") + "\n"));
  logLines += reports.length;
  // Drop whole old chunks, so the DOM holds at most MAX_LOG lines plus one message's worth.
  while (logLines > MAX_LOG && out.log.firstChild) {
    const first = out.log.firstChild;
    logLines -= (first.textContent!.match(/\n/g) ?? []).length;
    first.remove();
  }
  if (stick) out.log.scrollTop = out.log.scrollHeight;
}

/** A sentence for screen readers: what each chart shows right now. */
function describe(view: View, live: Report, epoch: number): void {
  if (view.dim === "image") {
    chartEls.distribution.setAttribute(
      "aria-label",
      `Grid of ${view.rows * view.columns} generated digits at epoch ${epoch}` +
        (view.labels ? `, a row for each label ${view.labels.join(", ")}` : "") +
        `: the classifier scores generated digits ${fmt(live.classifierScore)} ` +
        `(real ones ${fmt(live.realScore)}) and finds ${live.classesCovered ?? "-"} of 10 classes.`,
    );
    chartEls.losses.setAttribute(
      "aria-label",
      `Losses up to epoch ${epoch}: D-Loss ${fmt(live.dLoss)}, G-Loss ${fmt(live.gLoss)} now.`,
    );
    chartEls.kl.setAttribute(
      "aria-label",
      `Classifier metrics up to epoch ${epoch}: score ${fmt(live.classifierScore)}, ` +
        `Frechet distance ${fmt(live.frechet)} now.`,
    );
    return;
  }
  if (view.dim === 1) {
    const peak = (ys: number[]) => view.x[ys.indexOf(Math.max(...ys))]!;
    const dMin = Math.min(...view.d),
      dMax = Math.max(...view.d);
    chartEls.distribution.setAttribute(
      "aria-label",
      `Histogram at epoch ${epoch}: real data peak near x = ${peak(view.real).toFixed(2)}, generated peak near ` +
        `x = ${peak(view.fake).toFixed(2)}; D(x) ranges from ${dMin.toFixed(2)} to ${dMax.toFixed(2)}.`,
    );
  } else {
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / Math.max(a.length, 1);
    chartEls.distribution.setAttribute(
      "aria-label",
      `Scatter at epoch ${epoch}: generated points centred near (${mean(view.fake[0]).toFixed(2)}, ` +
        `${mean(view.fake[1]).toFixed(2)}), real near (${mean(view.real[0]).toFixed(2)}, ` +
        `${mean(view.real[1]).toFixed(2)}); D(x) from ${Math.min(...view.d).toFixed(2)} ` +
        `to ${Math.max(...view.d).toFixed(2)}.`,
    );
  }
  chartEls.losses.setAttribute(
    "aria-label",
    `Losses up to epoch ${epoch}: D-Loss ${fmt(live.dLoss)}, G-Loss ${fmt(live.gLoss)} now.`,
  );
  chartEls.kl.setAttribute("aria-label", `Divergence up to epoch ${epoch}: KL ${fmt(live.kl)} now.`);
}

const CHANGED = { d: "D updated: its D(x) moved (dashed: before)", g: "G updated: its samples moved", both: "" };
const CHANGED_DIGITS = { d: "D updated: G's digits are as they were", g: "G updated: its digits moved", both: "" };

worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
  if (data.run !== run) return; // from a run since replaced
  switch (data.type) {
    case "building":
      setState("building");
      return;
    case "error":
      out.status.textContent = built ? `training stopped: ${data.message}` : `the run could not start: ${data.message}`;
      setState(built ? "stopped" : "failed");
      playing = false;
      updateButtons();
      return;
    case "notice":
      out.status.textContent = data.message;
      return;
    case "checkpoint": {
      const url = URL.createObjectURL(new Blob([data.text], { type: "application/json" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `simdgan-epoch-${data.epoch}.json`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      out.status.textContent = `checkpoint of epoch ${data.epoch} downloaded`;
      return;
    }
    case "loaded": {
      const values = valuesOf(data.options);
      writeForm(values);
      applied = values;
      history.replaceState(null, "", `?${toQuery(values)}`);
      share.href = location.href;
      startLayout(data.options);
      out.status.textContent = `continuing from the checkpoint's epoch ${data.epoch}`;
      return;
    }
    case "state":
      break;
  }
  built = true;
  appendLog(data.reports);
  // What the worker confirms, where the buttons show what was asked.
  setState(data.state);
  if (data.state !== "training" && playing) {
    playing = false; // it stopped by itself: stop-at
    if (data.state === "stopped") out.status.textContent = `stopped at epoch ${data.epoch}`;
  }
  showNumbers(
    data.epoch,
    layout.dim === "image" ? data.iterationsPerSecond : data.epochsPerSecond,
    data.live.report,
    data.live.batch,
  );
  charts.addReports(data.reports);
  charts.showView(data.view, data.live.changed);
  const changed = (data.live.changed && data.state !== "training") || slow.checked ? data.live.changed : null;
  out.changed.hidden = !changed || changed === "both";
  out.changed.textContent = changed ? (layout.dim === "image" ? CHANGED_DIGITS : CHANGED)[changed] : "";
  out.changed.className = `badge ${changed ?? ""}`;
  out.outside.textContent = data.view.outside
    ? `${data.view.outside} of ${data.view.shown} generated samples lie outside this view ` +
      "(beyond ten times the data's span, or not finite)"
    : "";
  out.warning.hidden = data.warning === null;
  out.warning.textContent = data.warning ?? "";
  describe(data.view, data.live.report, data.epoch);
  if (data.fingerprint) {
    out.gPrint.textContent = data.fingerprint.g;
    out.dPrint.textContent = data.fingerprint.d;
  }
  out.gridPrint.textContent = data.view.dim === "image" ? data.view.print : "-";
  updateButtons();
};
worker.onerror = (event) => {
  out.status.textContent = `the training worker failed: ${event.message}`;
};

// Pace, stop-at and slow motion: page settings, not the run's; they apply at once.
function paceValid(): boolean {
  const text = stopAt.value.trim();
  const ok = text === "" || /^\d+$/.test(text);
  $("error-stop-at").textContent = ok ? "" : "a whole number of epochs, or empty for no stop";
  stopAt.setAttribute("aria-invalid", String(!ok));
  return ok;
}

function pace(): Pace {
  const eps = PACES[Number(paceInput.value)] ?? Infinity;
  const text = stopAt.value.trim();
  return { epochsPerSecond: eps, stopAt: text === "" ? null : Number(text), slow: slow.checked, stepsPerSecond: 2 };
}

function sendPace(): void {
  if (!paceValid()) return;
  const p = pace();
  out.pace.textContent = p.slow
    ? "slow motion"
    : Number.isFinite(p.epochsPerSecond)
      ? `${p.epochsPerSecond} epochs/s`
      : "full speed";
  paceInput.setAttribute("aria-valuetext", out.pace.textContent);
  send({ type: "pace", pace: p });
}
paceInput.addEventListener("input", sendPace);
slow.addEventListener("change", sendPace);
stopAt.addEventListener("input", () => {
  valid = validate() !== null;
  sendPace();
});

// Settings: a change of only the tunable fields carries the run on; any other starts a new run.
function changedKeys(values: Values): string[] {
  return applied ? FIELDS.map((f) => f.key).filter((k) => values[k] !== applied![k]) : FIELDS.map((f) => f.key);
}

function commit(): void {
  const options = validate();
  if (!options) return;
  const values = readForm(),
    keys = changedKeys(values);
  if (!keys.length && !(drawing && !appliedDrawing)) return;
  if (built && keys.length && keys.every((k) => TUNABLE.includes(k)) && !drawing) {
    const tuning: Tuning = {};
    for (const k of keys) {
      if (k.startsWith("gOptimizer")) tuning.gOptimizer = options.gOptimizer;
      else if (k.startsWith("dOptimizer")) tuning.dOptimizer = options.dOptimizer;
      else Object.assign(tuning, { [k]: options[k as keyof GANOptions] });
    }
    applied = values;
    history.replaceState(null, "", `?${toQuery(values)}`);
    share.href = location.href;
    tunedAt = Number(out.epoch.textContent!.split(" ")[0]);
    send({ type: "tune", tuning });
    out.status.textContent = `${keys.join(", ")} changed from epoch ${tunedAt}: the link starts a fresh run with them`;
    return;
  }
  if (!drawing || appliedDrawing) apply();
}

let kindTimer = 0;
form.addEventListener("submit", (event) => event.preventDefault());
form.addEventListener("input", (event) => {
  if (event.target !== load) validate();
});
form.addEventListener("change", (event) => {
  if (event.target === load) return;
  if (event.target === kind) {
    // Arrow keys walk the menu one entry at a time: wait for the choice to settle before acting.
    clearTimeout(kindTimer);
    kindTimer = window.setTimeout(pickKind, 600);
    return;
  }
  syncKind();
  commit();
});
kind.addEventListener("keydown", (e) => {
  if (e.key === "Enter") {
    clearTimeout(kindTimer);
    pickKind();
  }
});

function pickKind(): void {
  const picked = kind.value;
  if (picked === "draw") return startDrawing();
  if (drawing) stopDrawing();
  if (!picked) {
    input("target").focus();
    out.status.textContent = "type a distribution in the field below";
    return;
  }
  if (input("target").value === TARGET_PRESETS[picked]) return;
  // Crossing between 1-D and 2-D targets also swaps in settings that suit the new data: say which.
  const before = dimOf(input("target").value) ?? layout.dim;
  input("target").value = TARGET_PRESETS[picked]!;
  const after = dimOf(input("target").value)!;
  const swapped: string[] = [];
  if (before !== after) {
    for (const [key, value] of Object.entries(DIM_DEFAULTS[after])) {
      if (input(key).value !== value) swapped.push(`${FIELDS.find((f) => f.key === key)!.label} ${value}`);
      input(key).value = value;
    }
  }
  commit();
  const kindName = after === "image" ? "digits" : `${after}-D data`;
  if (swapped.length) out.status.textContent = `${kindName}: also set ${swapped.join(", ")}`;
}

// Drawing a 2-D distribution: points laid along the pointer's path, spread a little by a seeded generator.
let drawing: number[] | null = null;
let jitter = 1;
function random(): number {
  // mulberry32: the page's own small seeded generator for the drawing's spread.
  jitter = (jitter + 0x6d2b79f5) | 0;
  let t = Math.imul(jitter ^ (jitter >>> 15), 1 | jitter);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function addDrawn(x: number, y: number): void {
  if (!drawing || drawing.length >= 2 * 4000) return;
  for (let i = 0; i < 4; i++) drawing.push(x + 0.25 * (random() - 0.5), y + 0.25 * (random() - 0.5));
  $("draw-count").textContent = `${drawing.length / 2} points`;
  charts.showDrawing(drawing);
}
function startDrawing(): void {
  if (playing) pause();
  drawing = [];
  jitter = Number(input("seed").value) || 1;
  $("draw-tools").hidden = false;
  $("draw-count").textContent = "0 points";
  // The 2-D settings, as for the ring and grid.
  if (layout.dim !== 2) for (const [key, value] of Object.entries(DIM_DEFAULTS[2])) input(key).value = value;
  if (dimOf(input("target").value) === "image") input("target").value = TARGET_PRESETS.ring!; // drawn, not digits
  input("metrics").value = "kl";
  validate();
  run++; // whatever the worker still sends belongs to the old run
  built = false;
  appliedDrawing = null;
  appliedImage = null;
  layout = { dim: 2, modes: null };
  metrics = ["kl"];
  showLayout();
  charts.reset(layout, metrics);
  charts.setDrawing({ points: drawing, onAdd: addDrawn });
  setState("drawing");
  out.status.textContent = "drag on the chart to draw the real data, then press Train on drawing";
  updateButtons();
}
function stopDrawing(): void {
  drawing = null;
  appliedDrawing = null;
  charts.setDrawing(null);
  $("draw-tools").hidden = true;
}
$("draw-clear").addEventListener("click", () => {
  if (!drawing) return;
  drawing.length = 0;
  $("draw-count").textContent = "0 points";
  if (appliedDrawing) startDrawing();
  else charts.showDrawing(drawing);
});
$("draw-train").addEventListener("click", () => {
  if (!drawing) return;
  charts.setDrawing(null);
  apply();
  if (!appliedDrawing) charts.setDrawing({ points: drawing, onAdd: addDrawn });
});

function stepOnce(kindOf: StepKind = stepKind.value as StepKind): void {
  if (!playing && valid && built) send({ type: "step", kind: kindOf });
}
function togglePlay(): void {
  if (playing) pause();
  else if (valid && built) play();
}
buttons.play.addEventListener("click", togglePlay);
buttons.step.addEventListener("click", () => stepOnce());
buttons.reset.addEventListener("click", () => {
  playing = false;
  if (drawing && appliedDrawing) {
    const points = appliedDrawing;
    drawing = points.slice();
    apply();
  } else apply();
});
buttons.save.addEventListener("click", () => send({ type: "save" }));
load.addEventListener("change", async () => {
  const file = load.files?.[0];
  if (!file) return;
  const text = await file.text();
  load.value = "";
  if (drawing) stopDrawing();
  kind.value = "";
  apply(text);
});

// Keyboard shortcuts, outside text fields and menus (where the keys type or choose).
document.addEventListener("keydown", (e) => {
  const t = e.target as HTMLElement;
  if (e.ctrlKey || e.metaKey || e.altKey || t.closest("input, select, textarea")) return;
  const key = e.key.toLowerCase();
  if (key === " " && t.tagName === "BUTTON") return; // Space on a button presses that button
  const actions: Record<string, () => void> = {
    " ": togglePlay,
    s: () => stepOnce(),
    d: () => stepOnce("d"),
    g: () => stepOnce("g"),
    r: () => buttons.reset.click(),
  };
  const action = actions[key];
  if (!action) return;
  e.preventDefault();
  action();
});

// Start from the link's settings (the reference workload's for any it leaves out), ready to play.
writeForm(fromQuery(location.search));
if (validate()) apply();
