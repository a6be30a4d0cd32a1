import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { MeanSquaredError, meanSquaredError } from './mean-squared-error.js';

/** Reads a scalar and disposes it. */
function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

describe('MeanSquaredError', () => {
  const yTrue = () => tf.tensor2d([[0, 1], [0, 0]]);
  const yPred = () => tf.tensor2d([[1, 1], [3, 0]]);

  it('averages over the last axis, then over the batch', () => {
    // example 1: (1^2 + 0^2) / 2 = 0.5; example 2: (3^2 + 0^2) / 2 = 4.5; batch: (0.5 + 4.5) / 2 = 2.5
    expect(read(new MeanSquaredError().call(yTrue(), yPred()))).toBeCloseTo(2.5, 6);
  });

  it('returns the per-example losses from the functional form', () => {
    expect(Array.from(meanSquaredError(yTrue(), yPred()).dataSync())).toEqual([0.5, 4.5]);
  });

  it('divides the weighted sum by the batch size, not by the sum of the weights', () => {
    // (0.5 * 1 + 4.5 * 0) / 2 = 0.25
    expect(read(new MeanSquaredError().call(yTrue(), yPred(), tf.tensor1d([1, 0])))).toBeCloseTo(0.25, 6);
    // [batch, 1] weights: (0.5 * 2 + 4.5 * 1) / 2 = 2.75
    expect(read(new MeanSquaredError().call(yTrue(), yPred(), tf.tensor2d([[2], [1]])))).toBeCloseTo(2.75, 6);
  });

  it('accepts int32 labels of shape [n] and [n, 1] against [n, 1] predictions', () => {
    const pred = tf.tensor2d([[1], [2], [5]]);
    // errors 0, 0, 2 -> squared 0, 0, 4 -> mean 4 / 3
    expect(read(new MeanSquaredError().call(tf.tensor1d([1, 2, 3], 'int32'), pred))).toBeCloseTo(4 / 3, 6);
    expect(read(new MeanSquaredError().call(tf.tensor2d([[1], [2], [3]], [3, 1], 'int32'), pred))).toBeCloseTo(4 / 3, 6);
  });

  it('divides by the number of per-example elements for rank-3 inputs', () => {
    // per-position means over the last axis: (1 + 1) / 2 = 1 and (4 + 0) / 2 = 2; mean (1 + 2) / 2 = 1.5
    const loss = new MeanSquaredError().call(tf.zeros([1, 2, 2]), tf.tensor3d([[[1, 1], [2, 0]]]));
    expect(read(loss)).toBeCloseTo(1.5, 6);
  });

  it('throws a ValueError when the shapes cannot be matched', () => {
    expect(() => new MeanSquaredError().call(tf.zeros([2, 1]), tf.zeros([2, 3]))).toThrow(ValueError);
  });

  it('is named mean_squared_error unless a name is given', () => {
    expect(new MeanSquaredError().name).toBe('mean_squared_error');
    expect(new MeanSquaredError({ name: 'mse_head' }).name).toBe('mse_head');
  });

  it('leaves no tensor behind', () => {
    const t = yTrue();
    const p = yPred();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) new MeanSquaredError().call(t, p).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
