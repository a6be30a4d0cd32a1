import type * as tf from '@tensorflow/tfjs';
import type { DenseSgdStepAttrs, Loss } from '@fedkit/core';
import { SparseCategoricalCrossentropy } from '@fedkit/losses';

/** A model that the fused kernel `DENSE_SGD_STEP_KERNEL` can train: Dense layers, a softmax output and sparse crossentropy. */
export interface DenseStack {
  /** The kernel's attributes without the learning rate. */
  readonly attrs: Omit<DenseSgdStepAttrs, 'learningRate'>;
  /** The weights in the kernel's input order (each layer's kernel, then its bias): the model's trainable variables. */
  readonly weights: readonly tf.Variable[];
  /** The number of classes (units of the last layer). */
  readonly classes: number;
}

/** The parts of a tfjs-layers Layer read here (tfjs-layers keeps them public at runtime). */
interface LayerParts {
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  readonly trainable: boolean;
  readonly inboundNodes: readonly { readonly inboundLayers: readonly unknown[] }[];
  readonly input: { readonly shape: readonly (number | null)[] } | unknown[];
  readonly activation?: { getClassName(): string };
  readonly kernel?: { read(): tf.Tensor };
  readonly bias?: { read(): tf.Tensor } | null;
}

/**
 * The logits form of the loss is exactly what the fused kernel computes:
 * sparse softmax crossentropy over the last axis, mean over the batch, no
 * ignored class (the class itself, not a subclass that may compute otherwise).
 */
function isPlainSparseCrossentropy(logitsLoss: Loss): boolean {
  return (
    logitsLoss.constructor === SparseCategoricalCrossentropy &&
    (logitsLoss as SparseCategoricalCrossentropy).fromLogits &&
    (logitsLoss as SparseCategoricalCrossentropy).ignoreClass === undefined &&
    (logitsLoss as SparseCategoricalCrossentropy).axis === -1 &&
    (logitsLoss as SparseCategoricalCrossentropy).reduction === 'sum_over_batch_size'
  );
}

/**
 * The Dense stack of `model`, when one SGD step of it can run as the fused
 * kernel `DENSE_SGD_STEP_KERNEL`: a chain of layers (each fed by the one
 * before) that is optional `Flatten` layers (channels last) and then `Dense`
 * layers on rank-2 inputs, relu or linear, the last one softmax, with no
 * regularizer, every weight trainable; its loss (given in logits form, see
 * `Loss.fromSoftmaxLogits`) plain sparse categorical crossentropy with weight
 * 1. Else undefined, and the model trains through the gradient tape.
 *
 * @example
 * ```ts
 * const keras = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
 * const stack = denseStackOf(keras, new SparseCategoricalCrossentropy({ fromLogits: true }), 1, keras.trainableWeights.map((w) => w.read() as tf.Variable));
 * // stack.attrs: { activations: ['relu', 'linear'], useBias: [true, true] }; stack.classes: 10
 * ```
 */
export function denseStackOf(model: tf.LayersModel, logitsLoss: Loss | undefined, lossWeight: number, trainable: readonly tf.Variable[]): DenseStack | undefined {
  if (logitsLoss === undefined || lossWeight !== 1 || !isPlainSparseCrossentropy(logitsLoss)) return undefined;
  if (model.inputs.length !== 1 || model.outputs.length !== 1 || model.nonTrainableWeights.length > 0) return undefined;
  const layers = (model.layers as unknown as LayerParts[]).filter((l) => l.getClassName() !== 'InputLayer');
  const activations: ('relu' | 'linear')[] = [];
  const useBias: boolean[] = [];
  const weights: tf.Variable[] = [];
  let previous: unknown = model.inputs[0]!.sourceLayer;
  for (const [i, layer] of layers.entries()) {
    const node = layer.inboundNodes;
    if (node.length !== 1 || node[0]!.inboundLayers.length !== 1 || node[0]!.inboundLayers[0] !== previous) return undefined;
    previous = layer;
    const config = layer.getConfig();
    if (layer.getClassName() === 'Flatten' && activations.length === 0) {
      if ((config['dataFormat'] ?? 'channelsLast') !== 'channelsLast') return undefined;
      continue;
    }
    if (layer.getClassName() !== 'Dense' || !layer.trainable || Array.isArray(layer.input) || layer.input.shape.length !== 2) return undefined;
    if (config['kernelRegularizer'] != null || config['biasRegularizer'] != null || config['activityRegularizer'] != null) return undefined;
    const activation = layer.activation?.getClassName();
    const last = i === layers.length - 1;
    if (last ? activation !== 'softmax' : activation !== 'relu' && activation !== 'linear') return undefined;
    activations.push(last ? 'linear' : (activation as 'relu' | 'linear'));
    useBias.push(layer.bias != null);
    weights.push(layer.kernel!.read() as tf.Variable, ...(layer.bias != null ? [layer.bias.read() as tf.Variable] : []));
  }
  if (previous !== model.outputs[0]!.sourceLayer || activations.length === 0) return undefined;
  if (weights.length !== trainable.length || weights.some((w, i) => w !== trainable[i])) return undefined;
  const classes = weights.at(useBias.at(-1) ? -2 : -1)!.shape[1]!;
  return { attrs: { activations, useBias }, weights, classes };
}
