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

  it('batchDelta: a scalar value adds [v] to Sum, [v, 1] unweighted and [v·w, w] weighted to Mean, rounded to float32', () => {
    // 0.1 · 3 in float32: fround(fround(0.1) · 3); the count of a weighted mean is the weight.
    const v = { values: Float32Array.of(0.1), shape: [] };
    const w = { values: Float32Array.of(3), shape: [] };

    expect(new Sum().batchDelta(v)).toEqual([Math.fround(0.1)]);
    expect(new Mean().batchDelta(v)).toEqual([Math.fround(0.1), 1]);
    expect(new Mean().batchDelta(v, undefined, w)).toEqual([Math.fround(Math.fround(0.1) * 3), 3]);
    expect(new Reduce({ reduction: 'sum_over_batch_size' }).batchDelta(v, undefined, w)).toEqual([Math.fround(Math.fround(0.1) * 3), 1]);
  });

  it("batchDelta matches updateState's state for a weighted scalar, as the loss tracker adds it", () => {
    const kernels = new Mean();
    const sums = [0, 0];
    for (const [loss, n] of [[2.3025851, 10], [1.7, 10], [0.123456789, 3]] as const) {
      const [l, w] = [tf.scalar(loss), tf.scalar(n)];
      kernels.updateState(l, l, w);
      new Mean().batchDelta({ values: Float32Array.of(loss), shape: [] }, undefined, { values: Float32Array.of(n), shape: [] })!.forEach((d, i) => (sums[i] = Math.fround(sums[i]! + d)));
      tf.dispose([l, w]);
    }

    expect(sums).toEqual(kernels.unfinalizedState());
  });

  it('batchDelta leaves many values (a sum the kernel orders) and subclasses with their own updateState to updateState', () => {
    class Doubled extends Mean {
      override updateState(values: tf.Tensor): void {
        tf.tidy(() => super.updateState(tf.mul(values, 2)));
      }
    }
    const one = { values: Float32Array.of(1), shape: [] };

    expect(new Mean().batchDelta({ values: Float32Array.of(1, 2), shape: [2] })).toBeUndefined();
    expect(new Mean().batchDelta(one, undefined, { values: Float32Array.of(1, 2), shape: [2] })).toBeUndefined();
    expect(new Doubled().batchDelta(one)).toBeUndefined();
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
