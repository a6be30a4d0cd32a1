import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { NumBatchesCounter, NumExamplesCounter } from './counters.js';
import { measure } from './testing/measure.js';

describe('counters', () => {
  it('NumExamplesCounter adds batch sizes and ignores sample weights', () => {
    // 2 + 3 = 5
    const m = new NumExamplesCounter();
    expect(measure(m, [[tf.zeros([2, 1]), tf.zeros([2, 4]), tf.tensor1d([5, 5])], [tf.zeros([3, 1]), tf.zeros([3, 4])]])).toBe(5);
    expect(m.name).toBe('num_examples');
  });

  it('NumBatchesCounter counts updates', () => {
    const m = new NumBatchesCounter({ name: 'batches' });
    expect(measure(m, [[tf.zeros([2, 1]), tf.zeros([2, 1])], [tf.zeros([3, 1]), tf.zeros([3, 1])]])).toBe(2);
    expect(m.name).toBe('batches');
    expect(new NumBatchesCounter().name).toBe('num_batches');
  });
});
