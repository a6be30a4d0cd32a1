import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { F1Score, FBetaScore } from './f-score-metrics.js';
import { feed } from './testing/measure.js';

// Expected values from keras/src/metrics/f_score_metrics_test.py (test name in each title).

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

