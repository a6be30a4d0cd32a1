import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { alignLabels, squeezeOrExpandToSameRank } from './shapes.js';

describe('squeezeOrExpandToSameRank', () => {
  it('expands a rank-1 tensor against a [n, 1] one', () => {
    const [a, b] = squeezeOrExpandToSameRank(tf.zeros([3]), tf.zeros([3, 1]));
    expect([a.shape, b.shape]).toEqual([[3, 1], [3, 1]]);
  });

  it('squeezes a trailing 1 when the other tensor has rank 2 or more', () => {
    const [a, b] = squeezeOrExpandToSameRank(tf.zeros([2, 3, 1]), tf.zeros([2, 3]));
    expect([a.shape, b.shape]).toEqual([[2, 3], [2, 3]]);
  });

  it('leaves tensors whose ranks differ otherwise unchanged', () => {
    const [a, b] = squeezeOrExpandToSameRank(tf.zeros([2]), tf.zeros([2, 5]));
    expect([a.shape, b.shape]).toEqual([[2], [2, 5]]);
  });
});

describe('alignLabels', () => {
  it('casts int32 labels to float32 and keeps the values', () => {
    const [t] = alignLabels(tf.tensor1d([1, 2], 'int32'), tf.zeros([2, 1]), 'x');
    expect([t.dtype, t.shape, Array.from(t.dataSync())]).toEqual(['float32', [2, 1], [1, 2]]);
  });

  it('throws a ValueError naming both shapes when they differ', () => {
    expect(() => alignLabels(tf.zeros([2, 1]), tf.zeros([2, 3]), 'mse')).toThrow(/\[2, 1\].*\[2, 3\]/);
    expect(() => alignLabels(tf.zeros([2, 1]), tf.zeros([2, 3]), 'mse')).toThrow(ValueError);
  });
});
