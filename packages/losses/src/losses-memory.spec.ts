import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { builtInLossPlugins } from './register-losses.js';

/** Inputs each loss accepts: integer class ids for the sparse ones, probabilities elsewhere. */
function inputsFor(name: string): [tf.Tensor, tf.Tensor] {
  if (name === 'sparse_categorical_crossentropy' || name === 'categorical_generalized_cross_entropy') {
    return [tf.tensor1d([0, 2, 1, 1], 'int32'), tf.tensor2d([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3], [0.6, 0.2, 0.2]])];
  }
  return [
    tf.tensor2d([[0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 1, 0]]),
    tf.tensor2d([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3], [0.6, 0.2, 0.2]]),
  ];
}

describe('every loss', () => {
  it.each(builtInLossPlugins().map((p) => [p.name]))('"%s" leaves tf.memory().numTensors unchanged after 100 calls', (name) => {
    const plugin = builtInLossPlugins().find((p) => p.name === name)!;
    const loss = plugin.create();
    // By the loss's Keras name, so that aliases (sparseCategoricalCrossentropy) get the same inputs.
    const [yTrue, yPred] = inputsFor(loss.name);
    const weights = tf.tensor1d([1, 0.5, 0, 2]);
    const before = tf.memory().numTensors;
    let last = Number.NaN;
    for (let i = 0; i < 100; i++) {
      const value = loss.call(yTrue, yPred, i % 2 === 0 ? weights : undefined);
      last = value.dataSync()[0]!;
      value.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(last)).toBe(true);
    tf.dispose([yTrue, yPred, weights]);
  });
});
