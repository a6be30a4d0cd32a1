import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { Mean, Sum } from './reduce.js';

describe('Sum and Mean', () => {
  it('Sum adds weighted values', () => {
    const m = new Sum();
    const v = tf.tensor1d([1, 2, 3]);
    const w = tf.tensor1d([1, 0, 2]);
    m.updateState(v, undefined, w);
    // 1 + 0 + 6 = 7
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
