import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { MeanSquaredLogarithmicError } from './mean-squared-logarithmic-error.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

const E = Math.E;

describe('MeanSquaredLogarithmicError', () => {
  it('compares log(1 + x), clipping negative predictions to epsilon', () => {
    // example 1: log(1 + (e-1)) = 1 vs log(1 + 1e-7) ~ 0 -> 1; then 1 vs 1 -> 0; mean 0.5
    // example 2: log(1 + (e^3-1)) = 3 vs 0 -> 9; max(-5, 1e-7) -> 0 vs 0 -> 0; mean 4.5
    // batch: (0.5 + 4.5) / 2 = 2.5
    const loss = new MeanSquaredLogarithmicError().call(
      tf.tensor2d([[0, E - 1], [0, 0]]),
      tf.tensor2d([[E - 1, E - 1], [E ** 3 - 1, -5]]),
    );
    expect(read(loss)).toBeCloseTo(2.5, 4);
  });

  it('weights examples and accepts int32 labels of shape [n, 1]', () => {
    // labels 0 and 0; predictions e-1 (-> 1) and e^2-1 (-> 4); weights 2 and 0.5: (2 + 2) / 2 = 2
    const loss = new MeanSquaredLogarithmicError().call(
      tf.tensor2d([[0], [0]], [2, 1], 'int32'),
      tf.tensor2d([[E - 1], [E ** 2 - 1]]),
      tf.tensor1d([2, 0.5]),
    );
    expect(read(loss)).toBeCloseTo(2, 4);
  });

  it('is named mean_squared_logarithmic_error', () => {
    expect(new MeanSquaredLogarithmicError().name).toBe('mean_squared_logarithmic_error');
  });
});
