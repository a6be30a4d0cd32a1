import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer, LOSS_PLUGIN, pluginNames, resolveLoss, ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { defineLoss } from './define-loss.js';
import { builtInLossPlugins, registerLosses } from './register-losses.js';
import { registerPlugin } from '@fedkit/core';

describe('registerLosses', () => {
  it('resolves Keras names and aliases to working losses', () => {
    const c = registerLosses(createFedkitContainer());
    const y = tf.tensor2d([[0], [0]]);
    const p = tf.tensor2d([[1], [3]]);
    // mse: (1 + 9) / 2 = 5; mae: (1 + 3) / 2 = 2
    expect(resolveLoss(c, 'mse').call(y, p).dataSync()[0]).toBeCloseTo(5, 6);
    expect(resolveLoss(c, 'mean_absolute_error').call(y, p).dataSync()[0]).toBeCloseTo(2, 6);
    expect(resolveLoss(c, 'sparse_categorical_crossentropy', { fromLogits: true }).name).toBe('sparse_categorical_crossentropy');
    tf.dispose([y, p]);
  });

  it('throws a ValueError listing the registered names for an unknown name', () => {
    const c = registerLosses(createFedkitContainer());
    expect(() => resolveLoss(c, 'mean_squared_eror')).toThrow(ValueError);
    expect(() => resolveLoss(c, 'mean_squared_eror')).toThrow(/Registered losss?: .*mean_squared_error.*, mse/);
  });

  it('keeps a custom loss registered in a child container out of the parent', () => {
    const parent = registerLosses(createFedkitContainer());
    const child = createFedkitContainer(parent);
    registerPlugin(child, LOSS_PLUGIN, defineLoss('focal', (y, p) => tf.sub(p, y)));
    expect(pluginNames(child, LOSS_PLUGIN)).toContain('focal');
    expect(pluginNames(child, LOSS_PLUGIN)).toContain('mse');
    expect(pluginNames(parent, LOSS_PLUGIN)).not.toContain('focal');
  });

  it('leaves no tensor behind after 100 calls of every loss', () => {
    const y = tf.tensor2d([[0, 1], [1, 0]]);
    const p = tf.tensor2d([[0.3, 0.7], [0.6, 0.4]]);
    const sparse = tf.tensor1d([1, 0], 'int32');
    const w = tf.tensor1d([1, 2]);
    const losses = builtInLossPlugins().map((plugin) => plugin.create());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      for (const loss of losses) {
        const labels = loss.name === 'sparse_categorical_crossentropy' ? sparse : y;
        loss.call(labels, p, w).dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([y, p, sparse, w]);
  });
});
