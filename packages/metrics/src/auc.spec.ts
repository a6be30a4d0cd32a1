import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { AUC } from './auc.js';
import { feed, measure } from './testing/measure.js';

// Expected values from keras/src/metrics/confusion_metrics_test.py (test class and name in each title).

describe('AUC (AUCTest and MultiAUCTest)', () => {
  const y = [0, 0, 1, 1];
  const p = [0, 0.5, 0.3, 0.9];
  const w = [1, 2, 3, 4];
  const logit = (v: number) => -Math.log(1 / (v + 1e-12) - 1);

  it('test_unweighted_from_logits: 0.75', () => {
    expect(feed(new AUC({ numThresholds: 3, fromLogits: true }), [[y, p.map(logit)]]).result()).toBeCloseTo(0.75, 3);
  });

  it('test_manual_thresholds: thresholds [0.5] give 3 thresholds and 0.75', () => {
    const m = new AUC({ numThresholds: 2, thresholds: [0.5] });
    expect(m.numThresholds).toBe(3);
    expect(m.thresholds[1]).toBe(0.5);
    expect(feed(m, [[y, p]]).result()).toBeCloseTo(0.75, 3);
  });

  it('test_weighted_pr_majoring 1, test_weighted_pr_minoring 0.3003, test_weighted_pr_interpolation 2.416/7 + 4/7', () => {
    expect(feed(new AUC({ numThresholds: 3, curve: 'PR', summationMethod: 'majoring' }), [[y, p, w]]).result()).toBeCloseTo(0.429 + 0.571, 3);
    expect(feed(new AUC({ numThresholds: 3, curve: 'PR', summationMethod: 'minoring' }), [[y, p, w]]).result()).toBeCloseTo(0.7 * 0.429, 3);
    expect(feed(new AUC({ numThresholds: 3, curve: 'PR' }), [[y, p, w]]).result()).toBeCloseTo(2.416 / 7 + 4 / 7, 3);
  });

  it('test_weighted_pr_interpolation_negative_weights: 0', () => {
    expect(feed(new AUC({ numThresholds: 3, curve: 'PR' }), [[y, p, [-1, -2, -3, -4]]]).result()).toBeCloseTo(0, 3);
  });

  // MultiAUCTest: two label columns.
  const mp = [[0, 0.1], [0.5, 0.2], [0.3, 0.3], [0.9, 0.4]];
  const good = [[0, 0], [0, 0], [1, 1], [1, 1]];
  const bad = [[0, 1], [0, 1], [1, 0], [1, 0]];

  it('MultiAUCTest.test_unweighted (and _from_logits): (0.875 + 1) / 2', () => {
    expect(feed(new AUC({ numThresholds: 5, multiLabel: true, numLabels: 2 }), [[good, mp]]).result()).toBeCloseTo(0.9375, 3);
    const logits = mp.map((r) => r.map(logit));
    expect(feed(new AUC({ numThresholds: 5, multiLabel: true, numLabels: 2, fromLogits: true }), [[good, logits]]).result()).toBeCloseTo(0.9375, 3);
  });

  it('MultiAUCTest flat: test_unweighted_flat 1 - 3/32, test_sample_weight_flat, test_full_sample_weight_flat', () => {
    expect(feed(new AUC({ numThresholds: 5 }), [[good, mp]]).result()).toBeCloseTo(1 - 3 / 32, 3);
    expect(feed(new AUC({ numThresholds: 5 }), [[good, mp, w]]).result()).toBeCloseTo(1 - (0.3333 * (1 - 0.2857)) / 2, 3);
    expect(feed(new AUC({ numThresholds: 5 }), [[good, mp, [[0, 1], [2, 3], [4, 5], [6, 7]]]]).result()).toBeCloseTo(1 - (0.3333 * (1 - 0.2727)) / 2, 3);
  });

  it('MultiAUCTest.test_label_weights: (0.875·0.75 + 1·0.25); test_label_weights_flat: 1 - 0.625·0.375/2', () => {
    const multi = new AUC({ numThresholds: 5, multiLabel: true, numLabels: 2, labelWeights: [0.75, 0.25] });
    expect(feed(multi, [[good, mp]]).result()).toBeCloseTo(0.875 * 0.75 + 0.25, 3);
    expect(feed(new AUC({ numThresholds: 5, labelWeights: [0.75, 0.25] }), [[good, mp]]).result()).toBeCloseTo(1 - (0.625 * 0.375) / 2, 2);
  });

  it('MultiAUCTest.test_manual_thresholds: (0.75 + 0.5) / 2', () => {
    expect(feed(new AUC({ thresholds: [0.5], multiLabel: true, numLabels: 2 }), [[good, mp]]).result()).toBeCloseTo(0.625, 3);
  });

  it('MultiAUCTest.test_weighted_roc_interpolation: Keras expects 1 - 0.5·0.43·0.67 within atol 0.1; exactly, from its tpr/fpr comments', () => {
    // label 0: tpr [1, 1, 4/7, 4/7, 0], fpr [1, 2/3, 0, 0, 0] -> 1/3 + (2/3)(1 + 4/7)/2; label 1: 1.
    const exact = (1 / 3 + ((2 / 3) * (1 + 4 / 7)) / 2 + 1) / 2;
    const r = feed(new AUC({ numThresholds: 5, multiLabel: true, numLabels: 2 }), [[good, mp, w]]).result();
    expect(r).toBeCloseTo(exact, 5);
    expect(Math.abs(r - (1 - 0.5 * 0.43 * 0.67))).toBeLessThanOrEqual(0.1);
  });

  it('MultiAUCTest.test_pr_interpolation_unweighted: good ≈ (0.91667 + 1) / 2, then bad on the same metric ≈ (0.91667 + 0.5) / 2 (atol 0.1)', () => {
    // By hand (Davis & Goadrich's interpolation on the counts): label 0 gives 0.25 (1 + 0.5 ln 3) + 0.5 = 0.887327;
    // label 1 gives 1 on the good labels, and 0.5 once the bad labels are added to the same state.
    const m = new AUC({ numThresholds: 5, curve: 'PR', multiLabel: true, numLabels: 2 });
    const label0 = 0.25 * (1 + 0.5 * Math.log(3)) + 0.5;
    const goodResult = feed(m, [[good, mp]]).result();
    expect(goodResult).toBeCloseTo((label0 + 1) / 2, 5);
    expect(Math.abs(goodResult - (0.91667 + 1) / 2)).toBeLessThanOrEqual(0.1);
    const badResult = feed(m, [[bad, mp]]).result();
    expect(badResult).toBeCloseTo((label0 + 0.5) / 2, 5);
    expect(Math.abs(badResult - (0.91667 + 0.5) / 2)).toBeLessThanOrEqual(0.1);
  });

  it('needs numLabels with multiLabel, and rejects an unknown curve', () => {
    expect(() => new AUC({ multiLabel: true })).toThrow(ValueError);
    expect(() => new AUC({ curve: 'PRGAIN' as never })).toThrow(ValueError);
  });
});

describe('AUC, by hand', () => {
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

