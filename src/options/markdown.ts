// The README's option list, written from the schema (scripts/options-readme.mjs puts it between the
// markers; test/schema.test.ts fails when the README's copy is out of date).
import { SCHEMA, shownDefault, type OptionEntry } from "./schema.js";

export const OPTIONS_START = "<!-- options:start -->";
export const OPTIONS_END = "<!-- options:end -->";

const cell = (text: string) => text.replace(/\|/g, "\\|");
const code = (text: string) => (text === "" ? "" : `\`${text.replace(/`/g, "")}\``);

/** The option table: every entry's library name, flag, default, meaning and what it allows. */
export function optionsMarkdown(): string {
  const rows = (SCHEMA as readonly OptionEntry[]).map((e) => {
    const notes = [e.help, e.type.allowed.replace(/^must be /, "allowed: ")];
    if (e.conflicts) notes.push(`not with ${e.conflicts.map(code).join(", ")}`);
    if (e.requires) notes.push(`only with ${code(e.requires)}`);
    return `| ${code(e.name)} | ${e.flag ? code(e.flag) : ""} | ${code(shownDefault(e))} | ${cell(notes.join("; "))} |`;
  });
  return [
    OPTIONS_START,
    "<!-- Written by `node scripts/options-readme.mjs` from src/options/schema.ts; edit the schema, not this. -->",
    "",
    "| option | flag | default | meaning; allowed values |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    OPTIONS_END,
  ].join("\n");
}

/** `readme` with its option list replaced by the current one. */
export function spliceOptions(readme: string): string {
  const start = readme.indexOf(OPTIONS_START),
    end = readme.indexOf(OPTIONS_END);
  if (start < 0 || end < start) throw new Error(`the README has no ${OPTIONS_START} ... ${OPTIONS_END} section`);
  return readme.slice(0, start) + optionsMarkdown() + readme.slice(end + OPTIONS_END.length);
}
