// Heap growth per training step, measured from outside the library: run with --expose-gc. Every
// configuration trains in one process, so each call site of the step serves several wasm instances (as in a
// sweep, or any program with two GANs) and an engine cannot specialise it to one. After a warm-up long
// enough for the optimizing tier, the heap's growth over windows of two lengths is compared: what a train()
// call allocates once cancels, what every step allocates does not. Prints one JSON line.
import v8 from "node:v8";

const { createGAN } = await import(new URL("../../dist/src/index.js", import.meta.url).href);
const gc = globalThis.gc;
if (!gc) throw new Error("run with --expose-gc");

const CONFIGS = {
  seed: {},
  batchSize: { batchSize: 100 },
  lsgan: { loss: "lsgan" },
  tanh: { gActivation: "tanh" },
  normal: { noise: "normal" },
  shuffle: { shuffle: true },
  dSteps: { dSteps: 2 },
  sgdRmsprop: {
    gOptimizer: { type: "sgd", learningRate: 0.01, momentum: 0.5 },
    dOptimizer: { type: "rmsprop", learningRate: 0.001 },
  },
  // Leaky relu steeper than 1 runs as its own kernel, after the product; sigmoid in D's hidden layers too;
  // and a second GAN on each of sgd and rmsprop.
  activations: {
    gActivation: { name: "leaky_relu", alpha: 1.5 },
    dActivation: "sigmoid",
    dHidden: [8, 4],
    gOptimizer: { type: "rmsprop", learningRate: 0.001, momentum: 0.9 },
    dOptimizer: { type: "sgd", learningRate: 0.01 },
  },
  // A conditional GAN (labels join G's input and D's), shuffled, with two D steps and a tanh output layer.
  conditional: {
    data: Array.from({ length: 240 }, (_, k) => ((k * 37) % 101) / 101 - 0.5 + (Math.floor(k / 4) % 2 ? 0.5 : -0.5)),
    dim: 4,
    labels: Array.from({ length: 60 }, (_, i) => (i % 2 ? 7 : 3)),
    gOutputActivation: "tanh",
    batchSize: 16,
    shuffle: true,
    dSteps: 2,
  },
  // Two threads: the pool's split calls (products, the bias gradients, a one-unit layer's backward, Adam).
  threads: { threads: 2, gHidden: [128, 128], dHidden: [128], batchSize: 256, samples: 512 },
};
const WARMUP = Number(process.argv[2] ?? 600),
  SHORT = 50,
  LONG = 250;

// Young objects only: a step's garbage is born there, and the semi-space is made large enough (flags of the
// test) that no scavenge runs inside a window; old space also moves with background compiles.
const used = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_used_size;
const gans = {};
for (const [name, options] of Object.entries(CONFIGS))
  gans[name] = await createGAN({ seed: 3, logEvery: 1e9, ...options });
// Round-robin, so that the shared code sees every configuration before and while it is optimized.
for (let done = 0; done < WARMUP; done += 250) for (const gan of Object.values(gans)) gan.train({ epochs: 250 });

function growth(run) {
  gc();
  gc();
  const before = used();
  run();
  return used() - before;
}
const result = {};
for (const [name, gan] of Object.entries(gans)) {
  const o = gan.options,
    steps = o.batchSize ? Math.ceil(o.samples / o.batchSize) : o.batches;
  // The least of up to five estimates, stopping at one far below a boxed number (12 or 16 bytes) a step: a
  // step that allocates shows in every estimate, while an engine compiling or sweeping in the background
  // (after a deopt, an on-stack replacement) adds to a few.
  let least = Infinity;
  for (let r = 0; r < 5 && least >= 1; r++) {
    const short = growth(() => gan.train({ epochs: SHORT })),
      long = growth(() => gan.train({ epochs: LONG }));
    least = Math.min(least, (long - short) / ((LONG - SHORT) * steps));
  }
  result[name] = least;
}
console.log(JSON.stringify(result));
