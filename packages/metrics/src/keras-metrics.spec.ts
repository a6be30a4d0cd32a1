import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { F1Score, FBetaScore } from './f-score-metrics.js';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge-metrics.js';
import { BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU } from './iou-metrics.js';
import type { Metric } from './metric.js';
import { KLDivergence, Poisson } from './probabilistic-metrics.js';
import { CosineSimilarity, LogCoshError, MeanSquaredLogarithmicError, R2Score } from './regression-metrics.js';

// Expected values from Keras's own tests: keras/src/metrics/{f_score,iou,regression,probabilistic,hinge}_metrics_test.py
// (test class and name in each title).

function feed(metric: Metric, batches: Array<[tf.TensorLike, tf.TensorLike, tf.TensorLike?]>): Metric {
  for (const [y, p, w] of batches) tf.tidy(() => metric.updateState(tf.tensor(y), tf.tensor(p), w === undefined ? undefined : tf.tensor(w)));
  return metric;
}

describe('FBetaScore and F1Score (FBetaScoreTest, F1ScoreTest)', () => {
  const y = [[0, 0, 1], [1, 1, 0], [1, 1, 1]];
  const p = [[0.7, 0.7, 0.7], [1, 0, 0], [0.9, 0.8, 0]];
  const cases: Array<[null | 'micro' | 'macro' | 'weighted', number, number | number[]]> = [
    [null, 0.5, [0.71428573, 0.5, 0.833334]],
    [null, 1, [0.8, 0.5, 0.6666667]],
    [null, 2, [0.9090904, 0.5, 0.555556]],
    ['micro', 0.5, 0.6666667],
    ['micro', 2, 0.6666667],
    ['macro', 0.5, 0.6825397],
    ['macro', 1, 0.6555555],
    ['weighted', 2, 0.6548822],
  ];
  it.each(cases)('test_fbeta_random_score: average %s, beta %s', (average, beta, expected) => {
    const m = feed(new FBetaScore({ average, beta, threshold: 0.66, numClasses: 3 }), [[y, p]]) as FBetaScore;
    if (Array.isArray(expected)) expected.forEach((v, i) => expect(m.resultAt(i)).toBeCloseTo(v, 5));
    else expect(m.result()).toBeCloseTo(expected, 5);
  });

  const yn = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 0, 1]];
  const pn = [[0.9, 0.1, 0], [0.2, 0.6, 0.2], [0, 0, 1], [0.4, 0.3, 0.3], [0, 0.9, 0.1], [0, 0, 1]];

  it('test_fbeta_random_score_none (no threshold: the row maximum counts): micro 0.833334, macro 0.822222, weighted beta 2 0.829365', () => {
    expect(feed(new FBetaScore({ average: 'micro' }), [[yn, pn]]).result()).toBeCloseTo(0.833334, 5);
    expect(feed(new FBetaScore({ average: 'macro', numClasses: 3 }), [[yn, pn]]).result()).toBeCloseTo(0.822222, 5);
    expect(feed(new FBetaScore({ average: 'weighted', beta: 2, numClasses: 3 }), [[yn, pn]]).result()).toBeCloseTo(0.829365, 5);
  });

  it('test_fbeta_weighted_random_score_none: weights [0.5, 1, 1, 1, 0.5, 1]', () => {
    const w = [0.5, 1, 1, 1, 0.5, 1];
    const perClass = feed(new FBetaScore({ beta: 0.5, numClasses: 3 }), [[yn, pn, w]]) as FBetaScore;
    [0.9375, 0.714286, 1].forEach((v, i) => expect(perClass.resultAt(i)).toBeCloseTo(v, 5));
    expect(feed(new FBetaScore({ average: 'micro', beta: 2 }), [[yn, pn, w]]).result()).toBeCloseTo(0.9, 5);
    expect(feed(new FBetaScore({ average: 'macro', beta: 2, numClasses: 3 }), [[yn, pn, w]]).result()).toBeCloseTo(0.899522, 5);
    expect(feed(new FBetaScore({ average: 'weighted', numClasses: 3 }), [[yn, pn, w]]).result()).toBeCloseTo(0.902857, 5);
  });

  it('test_fbeta_scalar_weight [0, 0.6666665] and test_fbeta_2d_weight [0, 0.333333]', () => {
    const scalar = feed(new FBetaScore({ threshold: 0.5, numClasses: 2 }), [[[[1, 1], [1, 0]], [[0.2, 0.6], [0.2, 0.6]], 0.5]]) as FBetaScore;
    expect(scalar.resultAt(0)).toBeCloseTo(0, 5);
    expect(scalar.resultAt(1)).toBeCloseTo(0.6666665, 5);
    const twoD = feed(new FBetaScore({ threshold: 0.5, numClasses: 2 }), [[[[1, 1], [1, 0]], [[0.2, 0.6], [0.2, 0.6]], [[0.5, 0.2], [0.3, 0.8]]]]) as FBetaScore;
    expect(twoD.resultAt(1)).toBeCloseTo(0.333333, 5);
  });

  it('F1ScoreTest.test_correctness: F1Score equals FBetaScore with beta 1', () => {
    const f1 = feed(new F1Score({ numClasses: 3 }), [[yn, pn]]) as F1Score;
    const fbeta = feed(new FBetaScore({ beta: 1, numClasses: 3 }), [[yn, pn]]) as FBetaScore;
    [0, 1, 2].forEach((i) => expect(f1.resultAt(i)).toBeCloseTo(fbeta.resultAt(i), 6));
    expect(() => new F1Score({ beta: 2 } as never)).toThrow(/unknown option "beta"/);
  });

  it('test_invalid_average_raises_value_error, beta <= 0, threshold outside (0, 1]; numClasses needed unless micro', () => {
    expect(() => new FBetaScore({ average: 'median' as never, numClasses: 2 })).toThrow(ValueError);
    expect(() => new FBetaScore({ beta: 0, numClasses: 2 })).toThrow(ValueError);
    expect(() => new FBetaScore({ threshold: 0, numClasses: 2 })).toThrow(ValueError);
    expect(() => new FBetaScore({ average: 'macro' })).toThrow(/numClasses/);
  });
});

describe('IoU metrics (IoUTest, BinaryIoUTest, MeanIoUTest, OneHotIoUTest, OneHotMeanIoUTest)', () => {
  it('IoUTest.test_unweighted and test_weighted', () => {
    expect(feed(new IoU({ numClasses: 2, targetClassIds: [0, 1] }), [[[0, 0, 1, 1], [0, 1, 0, 1]]]).result()).toBeCloseTo(1 / 3, 3);
    const weighted = feed(new IoU({ numClasses: 2, targetClassIds: [1, 0] }), [[[0, 0, 1, 1], [0, 1, 0, 1], [0.2, 0.3, 0.4, 0.1]]]);
    expect(weighted.result()).toBeCloseTo((0.1 / (0.4 + 0.5 - 0.1) + 0.2 / (0.6 + 0.5 - 0.2)) / 2, 3);
  });

  it('BinaryIoUTest.test_different_thresholds_weighted and _unweighted', () => {
    const y = [0, 1, 0, 1];
    const p = [0.1, 0.2, 0.4, 0.7];
    expect(feed(new BinaryIoU({ threshold: 0.3 }), [[y, p, [0.2, 0.3, 0.4, 0.1]]]).result()).toBeCloseTo((0.2 / (0.6 + 0.5 - 0.2) + 0.1 / (0.4 + 0.5 - 0.1)) / 2, 3);
    expect(feed(new BinaryIoU({ threshold: 0.5 }), [[y, p, [0.1, 0.2, 0.4, 0.3]]]).result()).toBeCloseTo((0.5 / (0.5 + 0.7 - 0.5) + 0.3 / (0.5 + 0.3 - 0.3)) / 2, 3);
    expect(feed(new BinaryIoU({ threshold: 0.3 }), [[y, p]]).result()).toBeCloseTo(1 / 3, 3);
    expect(feed(new BinaryIoU({ threshold: 0.5 }), [[y, p]]).result()).toBeCloseTo((2 / 3 + 1 / 2) / 2, 3);
  });

  it('MeanIoUTest: test_unweighted, test_unweighted_ignore_class_255, test_weighted, test_weighted_ignore_class_1', () => {
    expect(feed(new MeanIoU({ numClasses: 2 }), [[[0, 0, 1, 1], [0, 1, 0, 1]]]).result()).toBeCloseTo(1 / 3, 3);
    expect(feed(new MeanIoU({ numClasses: 3, ignoreClass: 255 }), [[[0, 1, 2, 255], [0, 1, 1, 1]]]).result()).toBeCloseTo((1 + 1 / 2 + 0) / 3, 3);
    const w = [0.2, 0.3, 0.4, 0.1];
    expect(feed(new MeanIoU({ numClasses: 2 }), [[[0, 0, 1, 1], [0, 1, 0, 1], w]]).result()).toBeCloseTo((0.2 / 0.9 + 0.1 / 0.8) / 2, 3);
    expect(feed(new MeanIoU({ numClasses: 2, ignoreClass: -1 }), [[[0, 0, 1, -1], [0, 1, 0, 1], w]]).result()).toBeCloseTo((0.2 / 0.9 + 0) / 2, 3);
  });

  const yOneHot = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]];
  const pScores = [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]];

  it('OneHotIoUTest.test_unweighted and test_weighted', () => {
    expect(feed(new OneHotIoU({ numClasses: 3, targetClassIds: [0, 2] }), [[yOneHot, pScores]]).result()).toBeCloseTo((0 + 1 / 3) / 2, 3);
    const weighted = feed(new OneHotIoU({ numClasses: 3, targetClassIds: [0, 2] }), [[yOneHot, pScores, [0.1, 0.2, 0.3, 0.4]]]);
    expect(weighted.result()).toBeCloseTo((0 + 0.1 / (0.7 + 0.1 - 0.1)) / 2, 3);
  });

  it('OneHotMeanIoUTest.test_unweighted: (0 + 0 + 1/3) / 3', () => {
    expect(feed(new OneHotMeanIoU({ numClasses: 3 }), [[yOneHot, pScores]]).result()).toBeCloseTo(1 / 9, 3);
  });

  it('rejects a target class outside [0, numClasses)', () => {
    expect(() => new IoU({ numClasses: 2, targetClassIds: [2] })).toThrow(ValueError);
  });
});

describe('regression metrics (regression_metrics_test.py)', () => {
  const yt = [[1, 9, 2], [-5, -2, 6]];
  const yp = [[4, 8, 12], [8, 1, 3]];

  it('CosineSimilarityTest.test_unweighted, test_weighted, test_axis (the test computes the expected value with numpy)', () => {
    const norm = (r: number[]) => Math.sqrt(r.reduce((a, v) => a + v * v, 0));
    const cos = yt.map((r, i) => r.reduce((a, v, j) => a + v * yp[i]![j]!, 0) / (norm(r) * norm(yp[i]!)));
    expect(feed(new CosineSimilarity(), [[yt, yp]]).result()).toBeCloseTo((cos[0]! + cos[1]!) / 2, 3);
    expect(feed(new CosineSimilarity(), [[yt, yp, [1.2, 3.4]]]).result()).toBeCloseTo((cos[0]! * 1.2 + cos[1]! * 3.4) / 4.6, 3);
    expect(feed(new CosineSimilarity({ axis: 1 }), [[yt, yp]]).result()).toBeCloseTo((cos[0]! + cos[1]!) / 2, 3);
  });

  it('MeanSquaredLogarithmicErrorTest.test_unweighted 0.24022 and test_weighted 0.26082', () => {
    const y = [[0, 1, 0, 1, 0], [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1]];
    const p = [[0, 0, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 1, 1, 1, 1]];
    // Keras's tolerance: atol 1e-5.
    expect(Math.abs(feed(new MeanSquaredLogarithmicError(), [[y, p]]).result() - 0.24022)).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(feed(new MeanSquaredLogarithmicError(), [[y, p, [1, 1.5, 2, 2.5]]]).result() - 0.26082)).toBeLessThanOrEqual(1e-5);
  });

  it('LogCoshErrorTest.test_unweighted and test_weighted', () => {
    const logcosh = yt.map((r, i) => r.map((v, j) => Math.log(Math.cosh(yp[i]![j]! - v))));
    const all = logcosh.flat();
    expect(feed(new LogCoshError(), [[yt, yp]]).result()).toBeCloseTo(all.reduce((a, b) => a + b, 0) / 6, 3);
    const weighted = (logcosh[0]!.reduce((a, b) => a + b, 0) * 1.2 + logcosh[1]!.reduce((a, b) => a + b, 0) * 3.4) / (3 * 1.2 + 3 * 3.4);
    expect(feed(new LogCoshError(), [[yt, yp, [[1.2], [3.4]]]]).result()).toBeCloseTo(weighted, 3);
  });

  const ry = [[0, 0, 1], [0, 1, 0], [1, 0, 0]];

  it('R2ScoreTest.test_r2_sklearn_comparison: per output [0.37, -1.295, 0.565], adjusted [-0.26, -3.59, 0.13], averages -0.12', () => {
    const rp = [[0.4, 0.5, 0.6], [0.1, 0.2, 0.3], [0.5, 0.8, 0.2]];
    const perOutput = feed(new R2Score({ numOutputs: 3, classAggregation: null }), [[ry, rp]]) as R2Score;
    [0.37, -1.295, 0.565].forEach((v, i) => expect(perOutput.resultAt(i)).toBeCloseTo(v, 5));
    const adjusted = feed(new R2Score({ numOutputs: 3, classAggregation: null, numRegressors: 1 }), [[ry, rp]]) as R2Score;
    [-0.26, -3.59, 0.13].forEach((v, i) => expect(adjusted.resultAt(i)).toBeCloseTo(v, 5));
    expect(feed(new R2Score({ numOutputs: 3 }), [[ry, rp]]).result()).toBeCloseTo(-0.12, 5);
    expect(feed(new R2Score({ numOutputs: 3, classAggregation: 'variance_weighted_average' }), [[ry, rp]]).result()).toBeCloseTo(-0.12, 5);
  });

  it('R2ScoreTest.test_r2_tfa_comparison (weights [0.8, 0.1, 0.4])', () => {
    const rp = [[0.4, 0.9, 1.6], [0.1, 1.2, 0.6], [1.5, 0.8, 0.6]];
    const w = [0.8, 0.1, 0.4];
    const perOutput = feed(new R2Score({ numOutputs: 3, classAggregation: null }), [[ry, rp, w]]) as R2Score;
    [0.17305559, -8.836666, -0.521].forEach((v, i) => expect(perOutput.resultAt(i)).toBeCloseTo(v, 4));
    expect(feed(new R2Score({ numOutputs: 3 }), [[ry, rp, w]]).result()).toBeCloseTo(-3.0615367889404297, 4);
    expect(feed(new R2Score({ numOutputs: 3, numRegressors: 1 }), [[ry, rp, w]]).result()).toBeCloseTo(-7.123073577880859, 4);
    // num_regressors 2 = n - 1: Keras falls back to the plain score.
    expect(feed(new R2Score({ numOutputs: 3, numRegressors: 2 }), [[ry, rp, w]]).result()).toBeCloseTo(-3.0615367889404297, 4);
    expect(feed(new R2Score({ numOutputs: 3, classAggregation: 'variance_weighted_average', numRegressors: 1 }), [[ry, rp, w]]).result()).toBeCloseTo(
      -3.742044448852539,
      4,
    );
  });
});

describe('probabilistic metrics (KLDivergenceTest, PoissonTest)', () => {
  it('KLDivergence: test_unweighted and test_weighted (weights [[1.2], [3.4]])', () => {
    const p = [[0.4, 0.9, 0.12], [0.36, 0.3, 0.4]];
    const y = [[0.5, 0.8, 0.12], [0.7, 0.43, 0.8]];
    const terms = y.map((r, i) => r.reduce((a, v, j) => a + v * Math.log(v / p[i]![j]!), 0));
    expect(feed(new KLDivergence(), [[y, p]]).result()).toBeCloseTo((terms[0]! + terms[1]!) / 2, 3);
    expect(feed(new KLDivergence(), [[y, p, [[1.2], [3.4]]]]).result()).toBeCloseTo((terms[0]! * 1.2 + terms[1]! * 3.4) / 4.6, 3);
  });

  it('Poisson: test_unweighted and test_weighted', () => {
    const p = [[1, 9, 2], [5, 2, 6]];
    const y = [[4, 8, 12], [8, 1, 3]];
    const terms = p.map((r, i) => r.map((v, j) => v - y[i]![j]! * Math.log(v)));
    expect(feed(new Poisson(), [[y, p]]).result()).toBeCloseTo(terms.flat().reduce((a, b) => a + b, 0) / 6, 3);
    const weighted = (terms[0]!.reduce((a, b) => a + b, 0) * 1.2 + terms[1]!.reduce((a, b) => a + b, 0) * 3.4) / (3 * 1.2 + 3 * 3.4);
    expect(feed(new Poisson(), [[y, p, [[1.2], [3.4]]]]).result()).toBeCloseTo(weighted, 3);
  });
});

describe('hinge metrics (hinge_metrics_test.py)', () => {
  const p = [[-0.3, 0.2, -0.1, 1.6], [-0.25, -1, 0.5, 0.6]];

  it('HingeTest: test_unweighted 0.506 (0/1 labels), test_weighted 0.493 (-1/1 labels)', () => {
    expect(feed(new Hinge(), [[[[0, 1, 0, 1], [0, 0, 1, 1]], p]]).result()).toBeCloseTo(0.506, 3);
    expect(feed(new Hinge(), [[[[-1, 1, -1, 1], [-1, -1, 1, 1]], p, [1.5, 2]]]).result()).toBeCloseTo(0.493, 3);
  });

  it('SquaredHingeTest: test_unweighted 0.364, test_weighted 0.347', () => {
    expect(feed(new SquaredHinge(), [[[[0, 1, 0, 1], [0, 0, 1, 1]], p]]).result()).toBeCloseTo(0.364, 3);
    expect(feed(new SquaredHinge(), [[[[-1, 1, -1, 1], [-1, -1, 1, 1]], p, [1.5, 2]]]).result()).toBeCloseTo(0.347, 3);
  });

  it('CategoricalHingeTest: test_unweighted and test_weighted 0.5', () => {
    const y = [[0, 1, 0, 1, 0], [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1]];
    const q = [[0, 0, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 1, 1, 1, 1]];
    expect(feed(new CategoricalHinge(), [[y, q]]).result()).toBeCloseTo(0.5, 5);
    expect(feed(new CategoricalHinge(), [[y, q, [1, 1.5, 2, 2.5]]]).result()).toBeCloseTo(0.5, 5);
  });
});
