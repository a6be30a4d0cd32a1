import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { Huber } from './huber.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

describe('Huber', () => {
  const yTrue = () => tf.tensor2d([[0, 0]]);
  const yPred = () => tf.tensor2d([[0.5, -3]]);

  it('is quadratic below delta and linear above (default delta 1)', () => {
    // |0.5| <= 1: 0.5 * 0.25 = 0.125; |-3| > 1: 1 * 3 - 0.5 * 1 = 2.5; mean (0.125 + 2.5) / 2 = 1.3125
    expect(read(new Huber().call(yTrue(), yPred()))).toBeCloseTo(1.3125, 6);
  });

  it('uses the given delta', () => {
    // delta 2: 0.125 and 2 * 3 - 0.5 * 4 = 4; mean 2.0625
    expect(read(new Huber({ delta: 2 }).call(yTrue(), yPred()))).toBeCloseTo(2.0625, 6);
  });

  it('is continuous at |error| = delta', () => {
    // error 1, delta 1: quadratic branch 0.5 * 1 = 0.5 (and the linear one would give 1 - 0.5 = 0.5)
    expect(read(new Huber().call(tf.tensor2d([[0]]), tf.tensor2d([[1]])))).toBeCloseTo(0.5, 6);
  });

  it('weights examples and accepts int32 labels of shape [n]', () => {
    // errors 0.5 -> 0.125 and 2 -> 1.5; weights 4 and 1: (0.5 + 1.5) / 2 = 1
    const loss = new Huber().call(tf.tensor1d([1, 1], 'int32'), tf.tensor2d([[1.5], [3]]), tf.tensor1d([4, 1]));
    expect(read(loss)).toBeCloseTo(1, 6);
  });

  it('throws a ValueError for a delta that is not positive', () => {
    expect(() => new Huber({ delta: 0 })).toThrow(ValueError);
    expect(() => new Huber({ delta: -1 })).toThrow(ValueError);
  });

  it('is named huber', () => {
    expect(new Huber().name).toBe('huber');
  });
});
