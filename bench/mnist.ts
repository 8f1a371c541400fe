// `npm run bench:mnist`: the MNIST-sized GAN step (G 100 -> 256 -> 512 -> 784, D 784 -> 512 -> 256 -> 1,
// batch 64), ms per training step for simdgan, tfjs-wasm and tfjs-cpu (layers API, trainOnBatch), in one
// process, interleaved, and the GFLOP/s of the products each step cannot avoid. The architecture is the
// one both sides can build from the same helpers: relu hidden layers and a linear output (the example
// configuration's leaky relu, tanh and one-hot labels change a step's time by a few percent: the products
// are the same size up to the 10 label columns).
import { createGAN } from "../src/index.js";
import { stepFlops, type GanShape } from "./flops.js";
import { interleave, summarize, type Sampler } from "./stats.js";
import { tfjsStepper } from "./suites/tfjs.js";

const SHAPE: GanShape = { noiseDim: 100, gHidden: [256, 512], dim: 784, dHidden: [512, 256] };
const BATCH = 64;

function images(seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: BATCH * SHAPE.dim }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

async function main(): Promise<void> {
  const reps = Number(process.argv[2] ?? 5),
    steps = Number(process.argv[3] ?? 10);
  const real = images(1);
  const gan = await createGAN({
    seed: 1,
    data: real,
    dim: SHAPE.dim,
    noiseDim: SHAPE.noiseDim,
    gHidden: SHAPE.gHidden,
    dHidden: SHAPE.dHidden,
    batches: 1,
  });
  const simdgan: Sampler = () => {
    const t = performance.now();
    for (let i = 0; i < steps; i++) gan.trainStep({ real });
    return (performance.now() - t) / steps;
  };
  const tfjs = async (backend: "wasm" | "cpu", n: number): Promise<Sampler> => {
    const stepper = await tfjsStepper(backend, SHAPE, BATCH, real);
    return async () => {
      await stepper.select();
      const t = performance.now();
      for (let i = 0; i < n; i++) await stepper.step();
      return (performance.now() - t) / n;
    };
  };
  const samplers = {
    simdgan,
    "tfjs-wasm": await tfjs("wasm", Math.max(1, steps >> 1)),
    "tfjs-cpu": await tfjs("cpu", 1),
  };
  const samples = await interleave(samplers, { warmup: 1, reps });
  const flops = stepFlops(SHAPE, BATCH);
  const s = summarize(samples.simdgan!);
  console.log(`MNIST-sized GAN step, batch ${BATCH}: ${(flops / 1e9).toFixed(3)} GFLOP of products per step`);
  for (const [name, xs] of Object.entries(samples)) {
    const m = summarize(xs);
    const ratio = name === "simdgan" ? "" : `  simdgan faster by ${(m.median / s.median).toFixed(1)}x`;
    console.log(
      `  ${name.padEnd(10)} ${m.median.toFixed(2)} ms/step (min ${m.min.toFixed(2)}, max ${m.max.toFixed(2)})  ` +
        `${(flops / m.median / 1e6).toFixed(1)} GFLOP/s${ratio}`,
    );
  }
}

await main();
