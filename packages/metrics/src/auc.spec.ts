import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { AUC } from './auc.js';
import { feed } from './testing/measure.js';

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
