import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { Poisson } from './poisson.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

describe('Poisson', () => {
  it('averages p - y log(p + 1e-7)', () => {
    // example 1: 2 - 0 * ln 2 = 2; example 2: e - 2 ln e = 0.71828183; mean 1.35914091
    const loss = new Poisson().call(tf.tensor2d([[0], [2]]), tf.tensor2d([[2], [Math.E]]));
    expect(read(loss)).toBeCloseTo(1.35914091, 5);
  });

  it('weights examples and accepts int32 count labels of shape [n]', () => {
    // weights 0 and 3: 3 * 0.71828183 / 2 = 1.07742274
    const loss = new Poisson().call(tf.tensor1d([0, 2], 'int32'), tf.tensor2d([[2], [Math.E]]), tf.tensor1d([0, 3]));
    expect(read(loss)).toBeCloseTo(1.07742274, 5);
  });

  it('is named poisson', () => {
    expect(new Poisson().name).toBe('poisson');
  });
});
