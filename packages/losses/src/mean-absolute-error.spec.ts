import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { MeanAbsoluteError } from './mean-absolute-error.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

describe('MeanAbsoluteError', () => {
  const yTrue = () => tf.tensor2d([[0, 1], [0, 0]]);
  const yPred = () => tf.tensor2d([[1, 1], [3, -1]]);

  it('averages absolute errors over the last axis, then over the batch', () => {
    // (|1| + 0) / 2 = 0.5; (|3| + |-1|) / 2 = 2; (0.5 + 2) / 2 = 1.25
    expect(read(new MeanAbsoluteError().call(yTrue(), yPred()))).toBeCloseTo(1.25, 6);
  });

  it('weights examples', () => {
    // (0.5 * 0 + 2 * 1) / 2 = 1
    expect(read(new MeanAbsoluteError().call(yTrue(), yPred(), tf.tensor1d([0, 1])))).toBeCloseTo(1, 6);
  });

  it('accepts int32 labels of shape [n] and [n, 1]', () => {
    const pred = tf.tensor2d([[1.5], [2]]);
    // |1 - 1.5| = 0.5, |2 - 2| = 0 -> 0.25
    expect(read(new MeanAbsoluteError().call(tf.tensor1d([1, 2], 'int32'), pred))).toBeCloseTo(0.25, 6);
    expect(read(new MeanAbsoluteError().call(tf.tensor2d([[1], [2]], [2, 1], 'int32'), pred))).toBeCloseTo(0.25, 6);
  });

  it('is named mean_absolute_error', () => {
    expect(new MeanAbsoluteError().name).toBe('mean_absolute_error');
  });
});
