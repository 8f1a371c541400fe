// Holds the AssemblyScript kernels to the project's 120-character lines. Prettier and ESLint cannot parse
// AssemblyScript's function decorators (@inline), so they skip assembly/ and bench/roofline.as; this is the
// one rule of theirs that still applies. Prints each long line as file:line and exits 1 when there is one.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const MAX = 120;
const root = fileURLToPath(new URL("..", import.meta.url));
const files = [
  ...readdirSync(join(root, "assembly"))
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(root, "assembly", name)),
  join(root, "bench", "roofline.as"),
];

let long = 0;
for (const file of files) {
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      const length = [...line].length; // characters, not UTF-16 units: the kernels' comments use Aᵀ, Σ, ...
      if (length <= MAX) return;
      console.error(`${relative(root, file)}:${i + 1}: ${length} characters (at most ${MAX})`);
      long++;
    });
}
if (long) process.exit(1);
