import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { CategoricalHinge } from './categorical-hinge.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

describe('CategoricalHinge', () => {
  it('is max(max((1 - y) p) - sum(y p) + 1, 0)', () => {
    // example 1: pos 0.7, neg 0.3 -> 0.6; example 2: pos 2, neg max(0, -1) = 0 -> max(-1, 0) = 0; mean 0.3
    const loss = new CategoricalHinge().call(tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0.3, 0.7], [2, -1]]));
    expect(read(loss)).toBeCloseTo(0.3, 6);
  });

  it('weights examples and accepts int32 one-hot labels', () => {
    // weights 3 and 1: (1.8 + 0) / 2 = 0.9
    const loss = new CategoricalHinge().call(
      tf.tensor2d([[0, 1], [1, 0]], [2, 2], 'int32'),
      tf.tensor2d([[0.3, 0.7], [2, -1]]),
      tf.tensor1d([3, 1]),
    );
    expect(read(loss)).toBeCloseTo(0.9, 6);
  });

  it('is named categorical_hinge', () => {
    expect(new CategoricalHinge().name).toBe('categorical_hinge');
  });
});
