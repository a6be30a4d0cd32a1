import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  CosineSimilarity,
  Huber,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
} from './regression-losses.js';
import { lossValue } from './testing/loss-value.js';

describe('MeanSquaredError', () => {
  it('averages squared errors over the last axis, then over the batch', () => {
    // per example: mean(1², 0²) = 0.5 and mean(1², 0²) = 0.5 -> 0.5
    expect(lossValue(new MeanSquaredError(), tf.tensor2d([[0, 1], [0, 0]]), tf.tensor2d([[1, 1], [1, 0]]))).toBeCloseTo(0.5, 6);
  });

  it('weights examples and divides by the batch size (SUM_OVER_BATCH_SIZE)', () => {
    // per example [0.5, 2] (second: mean(2², 0²)); weights [1, 0] -> (0.5·1 + 2·0) / 2 = 0.25
    const v = lossValue(new MeanSquaredError(), tf.tensor2d([[0, 1], [0, 0]]), tf.tensor2d([[1, 1], [2, 0]]), tf.tensor1d([1, 0]));
    expect(v).toBeCloseTo(0.25, 6);
  });

  it('accepts integer labels', () => {
    // (1 - 0)² and (1 - 3)² -> (1 + 4) / 2 = 2.5
    expect(lossValue(new MeanSquaredError(), tf.tensor2d([[0], [3]], undefined, 'int32'), tf.tensor2d([[1], [1]]))).toBeCloseTo(2.5, 6);
  });
});

describe('MeanAbsoluteError', () => {
  it('averages absolute errors', () => {
    // per example (1 + 2) / 2 = 1.5 and (0 + 1) / 2 = 0.5 -> 1.0
    expect(lossValue(new MeanAbsoluteError(), tf.tensor2d([[0, 1], [0, 0]]), tf.tensor2d([[1, 3], [0, -1]]))).toBeCloseTo(1.0, 6);
  });
});

describe('MeanAbsolutePercentageError', () => {
  it('is 100 times the mean relative error', () => {
    // |2-1|/2 = 0.5 -> 50, |4-5|/4 = 0.25 -> 25; mean 37.5
    expect(lossValue(new MeanAbsolutePercentageError(), tf.tensor2d([[2], [4]]), tf.tensor2d([[1], [5]]))).toBeCloseTo(37.5, 4);
  });
});

describe('MeanSquaredLogarithmicError', () => {
  it('squares the difference of log(1 + x)', () => {
    // (ln 4 - ln 2)² = (ln 2)² = 0.480453
    expect(lossValue(new MeanSquaredLogarithmicError(), tf.tensor2d([[1]]), tf.tensor2d([[3]]))).toBeCloseTo(0.480453, 5);
  });
});

describe('Huber', () => {
  it('is quadratic below delta and linear above (delta = 1)', () => {
    // |e| = 0.5 -> 0.5·0.25 = 0.125; |e| = 3 -> 1·3 - 0.5 = 2.5; mean 1.3125
    expect(lossValue(new Huber(), tf.tensor2d([[0], [0]]), tf.tensor2d([[0.5], [3]]))).toBeCloseTo(1.3125, 6);
  });

  it('uses the given delta', () => {
    // delta 2: 0.125 and 2·3 - 0.5·4 = 4; mean 2.0625
    expect(lossValue(new Huber({ delta: 2 }), tf.tensor2d([[0], [0]]), tf.tensor2d([[0.5], [3]]))).toBeCloseTo(2.0625, 6);
  });
});

describe('LogCosh', () => {
  it('is log(cosh(error))', () => {
    // ln(cosh 1) = ln 1.5430806 = 0.4337808
    expect(lossValue(new LogCosh(), tf.tensor2d([[0]]), tf.tensor2d([[1]]))).toBeCloseTo(0.4337808, 5);
  });
});

describe('CosineSimilarity', () => {
  it('is the negative cosine along the last axis', () => {
    // -cos([1,0],[1,1]) = -0.7071068; -cos([0,1],[0,-2]) = 1; mean 0.1464466
    const v = lossValue(new CosineSimilarity(), tf.tensor2d([[1, 0], [0, 1]]), tf.tensor2d([[1, 1], [0, -2]]));
    expect(v).toBeCloseTo(0.1464466, 5);
  });
});
