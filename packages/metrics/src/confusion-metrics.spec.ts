import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { AUC } from './auc.js';
import { Precision, Recall } from './confusion-metrics.js';
import { measure } from './testing/measure.js';

// Keras's documentation data: labels [0, 1, 1, 1], predictions [1, 0, 1, 1].
// At 0.5: tp = 2 (last two), fp = 1 (first), fn = 1 (second).
const ky = () => tf.tensor1d([0, 1, 1, 1]);
const kp = () => tf.tensor1d([1, 0, 1, 1]);

// labels [1, 1, 0, 0], predictions [0.9, 0.3, 0.6, 0.1]: at 0.5, tp = 1 (0.9), fp = 1 (0.6), fn = 1 (0.3), tn = 1
const y = () => tf.tensor1d([1, 1, 0, 0]);
const p = () => tf.tensor1d([0.9, 0.3, 0.6, 0.1]);

describe('Precision', () => {
  it('is tp / (tp + fp) at 0.5, weighted', () => {
    // 2 / (2 + 1); weights [0, 0, 1, 0]: only the third (a tp) counts -> 1
    expect(measure(new Precision(), [[ky(), kp()]])).toBeCloseTo(2 / 3, 6);
    expect(measure(new Precision(), [[ky(), kp(), tf.tensor1d([0, 0, 1, 0])]])).toBeCloseTo(1, 6);
  });

  it('reports the first of several thresholds and keeps counts for each', () => {
    // at 0.2: predicted positive {0.9, 0.3, 0.6}: tp 2, fp 1 -> 2/3; at 0.5: 1/2
    // state [tp@0.2, tp@0.5, fp@0.2, fp@0.5] = [2, 1, 1, 1]
    const m = new Precision({ thresholds: [0.2, 0.5] });
    expect(measure(m, [[y(), p()]])).toBeCloseTo(2 / 3, 6);
    expect(m.unfinalizedState()).toEqual([2, 1, 1, 1]);
    expect(m.resultAt(1)).toBeCloseTo(0.5, 6);
  });

  it('broadcasts [n] weights over [n, c] predictions', () => {
    // decisions at 0.5: (1, 0.9) tp ×2, (0, 0.6) fp ×2, (0, 0.7) fp ×1, (1, 0.2) fn ×1 -> precision 2 / (2 + 3) = 0.4
    const v = measure(new Precision(), [[tf.tensor2d([[1, 0], [0, 1]]), tf.tensor2d([[0.9, 0.6], [0.7, 0.2]]), tf.tensor1d([2, 1])]]);
    expect(v).toBeCloseTo(0.4, 6);
  });

  it('treats any non-zero label as positive', () => {
    // labels [2, 0], predictions [0.9, 0.1]: one tp (not two), no fp -> state [1, 0]
    const m = new Precision();
    measure(m, [[tf.tensor1d([2, 0], 'int32'), tf.tensor1d([0.9, 0.1])]]);
    expect(m.unfinalizedState()).toEqual([1, 0]);
  });

  it('is 0 when nothing is predicted positive', () => {
    expect(measure(new Precision({ thresholds: 0.95 }), [[y(), p()]])).toBe(0);
  });

  it('rejects thresholds outside [0, 1] and mismatched shapes with a ValueError', () => {
    expect(() => new Precision({ thresholds: [0.5, 1.5] })).toThrow(ValueError);
    const m = new Precision();
    const a = tf.tensor1d([1, 0, 1]);
    const b = tf.tensor1d([0.2, 0.4]);
    expect(() => m.updateState(a, b)).toThrow(ValueError);
    tf.dispose([a, b]);
  });
});

describe('Recall', () => {
  it('is tp / (tp + fn), weighted', () => {
    // Keras data: 2 / (2 + 1); weights [0, 0, 1, 0] -> 1
    expect(measure(new Recall(), [[ky(), kp()]])).toBeCloseTo(2 / 3, 6);
    expect(measure(new Recall(), [[ky(), kp(), tf.tensor1d([0, 0, 1, 0])]])).toBeCloseTo(1, 6);
    // weights [1, 3, 1, 1] on the second data: tp = 1, fn = 3 -> 0.25
    expect(measure(new Recall(), [[y(), p(), tf.tensor1d([1, 3, 1, 1])]])).toBeCloseTo(0.25, 6);
  });

  it('keeps [tp..., fn...] per threshold', () => {
    // at 0.2: tp 2 (0.9, 0.3), fn 0; at 0.5: tp 1, fn 1
    const m = new Recall({ thresholds: [0.2, 0.5] });
    expect(measure(m, [[y(), p()]])).toBe(1);
    expect(m.unfinalizedState()).toEqual([2, 1, 0, 1]);
    expect(m.resultAt(1)).toBeCloseTo(0.5, 6);
  });
});

describe('AUC', () => {
  it('interpolates the ROC curve between 3 thresholds (Keras example), weighted', () => {
    // thresholds [-1e-7, 0.5, 1 + 1e-7]; labels [0, 0, 1, 1], scores [0, 0.5, 0.3, 0.9]
    // tp [2, 1, 0], tn [0, 2, 2], fp [2, 0, 0], fn [0, 1, 2]; recall [1, 0.5, 0], fpr [1, 0, 0]
    // area = (1 - 0)·(1 + 0.5)/2 + 0 = 0.75
    const m = new AUC({ numThresholds: 3 });
    expect(measure(m, [[tf.tensor1d([0, 0, 1, 1]), tf.tensor1d([0, 0.5, 0.3, 0.9])]])).toBeCloseTo(0.75, 6);
    // State in Keras's variable order [tp..., fp..., tn..., fn...].
    expect(m.unfinalizedState()).toEqual([2, 1, 0, 2, 0, 0, 0, 2, 2, 0, 1, 2]);
    // weights [1, 0, 0, 1]: recall [1, 1, 0], fpr [1, 0, 0] -> (1 + 1)/2 = 1
    const w = measure(new AUC({ numThresholds: 3 }), [[tf.tensor1d([0, 0, 1, 1]), tf.tensor1d([0, 0.5, 0.3, 0.9]), tf.tensor1d([1, 0, 0, 1])]]);
    expect(w).toBeCloseTo(1, 6);
  });

  it('sums lower or upper bars with minoring and majoring', () => {
    // same curve: heights min(1, 0.5) = 0.5 and max(1, 0.5) = 1 over the width 1
    const data = () => [tf.tensor1d([0, 0, 1, 1]), tf.tensor1d([0, 0.5, 0.3, 0.9])] as [tf.Tensor, tf.Tensor];
    expect(measure(new AUC({ numThresholds: 3, summationMethod: 'minoring' }), [data()])).toBeCloseTo(0.5, 6);
    expect(measure(new AUC({ numThresholds: 3, summationMethod: 'majoring' }), [data()])).toBeCloseTo(1, 6);
  });

  it('is 1 for a perfect ranking and 0.5 for a constant score (200 thresholds)', () => {
    expect(measure(new AUC(), [[tf.tensor1d([0, 0, 1, 1]), tf.tensor1d([0.1, 0.2, 0.8, 0.9])]])).toBeCloseTo(1, 6);
    // every threshold below 0.5 gives (fpr 1, tpr 1), every one above (0, 0): one trapezoid (1 + 0)/2
    expect(measure(new AUC(), [[tf.tensor1d([0, 1, 0, 1]), tf.tensor1d([0.5, 0.5, 0.5, 0.5])]])).toBeCloseTo(0.5, 6);
  });

  it('rejects numThresholds < 2 and unknown summation methods with a ValueError', () => {
    expect(() => new AUC({ numThresholds: 1 })).toThrow(ValueError);
    expect(() => new AUC({ summationMethod: 'careful' as never })).toThrow(ValueError);
  });
});

describe('bucketed counting at evenly spaced thresholds', () => {
  it('gives the same counts as comparing with every threshold, grid points included', () => {
    // AUC's default thresholds are counted by bucket; explicit thresholds by comparison. Predictions on the
    // grid (0, 0.25, 0.5, 1) must count as above a threshold only when strictly greater, in both paths.
    const y = () => tf.tensor2d([[1, 0], [0, 1], [1, 1], [0, 0], [1, 0]]);
    const p = () => tf.tensor2d([[0, 0.25], [0.5, 1], [0.3, 0.75], [0.74, 0.26], [1, 0.5]]);
    const w = () => tf.tensor1d([1, 2, 0.5, 3, 1]);
    const bucketed = new AUC({ numThresholds: 5, multiLabel: true, numLabels: 2 });
    const compared = new AUC({ thresholds: [0.25, 0.5, 0.75], multiLabel: true, numLabels: 2 });
    measure(bucketed, [[y(), p(), w()]]);
    measure(compared, [[y(), p(), w()]]);
    expect(bucketed.unfinalizedState()).toEqual(compared.unfinalizedState());
    const flatBucketed = new AUC({ numThresholds: 5 });
    const flatCompared = new AUC({ thresholds: [0.25, 0.5, 0.75] });
    measure(flatBucketed, [[y(), p(), w()]]);
    measure(flatCompared, [[y(), p(), w()]]);
    expect(flatBucketed.unfinalizedState()).toEqual(flatCompared.unfinalizedState());
    for (const m of [bucketed, compared, flatBucketed, flatCompared]) m.dispose();
  });
});
