import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { AUC, Precision, Recall } from './confusion-metrics.js';
import { measure } from './testing/measure.js';

// labels [1, 1, 0, 0], predictions [0.9, 0.3, 0.6, 0.1]: at 0.5, tp = 1 (0.9), fp = 1 (0.6), fn = 1 (0.3), tn = 1
const y = () => tf.tensor1d([1, 1, 0, 0]);
const p = () => tf.tensor1d([0.9, 0.3, 0.6, 0.1]);

describe('Precision', () => {
  it('is tp / (tp + fp) at 0.5', () => {
    expect(measure(new Precision(), [[y(), p()]])).toBeCloseTo(0.5, 6);
  });

  it('reports the first of several thresholds and keeps counts for each', () => {
    // at 0.2: predicted positive {0.9, 0.3, 0.6}: tp 2, fp 1 -> 2/3; state [tp@0.2, tp@0.5, fp@0.2, fp@0.5] = [2, 1, 1, 1]
    const m = new Precision({ thresholds: [0.2, 0.5] });
    expect(measure(m, [[y(), p()]])).toBeCloseTo(2 / 3, 6);
    expect(m.unfinalizedState()).toEqual([2, 1, 1, 1]);
  });

  it('is 0 when nothing is predicted positive', () => {
    expect(measure(new Precision({ thresholds: 0.95 }), [[y(), p()]])).toBe(0);
  });
});

describe('Recall', () => {
  it('is tp / (tp + fn), weighted', () => {
    // weights [1, 3, 1, 1]: tp = 1, fn = 3 -> 0.25
    expect(measure(new Recall(), [[y(), p(), tf.tensor1d([1, 3, 1, 1])]])).toBeCloseTo(0.25, 6);
  });
});

describe('AUC', () => {
  it('is 1 for a perfect ranking and 0.5 for a constant score', () => {
    expect(measure(new AUC(), [[tf.tensor1d([0, 0, 1, 1]), tf.tensor1d([0.1, 0.2, 0.8, 0.9])]])).toBeCloseTo(1, 6);
    expect(measure(new AUC(), [[tf.tensor1d([0, 1, 0, 1]), tf.tensor1d([0.5, 0.5, 0.5, 0.5])]])).toBeCloseTo(0.5, 6);
  });

  it('interpolates the ROC curve between thresholds (3 thresholds by hand)', () => {
    // thresholds [-1e-7, 0.5, 1 + 1e-7]; labels [1, 1, 0, 0], scores [0.9, 0.3, 0.6, 0.1]
    // (fpr, tpr): t0 (1, 1), t1 (0.5, 0.5), t2 (0, 0); trapezoids: 0.5·0.75 + 0.5·0.25 = 0.5
    expect(measure(new AUC({ numThresholds: 3 }), [[y(), p()]])).toBeCloseTo(0.5, 6);
    // scores [0.9, 0.6, 0.7, 0.1]: t1 gives (fpr 0.5, tpr 1) -> 0.5·(1 + 1)/2 + 0.5·(1 + 0)/2 = 0.75
    expect(measure(new AUC({ numThresholds: 3 }), [[y(), tf.tensor1d([0.9, 0.6, 0.7, 0.1])]])).toBeCloseTo(0.75, 6);
  });
});
