// Rewrites the README's option list from the option schema (run after `npm run build`).
import { readFile, writeFile } from "node:fs/promises";
import { spliceOptions } from "../dist/src/options/markdown.js";

const path = new URL("../README.md", import.meta.url);
await writeFile(path, spliceOptions(await readFile(path, "utf8")));
