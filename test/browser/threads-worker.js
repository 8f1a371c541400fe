// A module worker that trains on a thread pool of its own (nested workers over shared memory) and sends back
// the final weights, the thread count and how many kernel calls were split.
import { createGAN } from "../../dist/simdgan.browser.js";

onmessage = async ({ data }) => {
  const gan = await createGAN(data.options);
  gan.train({ epochs: data.epochs });
  const weights = [...gan.generator.getWeights(), ...gan.discriminator.getWeights()];
  postMessage({ weights, threads: gan.threads, split: gan.engine.pool?.splitCalls ?? 0 });
  gan.dispose();
};
