import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { MeanAbsolutePercentageError } from './mean-absolute-percentage-error.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

describe('MeanAbsolutePercentageError', () => {
  it('is 100 times the mean relative error', () => {
    // example 1: 100 * (|2-1|/2 + 0/4) / 2 = 25; example 2: 100 * (0/1 + |1-3|/1) / 2 = 100; (25 + 100) / 2 = 62.5
    const loss = new MeanAbsolutePercentageError().call(tf.tensor2d([[2, 4], [1, 1]]), tf.tensor2d([[1, 4], [1, 3]]));
    expect(read(loss)).toBeCloseTo(62.5, 4);
  });

  it('divides by epsilon (1e-7) instead of a zero label', () => {
    // |0 - 1e-7| / max(0, 1e-7) = 1 -> 100
    const loss = new MeanAbsolutePercentageError().call(tf.tensor2d([[0]]), tf.tensor2d([[1e-7]]));
    expect(read(loss)).toBeCloseTo(100, 3);
  });

  it('weights examples and accepts int32 labels of shape [n]', () => {
    // errors: |2-1|/2 = 0.5 -> 50; |4-2|/4 = 0.5 -> 50; weights 1 and 3: (50 + 150) / 2 = 100
    const loss = new MeanAbsolutePercentageError().call(
      tf.tensor1d([2, 4], 'int32'),
      tf.tensor2d([[1], [2]]),
      tf.tensor1d([1, 3]),
    );
    expect(read(loss)).toBeCloseTo(100, 4);
  });

  it('is named mean_absolute_percentage_error', () => {
    expect(new MeanAbsolutePercentageError().name).toBe('mean_absolute_percentage_error');
  });
});
