// Builds the settings form from the fields the schema declares: one fieldset per group, each field a
// label, an input (or a select of its choices) and a slot for its message. The target field also gets
// a select of presets, one per target kind.
import { FIELDS, TARGET_PRESETS, type Field } from "./settings.js";

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

/** Fills `form` with every field, grouped; the target's preset select gets the id target-kind. */
export function renderForm(form: HTMLFormElement): void {
  const groups = new Map<string, HTMLFieldSetElement>();
  for (const field of FIELDS) {
    let fieldset = groups.get(field.group);
    if (!fieldset) {
      fieldset = element("fieldset", {}, element("legend", {}, field.group));
      groups.set(field.group, fieldset);
      form.append(fieldset);
    }
    if (field.key === "target") {
      const presets = element("select", { id: "target-kind", "aria-label": "target preset" });
      presets.add(new Option("custom", ""));
      for (const kind of Object.keys(TARGET_PRESETS)) presets.add(new Option(kind, kind));
      fieldset.append(element("label", {}, "target ", presets));
    }
    fieldset.append(
      element("label", { for: field.id, ...(field.wide ? { class: "wide" } : {}) }, `${field.label} `, control(field)),
      element("span", { class: "error", id: `error-${field.id}`, role: "alert" }),
    );
  }
}
