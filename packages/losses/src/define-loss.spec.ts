import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer, LOSS_PLUGIN, registerPlugin, resolveLoss } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { defineLoss } from './define-loss.js';
import { lossValue } from './testing/loss-value.js';

describe('defineLoss', () => {
  it('hands integer labels to the body without casting them', () => {
    let seen = '';
    const plugin = defineLoss('int_check', (y, p) => {
      seen = y.dtype;
      return tf.abs(tf.sub(p.squeeze([1]), y.toFloat()));
    });
    // |0.5 - 0| and |0.5 - 1| -> mean 0.5
    expect(lossValue(plugin.create(), tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0.5], [0.5]]))).toBeCloseTo(0.5, 6);
    expect(seen).toBe('int32');
  });

  it('makes a plugin resolvable by name with its config', () => {
    const c = createFedkitContainer();
    registerPlugin(
      c,
      LOSS_PLUGIN,
      defineLoss('scaled_abs', (y, p, { scale = 1 }) => tf.mul(scale as number, tf.mean(tf.abs(tf.sub(p, y)), -1))),
    );
    // 3 · mean(|1 - 0|) = 3
    expect(lossValue(resolveLoss(c, 'scaled_abs', { scale: 3 }), tf.tensor2d([[0]]), tf.tensor2d([[1]]))).toBeCloseTo(3, 6);
  });

  it('applies sample weights with SUM_OVER_BATCH_SIZE', () => {
    const plugin = defineLoss('abs', (y, p) => tf.mean(tf.abs(tf.sub(p, y)), -1));
    // per example [1, 3], weights [2, 1] -> (2 + 3) / 2 = 2.5
    expect(lossValue(plugin.create(), tf.tensor2d([[0], [0]]), tf.tensor2d([[1], [3]]), tf.tensor1d([2, 1]))).toBeCloseTo(2.5, 6);
  });
});
