import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { AUC } from './auc.js';
import { FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives } from './confusion-metrics.js';
import type { Metric } from './metric.js';
import { PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity } from './sensitivity-specificity-metrics.js';

// Every expected value here is from keras/src/metrics/confusion_metrics_test.py (test class and name in each title).

/** Updates `metric` with each batch, disposing the inputs, and returns the metric. */
function feed(metric: Metric, batches: Array<[tf.TensorLike, tf.TensorLike, tf.TensorLike?]>): Metric {
  for (const [y, p, w] of batches) {
    tf.tidy(() => metric.updateState(tf.tensor(y), tf.tensor(p), w === undefined ? undefined : tf.tensor(w)));
  }
  return metric;
}

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

describe('metrics at a fixed operating point', () => {
  const hiP = [0.0, 0.1, 0.2, 0.3, 0.4, 0.1, 0.45, 0.5, 0.8, 0.9];
  const lowP = [0.0, 0.1, 0.2, 0.3, 0.4, 0.01, 0.02, 0.25, 0.26, 0.26];
  const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
  const oneHotClass2 = labels.map((l) => (l === 1 ? [0, 0, 1] : [1, 0, 0]));
  const tripled = (p: number[]) => p.map((v) => [v, v, v]);

  it('test_unweighted_all_correct: 1 for all four', () => {
    const y = [0, 1, 1, 0, 1, 0, 0, 1];
    for (const m of [
      new SensitivityAtSpecificity({ specificity: 0.7 }),
      new SpecificityAtSensitivity({ sensitivity: 0.7 }),
      new PrecisionAtRecall({ recall: 0.7 }),
      new RecallAtPrecision({ precision: 0.7 }),
    ]) {
      expect(feed(m, [[y, y]]).result(), m.name).toBeCloseTo(1, 6);
      m.dispose();
    }
  });

  it('SensitivityAtSpecificityTest: high 0.8, low 0.6, weighted 0.675', () => {
    expect(feed(new SensitivityAtSpecificity({ specificity: 0.8 }), [[labels, hiP]]).result()).toBeCloseTo(0.8, 6);
    expect(feed(new SensitivityAtSpecificity({ specificity: 0.4 }), [[labels, lowP]]).result()).toBeCloseTo(0.6, 6);
    const w = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(feed(new SensitivityAtSpecificity({ specificity: 0.4 }), [[labels, lowP, w]]).result()).toBeCloseTo(0.675, 6);
  });

  it('SpecificityAtSensitivityTest: high (1.0) 0.2, low (0.4) 0.6, class_id 0.6, weighted 0.4', () => {
    expect(feed(new SpecificityAtSensitivity({ sensitivity: 1 }), [[labels, lowP]]).result()).toBeCloseTo(0.2, 6);
    expect(feed(new SpecificityAtSensitivity({ sensitivity: 0.4 }), [[labels, lowP]]).result()).toBeCloseTo(0.6, 6);
    expect(feed(new SpecificityAtSensitivity({ sensitivity: 0.4, classId: 2 }), [[oneHotClass2, tripled(lowP)]]).result()).toBeCloseTo(0.6, 6);
    const w = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(feed(new SpecificityAtSensitivity({ sensitivity: 0.4 }), [[labels, lowP, w]]).result()).toBeCloseTo(0.4, 6);
  });

  it('PrecisionAtRecallTest: high 2/3, low 0.75, class_id 0.75, weighted 0.7', () => {
    const p = [0.0, 0.1, 0.2, 0.5, 0.6, 0.2, 0.5, 0.6, 0.8, 0.9];
    expect(feed(new PrecisionAtRecall({ recall: 0.8 }), [[labels, p]]).result()).toBeCloseTo(2 / 3, 6);
    expect(feed(new PrecisionAtRecall({ recall: 0.6 }), [[labels, p]]).result()).toBeCloseTo(0.75, 6);
    expect(feed(new PrecisionAtRecall({ recall: 0.6, classId: 2 }), [[oneHotClass2, tripled(p)]]).result()).toBeCloseTo(0.75, 6);
    expect(feed(new PrecisionAtRecall({ recall: 7 / 8 }), [[labels, p, [2, 1, 2, 1, 2, 1, 2, 2, 1, 2]]]).result()).toBeCloseTo(0.7, 6);
  });

  it('RecallAtPrecisionTest: high 0.5, low 5/6, weighted 0.6, unachievable 0', () => {
    const p = [0.05, 0.1, 0.2, 0.3, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.9, 0.95];
    const y = [0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 1];
    expect(feed(new RecallAtPrecision({ precision: 0.75 }), [[y, p]]).result()).toBeCloseTo(0.5, 6);
    expect(feed(new RecallAtPrecision({ precision: 2 / 3 }), [[y, p]]).result()).toBeCloseTo(5 / 6, 6);
    const wp = [0.1, 0.2, 0.3, 0.5, 0.6, 0.9, 0.9];
    expect(feed(new RecallAtPrecision({ precision: 0.75 }), [[[0, 1, 0, 0, 0, 1, 1], wp, [1, 2, 1, 2, 1, 2, 1]]]).result()).toBeCloseTo(0.6, 6);
    expect(feed(new RecallAtPrecision({ precision: 2 / 3 }), [[[1, 1, 0, 0], [0.1, 0.2, 0.3, 0.9]]]).result()).toBeCloseTo(0, 6);
  });

  it('test_invalid_*: a target outside [0, 1] or numThresholds <= 0 throws', () => {
    expect(() => new SensitivityAtSpecificity({ specificity: -1 })).toThrow(ValueError);
    expect(() => new RecallAtPrecision({ precision: 0.4, numThresholds: -1 })).toThrow(ValueError);
  });
});

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
