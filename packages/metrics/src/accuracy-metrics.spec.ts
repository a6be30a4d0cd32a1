import * as tf from '@tensorflow/tfjs';
import { LabelRangeError, ValueError } from '@fedkit/core';
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
  it('counts element-wise equality, weighted', () => {
    // labels [1, 2, 3, 4], predictions [0, 2, 3, 4]: 3 of 4 equal -> 0.75
    expect(measure(new Accuracy(), [[tf.tensor2d([[1], [2], [3], [4]]), tf.tensor2d([[0], [2], [3], [4]])]])).toBeCloseTo(0.75, 6);
    // weights [1, 1, 0, 0]: correct weight 1 (second) of 2 -> 0.5
    const weighted = measure(new Accuracy(), [
      [tf.tensor2d([[1], [2], [3], [4]]), tf.tensor2d([[0], [2], [3], [4]]), tf.tensor1d([1, 1, 0, 0])],
    ]);
    expect(weighted).toBeCloseTo(0.5, 6);
  });

  it('compares labels [n] with predictions [n, 1] example by example, not by broadcasting', () => {
    // 3 of 4 equal -> 0.75 (a [4, 4] broadcast would give 3/16)
    expect(measure(new Accuracy(), [[tf.tensor1d([1, 2, 3, 4], 'int32'), tf.tensor2d([[0], [2], [3], [4]])]])).toBeCloseTo(0.75, 6);
  });
});

describe('BinaryAccuracy', () => {
  it('thresholds predictions at 0.5 by default, weighted', () => {
    // predictions [0.98, 1, 0, 0.6] -> [1, 1, 0, 1]; labels [1, 1, 0, 0] -> 3/4
    expect(measure(new BinaryAccuracy(), [[tf.tensor2d([[1], [1], [0], [0]]), tf.tensor2d([[0.98], [1], [0], [0.6]])]])).toBeCloseTo(0.75, 6);
    // weights [1, 0, 0, 1]: correct (1) + wrong (0) over weight 2 -> 0.5
    const weighted = measure(new BinaryAccuracy(), [
      [tf.tensor2d([[1], [1], [0], [0]]), tf.tensor2d([[0.98], [1], [0], [0.6]]), tf.tensor1d([1, 0, 0, 1])],
    ]);
    expect(weighted).toBeCloseTo(0.5, 6);
  });

  it('treats each element of rank-1 inputs as one example', () => {
    // same numbers as above, shape [4] -> 0.75
    expect(measure(new BinaryAccuracy(), [[tf.tensor1d([1, 1, 0, 0], 'int32'), tf.tensor1d([0.98, 1, 0, 0.6])]])).toBeCloseTo(0.75, 6);
  });

  it('uses the given threshold', () => {
    // threshold 0.7 -> [1, 1, 0, 0]: all 4 correct
    expect(measure(new BinaryAccuracy({ threshold: 0.7 }), [[tf.tensor1d([1, 1, 0, 0]), tf.tensor1d([0.98, 1, 0, 0.6])]])).toBe(1);
  });

  it('weighs every value of an example with its [n] weight', () => {
    // row 0: labels [1, 0], decisions [1, 1] -> 0.5; row 1: labels [1, 1], decisions [1, 1] -> 1
    // weights [3, 1] -> (3·0.5 + 1·1) / 4 = 0.625. The state counts values, not examples:
    // [3·1 + 3·0 + 1·1 + 1·1, 3 + 3 + 1 + 1] = [5, 8] (Keras keeps per-example means, [2.5, 4]: same ratio).
    const m = new BinaryAccuracy();
    expect(measure(m, [[tf.tensor2d([[1, 0], [1, 1]]), tf.tensor2d([[0.6, 0.7], [0.8, 0.9]]), tf.tensor1d([3, 1])]])).toBeCloseTo(0.625, 6);
    expect(m.unfinalizedState()).toEqual([5, 8]);
  });
});

describe('CategoricalAccuracy', () => {
  it('compares arg-maxes of one-hot labels and predictions, weighted', () => {
    // arg-max labels [2, 1], predictions [1, 1] -> 1 of 2; weights [0.7, 0.3] -> 0.3
    const y = () => tf.tensor2d([[0, 0, 1], [0, 1, 0]]);
    const p = () => tf.tensor2d([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
    expect(measure(new CategoricalAccuracy(), [[y(), p()]])).toBeCloseTo(0.5, 6);
    expect(measure(new CategoricalAccuracy(), [[y(), p(), tf.tensor1d([0.7, 0.3])]])).toBeCloseTo(0.3, 6);
  });
});

describe('SparseCategoricalAccuracy', () => {
  const preds = () => tf.tensor2d([[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
  // arg-max [1, 1]; labels [2, 1] -> 1 of 2

  it('takes int32 labels of shape [n]', () => {
    expect(measure(new SparseCategoricalAccuracy(), [[tf.tensor1d([2, 1], 'int32'), preds()]])).toBeCloseTo(0.5, 6);
  });

  it('takes int32 labels of shape [n, 1], weighted', () => {
    // weights [0.7, 0.3]: only the second (0.3) is correct -> 0.3
    expect(measure(new SparseCategoricalAccuracy(), [[tf.tensor2d([[2], [1]], undefined, 'int32'), preds(), tf.tensor1d([0.7, 0.3])]])).toBeCloseTo(0.3, 6);
  });

  it('takes float labels', () => {
    expect(measure(new SparseCategoricalAccuracy(), [[tf.tensor2d([[2], [1]]), preds()]])).toBeCloseTo(0.5, 6);
  });

  it('takes predictions with a middle axis (sequence models)', () => {
    // [1, 2, 3] predictions: arg-max [1, 0]; labels [1, 2] -> 1 of 2, as [1, 2] or [1, 2, 1]
    const p = () => tf.tensor3d([[[0.1, 0.8, 0.1], [0.7, 0.2, 0.1]]]);
    expect(measure(new SparseCategoricalAccuracy(), [[tf.tensor2d([[1, 2]], undefined, 'int32'), p()]])).toBeCloseTo(0.5, 6);
    expect(measure(new SparseCategoricalAccuracy(), [[tf.tensor3d([[[1], [2]]], undefined, 'int32'), p()]])).toBeCloseTo(0.5, 6);
  });

  it('throws a LabelRangeError for a label outside [0, classes) and leaves the batch uncounted (Keras counts it as a miss)', () => {
    const m = new SparseCategoricalAccuracy();
    m.updateState(tf.tensor1d([1], 'int32'), tf.tensor2d([[0.1, 0.8, 0.1]]));
    expect(() => m.updateState(tf.tensor1d([1, 3], 'int32'), preds())).toThrow(LabelRangeError);
    expect(() => m.updateState(tf.tensor1d([1, 3], 'int32'), preds())).toThrow(/^sparse_categorical_accuracy: label 3 \(at index 1 of the batch's labels\) is outside \[0, 3\)/);
    expect(m.result()).toBe(1);
  });

  describe('batchDelta (the host form of updateState)', () => {
    const host = (labels: number[], shape: number[], p: number[], pShape: number[]) =>
      [{ values: Int32Array.from(labels), shape }, { values: Float32Array.from(p), shape: pShape }] as const;

    it('counts the rows whose first largest prediction is the label, and the rows', () => {
      // arg-max per row: 1 (label 2: miss), 1 (label 1: hit), 0 of the tie 0.4 / 0.4 (label 0: hit) -> 2 of 3
      const [y, p] = host([2, 1, 0], [3], [0.1, 0.6, 0.3, 0.05, 0.95, 0, 0.4, 0.4, 0.2], [3, 3]);

      expect(new SparseCategoricalAccuracy().batchDelta(y, p)).toEqual([2, 3]);
    });

    it('takes [n, 1] labels and predictions with a middle axis', () => {
      // [1, 2, 3] predictions: arg-max [1, 0]; labels [1, 2] -> 1 of 2
      const p = Float32Array.of(0.1, 0.8, 0.1, 0.7, 0.2, 0.1);
      const m = new SparseCategoricalAccuracy();

      expect(m.batchDelta({ values: Int32Array.of(1, 2), shape: [1, 2] }, { values: p, shape: [1, 2, 3] })).toEqual([1, 2]);
      expect(m.batchDelta({ values: Int32Array.of(1, 2), shape: [1, 2, 1] }, { values: p, shape: [1, 2, 3] })).toEqual([1, 2]);
      expect(m.batchDelta({ values: Int32Array.of(2, 1), shape: [2, 1] }, { values: p, shape: [2, 3] })).toEqual([0, 2]);
    });

    it('leaves to updateState what it does not compute the same way: weights, float labels, NaN, labels out of range, other shapes', () => {
      const m = new SparseCategoricalAccuracy();
      const p = { values: Float32Array.of(0.1, 0.9, 0.6, 0.4), shape: [2, 2] };
      const y = { values: Int32Array.of(1, 0), shape: [2] };

      expect(m.batchDelta(y, p, { values: Float32Array.of(1, 1), shape: [2] })).toBeUndefined();
      expect(m.batchDelta({ values: Float32Array.of(1, 0), shape: [2] }, p)).toBeUndefined();
      expect(m.batchDelta(y, { values: Float32Array.of(0.1, 0.9, NaN, 0.4), shape: [2, 2] })).toBeUndefined();
      expect(m.batchDelta({ values: Int32Array.of(1, 2), shape: [2] }, p)).toBeUndefined();
      expect(m.batchDelta({ values: Int32Array.of(1), shape: [1] }, { values: Float32Array.of(0.1, 0.9), shape: [2, 1] })).toBeUndefined();
      expect(m.batchDelta({ values: Int32Array.of(1, 0, 1, 0), shape: [4] }, p)).toBeUndefined();
    });

    it('gives the state updateState gives, summed in float32, on 40 random batches with ties', () => {
      // Predictions on a grid of 4 values make ties common; the state's sums pass 2^24 / 2^20 nowhere, so both are exact.
      let seed = 7;
      const next = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const kernels = new SparseCategoricalAccuracy();
      const sums = [0, 0];
      for (let b = 0; b < 40; b++) {
        const n = 1 + Math.floor(next() * 9);
        const labels = Int32Array.from({ length: n }, () => Math.floor(next() * 5));
        const p = Float32Array.from({ length: n * 5 }, () => Math.floor(next() * 4) / 4);
        kernels.updateState(tf.tensor1d(labels, 'int32'), tf.tensor2d(p, [n, 5]));
        new SparseCategoricalAccuracy().batchDelta({ values: labels, shape: [n] }, { values: p, shape: [n, 5] })!.forEach((d, i) => (sums[i] = Math.fround(sums[i]! + d)));
      }

      expect(sums).toEqual(kernels.unfinalizedState());
    });
  });

  it('accumulates over batches', () => {
    // batch 1: 1 of 2 correct; batch 2: 1 of 1 -> 2/3
    const v = measure(new SparseCategoricalAccuracy(), [
      [tf.tensor1d([2, 1], 'int32'), preds()],
      [tf.tensor1d([0], 'int32'), tf.tensor2d([[0.9, 0.05, 0.05]])],
    ]);
    expect(v).toBeCloseTo(2 / 3, 6);
  });
});

describe('top-k accuracies', () => {
  const preds = () => tf.tensor2d([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
  // top-1 of row 0: {1}, of row 1: {1}; top-2 of row 0: {1, 2}, of row 1: {1, 0}

  it('TopKCategoricalAccuracy counts one-hot labels among the k best, weighted', () => {
    // labels [2, 1]; k = 1: row 0 no, row 1 yes -> 0.5; weights [0.7, 0.3] -> 0.3; k = 2: both yes -> 1
    const y = () => tf.tensor2d([[0, 0, 1], [0, 1, 0]]);
    expect(measure(new TopKCategoricalAccuracy({ k: 1 }), [[y(), preds()]])).toBeCloseTo(0.5, 6);
    expect(measure(new TopKCategoricalAccuracy({ k: 1 }), [[y(), preds(), tf.tensor1d([0.7, 0.3])]])).toBeCloseTo(0.3, 6);
    expect(measure(new TopKCategoricalAccuracy({ k: 2 }), [[y(), preds()]])).toBeCloseTo(1, 6);
  });

  it('SparseTopKCategoricalAccuracy counts integer labels [n] and [n, 1] among the k best', () => {
    // labels [2, 1]: k = 1 -> 0.5, k = 2 -> 1; default k = 5 >= 3 classes -> 1
    expect(measure(new SparseTopKCategoricalAccuracy({ k: 1 }), [[tf.tensor1d([2, 1], 'int32'), preds()]])).toBeCloseTo(0.5, 6);
    expect(measure(new SparseTopKCategoricalAccuracy({ k: 2 }), [[tf.tensor2d([[2], [1]], undefined, 'int32'), preds()]])).toBeCloseTo(1, 6);
    expect(measure(new SparseTopKCategoricalAccuracy(), [[tf.tensor1d([0, 2], 'int32'), preds()]])).toBeCloseTo(1, 6);
  });

  it('counts classes tied at the boundary as in the top k (TensorFlow in_top_k)', () => {
    // scores [0.5, 0.5, 0.1], label 1, k = 1: no class scores strictly higher -> in the top 1
    expect(measure(new SparseTopKCategoricalAccuracy({ k: 1 }), [[tf.tensor1d([1], 'int32'), tf.tensor2d([[0.5, 0.5, 0.1]])]])).toBe(1);
  });

  it('SparseTopKCategoricalAccuracy throws a LabelRangeError for a negative label (Keras counts it as a miss)', () => {
    expect(() => measure(new SparseTopKCategoricalAccuracy({ k: 2 }), [[tf.tensor1d([-1], 'int32'), tf.tensor2d([[0.5, 0.3, 0.2]])]])).toThrow(
      /^sparse_top_k_categorical_accuracy: label -1 .* outside \[0, 3\)/,
    );
  });

  it('rejects k < 1 with a ValueError', () => {
    expect(() => new TopKCategoricalAccuracy({ k: 0 })).toThrow(ValueError);
  });
});

// Regression tests for issue 15: element-wise [n, d] sample weights (Keras 3,
// keras/src/metrics/accuracy_metrics_test.py).
describe('element-wise sample weights, as Keras 3', () => {
  it('Accuracy: AccuracyTest.test_weighted_nd_weights gives 0.5', () => {
    const m = new Accuracy();
    const r = measure(m, [[tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[0, 2], [3, 4]]), tf.tensor2d([[1, 0], [0, 1]])]]);
    expect(r).toBeCloseTo(0.5, 3);
  });

  it('Accuracy: AccuracyTest.test_weighted_nd_broadcast_weights gives 0.5', () => {
    const r = measure(new Accuracy(), [[tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[0, 2], [3, 4]]), tf.tensor2d([[1, 0]])]]);
    expect(r).toBeCloseTo(0.5, 3);
  });

  it('BinaryAccuracy: BinaryAccuracyTest.test_weighted_nd_weights gives 0.5 (fedkit gave 0.75)', () => {
    // Correct: [[1, 1], [1, 0]]; weights [[1, 0], [0, 1]] keep (0, 0) right and (1, 1) wrong -> 1 / 2.
    const r = measure(new BinaryAccuracy(), [[tf.tensor2d([[1, 1], [0, 0]]), tf.tensor2d([[0.98, 1], [0, 0.6]]), tf.tensor2d([[1, 0], [0, 1]])]]);
    expect(r).toBeCloseTo(0.5, 3);
  });

  it('BinaryAccuracy: BinaryAccuracyTest.test_weighted_nd_broadcast_weights gives 1.0', () => {
    const r = measure(new BinaryAccuracy(), [[tf.tensor2d([[1, 1], [0, 0]]), tf.tensor2d([[0.98, 1], [0, 0.6]]), tf.tensor2d([[1, 0]])]]);
    expect(r).toBeCloseTo(1, 3);
  });

  it('BinaryAccuracy: [n] weights still weigh whole examples', () => {
    // Per example: 1 and 0.5 right; weights [1, 3] -> (2 + 3) / (2 + 6) = 0.625
    const r = measure(new BinaryAccuracy(), [[tf.tensor2d([[1, 1], [0, 0]]), tf.tensor2d([[0.98, 1], [0, 0.6]]), tf.tensor1d([1, 3])]]);
    expect(r).toBeCloseTo(0.625, 6);
  });

  it('throws a ValueError when the weights cannot broadcast to the values', () => {
    const m = new BinaryAccuracy();
    const [y, p, w] = [tf.tensor2d([[1, 1], [0, 0]]), tf.tensor2d([[0.98, 1], [0, 0.6]]), tf.tensor2d([[1, 0, 1], [0, 1, 1]])];
    expect(() => m.updateState(y, p, w)).toThrow(ValueError);
    tf.dispose([y, p, w]);
    m.dispose();
  });
});
