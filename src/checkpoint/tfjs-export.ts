import type { MLP } from "../model/mlp.js";

/** A tfjs LayersModel in the converter's "layers-model" format: model.json plus one weights file. */
export interface TfjsArtifacts {
  modelJson: Record<string, unknown>;
  weightsFile: string;
  weights: Uint8Array;
}

// tfjs's Dense accepts these activation identifiers directly; leaky relu is a layer of its own there.
const DENSE_ACTIVATION = {
  relu: "relu",
  sigmoid: "sigmoid",
  tanh: "tanh",
  linear: "linear",
  leaky_relu: "linear",
} as const;

/** Describes an MLP (the generator, say) as a Keras-style Sequential model that tf.loadLayersModel reads. */
export function toTfjsLayersModel(net: MLP, name: string, weightsFile = "weights.bin"): TfjsArtifacts {
  const layers: Record<string, unknown>[] = [];
  const specs: { name: string; shape: number[]; dtype: "float32" }[] = [];
  net.layers.forEach((l, i) => {
    const layerName = `${name}_dense_${i + 1}`;
    layers.push({
      class_name: "Dense",
      config: {
        name: layerName,
        trainable: true,
        dtype: "float32",
        units: l.units,
        activation: DENSE_ACTIVATION[l.activation.name],
        use_bias: true,
        kernel_initializer: { class_name: "GlorotUniform", config: { seed: null } },
        bias_initializer: { class_name: "Zeros", config: {} },
        kernel_regularizer: null,
        bias_regularizer: null,
        activity_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
        ...(i === 0 ? { batch_input_shape: [null, l.inputs] } : {}),
      },
    });
    if (l.activation.name === "leaky_relu") {
      layers.push({
        class_name: "LeakyReLU",
        config: { name: `${name}_leaky_relu_${i + 1}`, trainable: true, dtype: "float32", alpha: l.activation.alpha },
      });
    }
    specs.push({ name: `${layerName}/kernel`, shape: [l.inputs, l.units], dtype: "float32" });
    specs.push({ name: `${layerName}/bias`, shape: [l.units], dtype: "float32" });
  });

  const arrays = net.getWeights();
  const weights = new Uint8Array(arrays.reduce((n, a) => n + a.length * 4, 0));
  const view = new DataView(weights.buffer);
  let at = 0;
  for (const a of arrays)
    for (const v of a) {
      view.setFloat32(at, v, true);
      at += 4;
    }

  return {
    weightsFile,
    weights,
    modelJson: {
      format: "layers-model",
      generatedBy: "simdgan",
      convertedBy: null,
      modelTopology: {
        class_name: "Sequential",
        config: { name, layers },
        keras_version: "tfjs-layers 4.22.0",
        backend: "tensor_flow.js",
      },
      weightsManifest: [{ paths: [weightsFile], weights: specs }],
    },
  };
}
