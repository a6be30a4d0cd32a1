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

  it('NumExamplesCounter: TFF counters_test.py test_update_without_sample_weight / test_update_with_sample_weight (10, then 15)', () => {
    const m = new NumExamplesCounter();
    expect(measure(m, [[tf.zeros([10, 1]), tf.zeros([10]), tf.scalar(0.5)]])).toBe(10);
    expect(measure(m, [[tf.zeros([5, 1]), tf.zeros([5]), tf.scalar(2)]])).toBe(15);
  });

  it('NumExamplesCounter counts the first argument (y_true), as TFF does, not the predictions', () => {
    // Regression (issue 15): labels [3, 1] with predictions [1, 3] count 3 examples (fedkit counted 1).
    expect(measure(new NumExamplesCounter(), [[tf.zeros([3, 1]), tf.zeros([1, 3])]])).toBe(3);
  });

  it('batchDelta adds the batch size (1 for a scalar label) and one batch, as updateState does', () => {
    const labels = { values: new Int32Array(7), shape: [7, 1] };

    expect(new NumExamplesCounter().batchDelta(labels)).toEqual([7]);
    expect(new NumExamplesCounter().batchDelta({ values: Int32Array.of(3), shape: [] })).toEqual([1]);
    expect(new NumBatchesCounter().batchDelta()).toEqual([1]);
    expect(new NumExamplesCounter().batchDelta(labels)).toEqual([measure(new NumExamplesCounter(), [[tf.zeros([7, 1]), tf.zeros([7, 2])]])]);
  });

  it('NumBatchesCounter counts updates', () => {
    const m = new NumBatchesCounter({ name: 'batches' });
    expect(measure(m, [[tf.zeros([2, 1]), tf.zeros([2, 1])], [tf.zeros([3, 1]), tf.zeros([3, 1])]])).toBe(2);
    expect(m.name).toBe('batches');
    expect(new NumBatchesCounter().name).toBe('num_batches');
  });
});
