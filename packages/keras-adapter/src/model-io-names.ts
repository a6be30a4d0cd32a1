import type * as tf from '@tensorflow/tfjs';

// A tfjs Sequential model leaves `inputNames`/`outputNames` empty until it is compiled or built, while
// Keras names them after their layers from the start; both fall back to the layers' names.

/**
 * The model's output names (its output layers' names), as Keras reports them.
 * @example
 * ```ts
 * outputNamesOf(tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, name: 'out' })] })); // ['out']
 * ```
 */
export function outputNamesOf(model: tf.LayersModel): string[] {
  return model.outputNames.length > 0 ? [...model.outputNames] : model.outputs.map((o) => o.sourceLayer.name);
}

/**
 * The model's input names (its input layers' names), as Keras reports them.
 * @example
 * ```ts
 * const a = tf.input({ shape: [1], name: 'a' });
 * inputNamesOf(tf.model({ inputs: a, outputs: tf.layers.dense({ units: 1 }).apply(a) as tf.SymbolicTensor })); // ['a']
 * ```
 */
export function inputNamesOf(model: tf.LayersModel): string[] {
  return model.inputNames.length > 0 ? [...model.inputNames] : model.inputs.map((i) => i.sourceLayer.name);
}
