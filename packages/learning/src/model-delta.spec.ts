import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { modelDelta } from './model-delta.js';

describe('modelDelta', () => {
  it('is initial − trained per weight (TFF HEAD sign)', () => {
    const trained = [tf.variable(tf.tensor1d([1, 5])), tf.variable(tf.tensor1d([-2]))];
    const delta = modelDelta([Float32Array.of(3, 4), Float32Array.of(1)], trained);
    expect(delta.map((a) => Array.from(a))).toEqual([[2, -1], [3]]);
    tf.dispose(trained);
  });

  it('writes into the arrays it is given (an executor\'s lent memory) and returns them', () => {
    const trained = [tf.variable(tf.tensor1d([1, 5]))];
    const into = [new Float32Array(2)];
    const delta = modelDelta([Float32Array.of(3, 4)], trained, into);
    expect(delta[0]).toBe(into[0]);
    expect(Array.from(into[0]!)).toEqual([2, -1]);
    tf.dispose(trained);
  });

  it('covers every value for lengths 1 to 9 (whole groups of four and the rest)', () => {
    for (let n = 1; n <= 9; n++) {
      // initial i + 0.5, trained 2i: the delta is 0.5 − i, exact in float32.
      const trained = [tf.variable(tf.tensor1d(Array.from({ length: n }, (_, i) => 2 * i)))];
      const delta = modelDelta([Float32Array.from({ length: n }, (_, i) => i + 0.5)], trained);
      expect(Array.from(delta[0]!), `length ${n}`).toEqual(Array.from({ length: n }, (_, i) => 0.5 - i));
      tf.dispose(trained);
    }
  });

  it('refuses arrays to write into whose lengths differ from the weights\'', () => {
    const trained = [tf.variable(tf.tensor1d([1, 5]))];
    expect(() => modelDelta([Float32Array.of(3, 4)], trained, [new Float32Array(3)])).toThrow(/lengths \[3\], the weights \[2\]/);
    tf.dispose(trained);
  });
});
