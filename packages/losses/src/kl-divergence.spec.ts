import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { KLDivergence } from './kl-divergence.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

describe('KLDivergence', () => {
  it('sums y log(y / p) over the last axis, clipping both to [1e-7, 1]', () => {
    // example 1: 1 * ln(1 / 0.5) + 1e-7 * ln(1e-7 / 0.5) = 0.69314718 - 0.0000015 = 0.69314564
    // example 2: 0.5 ln(0.5 / 0.25) + 0.5 ln(0.5 / 0.75) = 0.34657359 - 0.20273255 = 0.14384104
    // mean (0.69314564 + 0.14384104) / 2 = 0.41849334
    const loss = new KLDivergence().call(tf.tensor2d([[1, 0], [0.5, 0.5]]), tf.tensor2d([[0.5, 0.5], [0.25, 0.75]]));
    expect(read(loss)).toBeCloseTo(0.41849334, 5);
  });

  it('is zero for identical distributions', () => {
    const loss = new KLDivergence().call(tf.tensor2d([[0.3, 0.7]]), tf.tensor2d([[0.3, 0.7]]));
    expect(read(loss)).toBeCloseTo(0, 6);
  });

  it('weights examples and accepts int32 one-hot labels', () => {
    // example 1: ln 2 = 0.69314718 (the 0 label contributes 1e-7 ln(2e-7), about -1.5e-6); example 2: -ln 0.75
    // weights 1 and 0: 0.6931457 / 2 = 0.34657285
    const loss = new KLDivergence().call(
      tf.tensor2d([[1, 0], [0, 1]], [2, 2], 'int32'),
      tf.tensor2d([[0.5, 0.5], [0.25, 0.75]]),
      tf.tensor1d([1, 0]),
    );
    expect(read(loss)).toBeCloseTo(0.34657285, 5);
  });

  it('is named kl_divergence', () => {
    expect(new KLDivergence().name).toBe('kl_divergence');
  });
});
