// A module worker that trains with the self-contained browser bundle and sends back the final weights.
import { createGAN } from "../../dist/simdgan.browser.js";

onmessage = async ({ data }) => {
  const gan = await createGAN(data.options);
  gan.train({ epochs: data.epochs });
  postMessage([...gan.generator.getWeights(), ...gan.discriminator.getWeights()]);
};
