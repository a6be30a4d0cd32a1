import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { Hinge } from './hinge.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

describe('Hinge', () => {
  it('averages max(1 - y p, 0) with -1/1 labels', () => {
    // max(1 - 0.5, 0) = 0.5; max(1 + 0.5, 0) = 1.5; mean 1
    expect(read(new Hinge().call(tf.tensor2d([[1, -1]]), tf.tensor2d([[0.5, 0.5]])))).toBeCloseTo(1, 6);
  });

  it('converts 0/1 labels to -1/1', () => {
    // [1, 0] -> [1, -1]: same as above
    expect(read(new Hinge().call(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.5, 0.5]])))).toBeCloseTo(1, 6);
  });

  it('leaves labels alone when the batch is not all 0/1', () => {
    // [-1, 0] kept: max(1 + 0.5, 0) = 1.5; max(1 - 0, 0) = 1; mean 1.25
    expect(read(new Hinge().call(tf.tensor2d([[-1, 0]]), tf.tensor2d([[0.5, 0.5]])))).toBeCloseTo(1.25, 6);
  });

  it('accepts int32 labels of shape [n] and [n, 1], and sample weights', () => {
    // labels 0, 1 -> -1, 1; predictions -2, 0.3: max(1 - 2, 0) = 0; max(1 - 0.3, 0) = 0.7; mean 0.35
    const pred = tf.tensor2d([[-2], [0.3]]);
    expect(read(new Hinge().call(tf.tensor1d([0, 1], 'int32'), pred))).toBeCloseTo(0.35, 6);
    expect(read(new Hinge().call(tf.tensor2d([[0], [1]], [2, 1], 'int32'), pred))).toBeCloseTo(0.35, 6);
    // weights 1 and 2: (0 + 1.4) / 2 = 0.7
    expect(read(new Hinge().call(tf.tensor1d([0, 1], 'int32'), pred, tf.tensor1d([1, 2])))).toBeCloseTo(0.7, 6);
  });

  it('is named hinge', () => {
    expect(new Hinge().name).toBe('hinge');
  });
});
