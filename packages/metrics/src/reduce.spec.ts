import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { Mean, Reduce, Sum } from './reduce.js';

describe('Reduce, Sum and Mean', () => {
  it('Sum adds weighted values; state [total]', () => {
    const m = new Sum();
    const v = tf.tensor1d([1, 2, 3]);
    const w = tf.tensor1d([1, 0, 2]);
    m.updateState(v, undefined, w);
    // 1 + 0 + 6 = 7
    expect(m.unfinalizedState()).toEqual([7]);
    expect(m.result()).toBe(7);
    tf.dispose([v, w]);
  });

  it('Mean keeps [total, count] and divides at the end', () => {
    const m = new Mean();
    const a = tf.tensor1d([1, 2]);
    const b = tf.tensor1d([6]);
    m.updateState(a);
    m.updateState(b);
    // (1 + 2 + 6) / 3 = 3
    expect(m.unfinalizedState()).toEqual([9, 3]);
    expect(m.result()).toBe(3);
    tf.dispose([a, b]);
  });

  it('Mean broadcasts [n] and [n, 1] weights over [n, d] values', () => {
    // values [[1, 3], [5, 7]], weights [1, 3] -> (1 + 3 + 15 + 21) / (2 + 6) = 5
    const v = tf.tensor2d([[1, 3], [5, 7]]);
    const w1 = tf.tensor1d([1, 3]);
    const w2 = tf.tensor2d([[1], [3]]);
    const a = new Mean();
    a.updateState(v, undefined, w1);
    const b = new Mean();
    b.updateState(v, undefined, w2);
    expect(a.result()).toBe(5);
    expect(b.unfinalizedState()).toEqual([40, 8]);
    tf.dispose([v, w1, w2]);
  });

  it('Reduce sum_over_batch_size divides by the number of values, not the weights', () => {
    // values [2, 4], weights [1, 3] -> (2 + 12) / 2 = 7
    const m = new Reduce({ reduction: 'sum_over_batch_size' });
    const v = tf.tensor1d([2, 4]);
    const w = tf.tensor1d([1, 3]);
    m.updateState(v, undefined, w);
    expect(m.result()).toBe(7);
    expect(m.name).toBe('sum_over_batch_size');
    tf.dispose([v, w]);
  });

  it('Reduce rejects an unknown reduction with a ValueError', () => {
    expect(() => new Reduce({ reduction: 'median' as never })).toThrow(ValueError);
  });

  it('resetState zeroes the state', () => {
    const m = new Mean();
    const a = tf.tensor1d([5]);
    m.updateState(a);
    m.resetState();
    expect(m.unfinalizedState()).toEqual([0, 0]);
    expect(m.result()).toBe(0);
    a.dispose();
  });
});
