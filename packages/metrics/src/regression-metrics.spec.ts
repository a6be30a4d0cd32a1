import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError, RootMeanSquaredError } from './regression-metrics.js';
import { measure } from './testing/measure.js';

describe('regression metrics', () => {
  it('MeanAbsoluteError averages |error| per example, then over examples', () => {
    // per example (1 + 2) / 2 = 1.5 and 0.5 -> 1.0
    expect(measure(new MeanAbsoluteError(), [[tf.tensor2d([[0, 1], [0, 0]]), tf.tensor2d([[1, 3], [0, -1]])]])).toBeCloseTo(1, 6);
  });

  it('MeanSquaredError weights examples', () => {
    // per example [1, 9], weights [1, 3] -> (1 + 27) / 4 = 7
    expect(measure(new MeanSquaredError(), [[tf.tensor2d([[0], [0]]), tf.tensor2d([[1], [3]]), tf.tensor1d([1, 3])]])).toBeCloseTo(7, 6);
  });

  it('RootMeanSquaredError takes the square root of the pooled mean', () => {
    // batch 1: squares [1, 9], batch 2: [16] -> sqrt(26 / 3) = 2.9439203
    const v = measure(new RootMeanSquaredError(), [
      [tf.tensor2d([[0], [0]]), tf.tensor2d([[1], [3]])],
      [tf.tensor2d([[0]]), tf.tensor2d([[4]])],
    ]);
    expect(v).toBeCloseTo(2.9439203, 5);
  });

  it('MeanAbsolutePercentageError is 100 times the mean relative error', () => {
    // 50 and 25 -> 37.5
    expect(measure(new MeanAbsolutePercentageError(), [[tf.tensor2d([[2], [4]]), tf.tensor2d([[1], [5]])]])).toBeCloseTo(37.5, 4);
  });
});
