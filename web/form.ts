// Builds the settings form from the fields the schema declares: one fieldset per group, each field a
// label, an input (or a select of its choices) and a slot for its message. The target field also gets
// a select of presets, one per target kind.
import { FIELDS, PRESET_LABELS, TARGET_PRESETS, type Field } from "./settings.js";

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) e.setAttribute(name, value);
  e.append(...children);
  return e;
}

function control(field: Field): HTMLInputElement | HTMLSelectElement {
  const common = { id: field.id, name: field.key };
  if (field.choices) {
    const select = element("select", common);
    for (const choice of field.choices) select.add(new Option(choice, choice));
    return select;
  }
  return element("input", {
    ...common,
    spellcheck: "false",
    ...(field.inputMode !== "text" ? { inputmode: field.inputMode } : {}),
    ...(field.hint ? { title: field.hint } : {}),
  });
}

/** Short explanations under some fields, for a learner; the loss's follows the loss chosen (main.ts). */
const EXPLAIN: Record<string, string> = {
  target:
    "normal:MEAN,STD · uniform:A,B · mixture:M1,M2 · ring:MODES,RADIUS,STD · grid:SIZE,SPACING,STD · " +
    "mnist[:DIGITS][,conditional] (the MNIST digits, with their labels when conditional)",
  dOptimizer: "adam:beta1=..,beta2=..,epsilon=.. · rmsprop:rho=..,momentum=.. · sgd:momentum=..",
  dSteps: "D updates on each mini-batch before G's one: k in the GAN paper.",
  loss: "",
  fakeLabel:
    "Label smoothing: D is trained toward these targets instead of 1 and 0, so it never gets too sure of " +
    "itself (the reference workload uses 0.9 and 0.1).",
  metrics: "any of kl, js, w1, ks, moments; modes for the ring and grid; images for the digits",
};

/** Fills `form` with every field, grouped (Data, Models, Training); the target's presets get the id target-kind. */
export function renderForm(form: HTMLFormElement): void {
  const groups = new Map<string, HTMLFieldSetElement>();
  for (const group of ["Data", "Models", "Training"]) {
    const fieldset = element("fieldset", {}, element("legend", {}, group));
    groups.set(group, fieldset);
    form.append(fieldset);
  }
  for (const field of FIELDS) {
    let fieldset = groups.get(field.group);
    if (!fieldset) {
      fieldset = element("fieldset", {}, element("legend", {}, field.group));
      groups.set(field.group, fieldset);
      form.append(fieldset);
    }
    if (field.key === "target") {
      const presets = element("select", { id: "target-kind" });
      presets.add(new Option("custom (type it below)", ""));
      for (const kind of Object.keys(TARGET_PRESETS)) presets.add(new Option(PRESET_LABELS[kind] ?? kind, kind));
      presets.add(new Option("draw your own (2-D)", "draw"));
      fieldset.append(element("label", { for: "target-kind" }, "target ", presets));
    }
    const input = control(field),
      described = [`error-${field.id}`];
    fieldset.append(
      element("label", { for: field.id, ...(field.wide ? { class: "wide" } : {}) }, `${field.label} `, input),
      element("span", { class: "error", id: `error-${field.id}`, role: "alert" }),
    );
    if (field.key in EXPLAIN) {
      fieldset.append(element("small", { class: "help", id: `help-${field.id}` }, EXPLAIN[field.key]!));
      described.push(`help-${field.id}`);
    }
    // Each field's message and explanation are read out with it.
    input.setAttribute("aria-describedby", described.join(" "));
  }
}
