import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import type { LossFunctionWrapper } from './loss-function-wrapper.js';
import { MeanSquaredError } from './mean-squared-error.js';
import { reduceWeightedLoss } from './reduction.js';
import { builtInLossPlugins } from './register-losses.js';
import { computeLoss as run } from './testing/compute.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

describe('reduceWeightedLoss (SUM_OVER_BATCH_SIZE)', () => {
  it('is the mean of the per-example losses without weights', () => {
    // (1 + 2 + 6) / 3 = 3
    expect(read(reduceWeightedLoss(tf.tensor1d([1, 2, 6])))).toBeCloseTo(3, 6);
  });

  it('divides the weighted sum by the number of elements', () => {
    // (1 * 0 + 2 * 1 + 6 * 0.5) / 3 = 5 / 3
    expect(read(reduceWeightedLoss(tf.tensor1d([1, 2, 6]), tf.tensor1d([0, 1, 0.5])))).toBeCloseTo(5 / 3, 6);
  });

  it('accepts [batch, 1], scalar and int32 weights', () => {
    // [[2], [0], [1]]: (2 + 0 + 6) / 3 = 8 / 3
    expect(read(reduceWeightedLoss(tf.tensor1d([1, 2, 6]), tf.tensor2d([[2], [0], [1]])))).toBeCloseTo(8 / 3, 6);
    // scalar 2: 2 * 9 / 3 = 6
    expect(read(reduceWeightedLoss(tf.tensor1d([1, 2, 6]), tf.scalar(2)))).toBeCloseTo(6, 6);
    // int32 [1, 1, 0]: 3 / 3 = 1
    expect(read(reduceWeightedLoss(tf.tensor1d([1, 2, 6]), tf.tensor1d([1, 1, 0], 'int32')))).toBeCloseTo(1, 6);
  });

  it('weighs every position of an example with a [batch] weight', () => {
    // losses [[1, 2], [3, 4]], weights [1, 0] -> (1 + 2) / 4 = 0.75
    expect(read(reduceWeightedLoss(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor1d([1, 0])))).toBeCloseTo(0.75, 6);
  });

  it('returns a scalar loss as is, scaled by the mean weight', () => {
    expect(read(reduceWeightedLoss(tf.scalar(4)))).toBeCloseTo(4, 6);
    // Keras: 4 * [1, 0] summed over 2 elements -> 2
    expect(read(reduceWeightedLoss(tf.scalar(4), tf.tensor1d([1, 0])))).toBeCloseTo(2, 6);
  });

  it('gives 0 for an empty batch', () => {
    expect(read(reduceWeightedLoss(tf.tensor1d([])))).toBe(0);
  });

  it('throws a ValueError for weights that would enlarge the loss', () => {
    expect(() => reduceWeightedLoss(tf.tensor1d([1, 2]), tf.tensor2d([[1, 1, 1], [1, 1, 1]]))).toThrow(ValueError);
    expect(() => reduceWeightedLoss(tf.tensor1d([1, 2]), tf.tensor1d([1, 1, 1]))).toThrow(ValueError);
  });

  it('leaves no tensor behind', () => {
    const losses = tf.tensor1d([1, 2]);
    const weights = tf.tensor1d([1, 0]);
    const before = tf.memory().numTensors;
    reduceWeightedLoss(losses, weights).dispose();
    expect(() => reduceWeightedLoss(losses, tf.tensor1d([1, 1, 1]))).toThrow(ValueError);
    // the throwing call's own weight tensor is the only new one
    expect(tf.memory().numTensors).toBe(before + 1);
  });
});

// keras/src/losses/losses_test.py, MeanSquaredErrorTest: per-example losses [110/3, 187/3].
const Y = [[1, 9, 2], [-5, -2, 6]];
const P = [[4, 8, 12], [8, 1, 3]];

describe('reduction (Keras MeanSquaredErrorTest)', () => {
  it("test_no_reduction: 'none' with weight 2.3 gives the weighted per-example losses [84.3333, 143.3666]", () => {
    const values = run(new MeanSquaredError({ reduction: 'none' }), Y, P, 2.3);
    expect(values[0]).toBeCloseTo(84.3333, 3);
    expect(values[1]).toBeCloseTo(143.3666, 3);
  });

  it("test_sum_reduction: 'sum' with weight 2.3 gives 227.69998", () => {
    expect(run(new MeanSquaredError({ reduction: 'sum' }), Y, P, 2.3)[0]).toBeCloseTo(227.69998, 3);
  });

  it("test_mean_with_sample_weight_reduction: (110/3 * 1.2 + 187/3 * 3.4) / (1.2 + 3.4)", () => {
    const expected = ((110 / 3) * 1.2 + (187 / 3) * 3.4) / (1.2 + 3.4);
    expect(run(new MeanSquaredError({ reduction: 'mean_with_sample_weight' }), Y, P, [[1.2], [3.4]])[0]).toBeCloseTo(expected, 4);
  });

  it("'mean' is 'sum_over_batch_size'; 'mean_with_sample_weight' without weights is the mean", () => {
    const mean = (110 / 3 + 187 / 3) / 2;
    expect(run(new MeanSquaredError({ reduction: 'mean' }), Y, P)[0]).toBeCloseTo(mean, 4);
    expect(run(new MeanSquaredError({ reduction: 'mean_with_sample_weight' }), Y, P)[0]).toBeCloseTo(mean, 4);
  });

  it('every built-in loss takes a reduction, and rejects an unknown one', () => {
    for (const plugin of builtInLossPlugins()) {
      const loss = plugin.create({ reduction: 'sum' }) as unknown as LossFunctionWrapper;
      expect(loss.reduction, plugin.name).toBe('sum');
      expect(loss.getConfig()['reduction'], plugin.name).toBe('sum');
      expect(() => plugin.create({ reduction: 'auto' }), plugin.name).toThrow(ValueError);
    }
  });
});

