// Run by test/engines.test.ts under each engine (Node, Bun): trains a few configurations through the
// public API and prints, one JSON line each, every report with each number as its 64 bits in hex, and a
// SHA-256 of all weights, generated samples and D(x) values. Two engines agree iff they print the same.
import { createHash } from "node:crypto";
import { createGAN, evaluate, jsDivergence, klDivergence, parseTarget } from "../../dist/src/index.js";

const bits = new DataView(new ArrayBuffer(8));
const hex = (x) => (bits.setFloat64(0, x), bits.getBigUint64(0).toString(16).padStart(16, "0"));
// Every number as its bits: -0, NaN and the last bit all show.
const exact = (v) =>
  typeof v === "number"
    ? hex(v)
    : Array.isArray(v)
      ? v.map(exact)
      : v && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, exact(x)]))
        : v;

function sha256(arrays) {
  const h = createHash("sha256");
  for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest("hex");
}

const METRICS = ["kl", "js", "w1", "ks", "moments", "modes"];
const CONFIGS = [
  { seed: 5, epochs: 200, metrics: METRICS },
  { seed: 2, epochs: 60, metrics: METRICS, target: parseTarget("ring"), samples: 800, batchSize: 100, shuffle: true },
  { seed: 3, epochs: 60, metrics: METRICS, target: parseTarget("mixture:-2,2"), noise: "normal", loss: "lsgan" },
  { seed: 4, epochs: 40, metrics: METRICS, target: parseTarget("grid"), samples: 500, gActivation: "tanh" },
];

// One line per report, so a difference names the configuration and the epoch.
const lines = [];
for (const [c, options] of CONFIGS.entries()) {
  const gan = await createGAN(options);
  const { reports } = gan.train({});
  for (const r of reports) lines.push(JSON.stringify({ config: c, report: exact(r) }));
  const fake = gan.generate(2000);
  const weights = [...gan.generator.getWeights(), ...gan.discriminator.getWeights()];
  lines.push(JSON.stringify({ config: c, final: exact(gan.report()) }));
  lines.push(JSON.stringify({ config: c, evaluation: exact(evaluate(gan.realData(), fake, gan.options.dim)) }));
  lines.push(
    JSON.stringify({
      config: c,
      kl: exact(klDivergence(gan.realData(), fake)),
      js: exact(jsDivergence(gan.realData(), fake)),
    }),
  );
  lines.push(JSON.stringify({ config: c, sha256: sha256([...weights, gan.realData(), fake, gan.discriminate(fake)]) }));
}
process.stdout.write(lines.join("\n") + "\n");
