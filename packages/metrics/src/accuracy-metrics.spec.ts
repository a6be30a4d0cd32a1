import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from './accuracy-metrics.js';
import { measure } from './testing/measure.js';

describe('Accuracy', () => {
  it('counts element-wise equality', () => {
    // 3 of 4 equal
    expect(measure(new Accuracy(), [[tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([1, 2, 3, 0])]])).toBeCloseTo(0.75, 6);
  });
});

describe('BinaryAccuracy', () => {
  it('thresholds predictions at 0.5 by default', () => {
    // predictions -> [1, 0, 1]; labels [1, 1, 1] -> 2/3
    expect(measure(new BinaryAccuracy(), [[tf.tensor2d([[1], [1], [1]]), tf.tensor2d([[0.7], [0.4], [0.51]])]])).toBeCloseTo(2 / 3, 6);
  });

  it('uses the given threshold', () => {
    // threshold 0.6 -> [1, 0, 0] -> 1/3
    expect(measure(new BinaryAccuracy({ threshold: 0.6 }), [[tf.tensor2d([[1], [1], [1]]), tf.tensor2d([[0.7], [0.4], [0.51]])]])).toBeCloseTo(1 / 3, 6);
  });
});

describe('CategoricalAccuracy', () => {
  it('compares arg-maxes of one-hot labels and predictions, weighted', () => {
    // correct: [yes, no]; weights [3, 1] -> 3/4
    const v = measure(new CategoricalAccuracy(), [
      [tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0.2, 0.8], [0.3, 0.7]]), tf.tensor1d([3, 1])],
    ]);
    expect(v).toBeCloseTo(0.75, 6);
  });
});

describe('SparseCategoricalAccuracy', () => {
  const preds = () => tf.tensor2d([[0.1, 0.9], [0.8, 0.2], [0.6, 0.4]]);
  // arg-max [1, 0, 0]; labels [1, 0, 1] -> 2/3

  it('takes int32 labels of shape [n]', () => {
    expect(measure(new SparseCategoricalAccuracy(), [[tf.tensor1d([1, 0, 1], 'int32'), preds()]])).toBeCloseTo(2 / 3, 6);
  });

  it('takes int32 labels of shape [n, 1]', () => {
    expect(measure(new SparseCategoricalAccuracy(), [[tf.tensor2d([[1], [0], [1]], undefined, 'int32'), preds()]])).toBeCloseTo(2 / 3, 6);
  });

  it('takes float labels', () => {
    expect(measure(new SparseCategoricalAccuracy(), [[tf.tensor1d([1, 0, 1]), preds()]])).toBeCloseTo(2 / 3, 6);
  });

  it('accumulates over batches', () => {
    // batch 1: 2/3 correct; batch 2: 1/1 -> 3/4
    const v = measure(new SparseCategoricalAccuracy(), [
      [tf.tensor1d([1, 0, 1], 'int32'), preds()],
      [tf.tensor1d([0], 'int32'), tf.tensor2d([[0.9, 0.1]])],
    ]);
    expect(v).toBeCloseTo(0.75, 6);
  });
});

describe('top-k accuracies', () => {
  const preds = () => tf.tensor2d([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]]);
  // top-2 of row 0: classes {0, 1}; of row 1: {2, 1}

  it('TopKCategoricalAccuracy counts one-hot labels among the k best', () => {
    // labels [2, 1]: row 0 no, row 1 yes -> 0.5
    expect(measure(new TopKCategoricalAccuracy({ k: 2 }), [[tf.tensor2d([[0, 0, 1], [0, 1, 0]]), preds()]])).toBeCloseTo(0.5, 6);
  });

  it('SparseTopKCategoricalAccuracy counts integer labels among the k best', () => {
    // labels [1, 0]: row 0 yes, row 1 no -> 0.5; with k = 1: row 0 no (best is 0), row 1 no -> 0
    expect(measure(new SparseTopKCategoricalAccuracy({ k: 2 }), [[tf.tensor1d([1, 0], 'int32'), preds()]])).toBeCloseTo(0.5, 6);
    expect(measure(new SparseTopKCategoricalAccuracy({ k: 1 }), [[tf.tensor2d([[1], [0]], undefined, 'int32'), preds()]])).toBeCloseTo(0, 6);
  });
});
