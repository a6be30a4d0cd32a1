import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives } from './confusion-metrics.js';
import type { Metric } from './metric.js';
import { feed, measure } from './testing/measure.js';

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

// Expected values from keras/src/metrics/confusion_metrics_test.py (test class and name in each title).

/** The value at each threshold of a thresholded metric. */
function atEach(metric: { resultAt(i: number): number; thresholds: readonly number[] }): number[] {
  return metric.thresholds.map((_, i) => metric.resultAt(i));
}

const Y5 = [[0, 1, 0, 1, 0], [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1]];
const P5 = [[0, 0, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 1, 1, 1, 1]];
const W4 = [1, 1.5, 2, 2.5];
const PT = [[0.9, 0.2, 0.8, 0.1], [0.2, 0.9, 0.7, 0.6], [0.1, 0.2, 0.4, 0.3], [0, 1, 0.7, 0.3]];
const YT = [[0, 1, 1, 0], [1, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1]];
const THRESHOLDS = [0.15, 0.5, 0.85];

describe('TruePositives / FalsePositives / TrueNegatives / FalseNegatives', () => {
  const cases: Array<[string, new (o?: { thresholds?: number[] }) => Metric & { resultAt(i: number): number; thresholds: number[] }, number, number, number[], tf.TensorLike, number[]]> = [
    ['TruePositiveTest', TruePositives, 7, 12, [6, 3, 1], 37, [222, 111, 37]],
    ['FalsePositivesTest', FalsePositives, 7, 14, [7, 4, 2], [[1, 2, 3, 5], [7, 11, 13, 17], [19, 23, 29, 31], [5, 15, 10, 0]], [125, 42, 12]],
    ['TrueNegativesTest', TrueNegatives, 3, 4, [2, 5, 7], [[0, 2, 3, 5]], [5, 15, 23]],
    ['FalseNegativesTest', FalseNegatives, 3, 5, [1, 4, 6], [[3], [5], [7], [4]], [4, 16, 23]],
  ];
  it.each(cases)('%s: test_unweighted, test_weighted, test_(un)weighted_with_thresholds', (_, Cls, unweighted, weighted, byThreshold, w, weightedByThreshold) => {
    expect(feed(new Cls(), [[Y5, P5]]).result()).toBeCloseTo(unweighted, 5);
    expect(feed(new Cls(), [[Y5, P5, W4]]).result()).toBeCloseTo(weighted, 5);
    const t = new Cls({ thresholds: THRESHOLDS });
    feed(t, [[YT, PT]]);
    atEach(t).forEach((v, i) => expect(v).toBeCloseTo(byThreshold[i]!, 5));
    const tw = new Cls({ thresholds: THRESHOLDS });
    feed(tw, [[YT, PT, w]]);
    atEach(tw).forEach((v, i) => expect(v).toBeCloseTo(weightedByThreshold[i]!, 4));
    for (const m of [t, tw]) m.dispose();
  });

  it('test_threshold_limit: thresholds outside [0, 1] throw', () => {
    expect(() => new FalsePositives({ thresholds: [-1, 0.5, 2] })).toThrow(ValueError);
  });
});

describe('Precision and Recall with topK and classId', () => {
  it('PrecisionTest.test_unweighted_top_k: 1/3; RecallTest.test_unweighted_top_k: 0.5', () => {
    expect(feed(new Precision({ topK: 3 }), [[[0, 1, 1, 0, 0], [0.2, 0.1, 0.5, 0, 0.2]]]).result()).toBeCloseTo(1 / 3, 6);
    expect(feed(new Recall({ topK: 3 }), [[[0, 1, 1, 0, 0], [0.2, 0.1, 0.5, 0, 0.2]]]).result()).toBeCloseTo(0.5, 6);
  });

  it('test_weighted_top_k: precision 13/17, recall 13/23', () => {
    const batches: Array<[tf.TensorLike, tf.TensorLike, tf.TensorLike]> = [
      [[[0, 1, 1, 0, 1]], [[0.2, 0.1, 0.4, 0, 0.2]], [[1, 4, 2, 3, 5]]],
      [[1, 0, 1, 1, 1], [0.2, 0.6, 0.4, 0.2, 0.2], 3],
    ];
    expect(feed(new Precision({ topK: 3 }), batches).result()).toBeCloseTo((2 + 5 + 3 + 3) / (1 + 2 + 5 + 3 + 3 + 3), 6);
    expect(feed(new Recall({ topK: 3 }), batches).result()).toBeCloseTo((2 + 5 + 3 + 3) / (4 + 2 + 5 + 3 + 3 + 3 + 3), 6);
  });

  it('test_unweighted_top_k_and_threshold: precision 1 (tp 1, fp 0), recall 0.25 (tp 1, fn 3)', () => {
    const p = feed(new Precision({ thresholds: 0.7, topK: 2 }), [[[0, 1, 1, 0, 1], [0.2, 0.8, 0.6, 0, 0.2]]]);
    expect(p.result()).toBeCloseTo(1, 6);
    expect(p.unfinalizedState()).toEqual([1, 0]);
    const r = feed(new Recall({ thresholds: 0.7, topK: 2 }), [[[1, 1, 1, 0, 1], [0.2, 0.8, 0.6, 0, 0.2]]]);
    expect(r.result()).toBeCloseTo(0.25, 6);
    expect(r.unfinalizedState()).toEqual([1, 3]);
  });

  it('test_unweighted_class_id_multiclass: 1 (tp 1, fp 0 / fn 0)', () => {
    const p = [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.2, 0.6, 0.2], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8]];
    const y = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]];
    const precision = feed(new Precision({ classId: 1 }), [[y, p]]);
    expect(precision.result()).toBeCloseTo(1, 6);
    expect(precision.unfinalizedState()).toEqual([1, 0]);
    const recall = feed(new Recall({ classId: 1 }), [[y, p]]);
    expect(recall.unfinalizedState()).toEqual([1, 0]);
  });

  it('test_unweighted_class_id_should_throw_error_1d: classId needs [n, classes] predictions', () => {
    expect(() => feed(new Precision({ classId: 2 }), [[[0, 1, 1, 0, 0], [0.2, 0.1, 0.6, 0, 0.2]]])).toThrow(/classId/);
  });
});

