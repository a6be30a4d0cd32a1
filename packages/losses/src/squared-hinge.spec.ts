import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { SquaredHinge } from './squared-hinge.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

describe('SquaredHinge', () => {
  it('averages max(1 - y p, 0)^2, converting 0/1 labels to -1/1', () => {
    // [1, 0] -> [1, -1]: 0.5^2 = 0.25; 1.5^2 = 2.25; mean 1.25
    expect(read(new SquaredHinge().call(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.5, 0.5]])))).toBeCloseTo(1.25, 6);
  });

  it('accepts int32 labels of shape [n] and sample weights', () => {
    // labels -1/1 after conversion; predictions -2, 0.3: 0 and 0.7^2 = 0.49; mean 0.245
    const pred = tf.tensor2d([[-2], [0.3]]);
    expect(read(new SquaredHinge().call(tf.tensor1d([0, 1], 'int32'), pred))).toBeCloseTo(0.245, 6);
    // weights 5 and 0: 0
    expect(read(new SquaredHinge().call(tf.tensor1d([0, 1], 'int32'), pred, tf.tensor1d([5, 0])))).toBeCloseTo(0, 6);
  });

  it('is named squared_hinge', () => {
    expect(new SquaredHinge().name).toBe('squared_hinge');
  });
});
