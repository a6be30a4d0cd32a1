import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import {
  CosineSimilarity,
  LogCoshError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  R2Score,
  RootMeanSquaredError,
} from './regression-metrics.js';
import { feed, measure } from './testing/measure.js';

// Keras's documentation data: labels [[0, 1], [0, 0]], predictions [[1, 1], [0, 0]].
const y = () => tf.tensor2d([[0, 1], [0, 0]]);
const p = () => tf.tensor2d([[1, 1], [0, 0]]);
const w = () => tf.tensor1d([1, 0]);

describe('MeanAbsoluteError', () => {
  it('averages |error| over the last axis, then over weighted examples', () => {
    // per example [(1 + 0) / 2, 0] = [0.5, 0] -> 0.25; weights [1, 0] -> 0.5
    expect(measure(new MeanAbsoluteError(), [[y(), p()]])).toBeCloseTo(0.25, 6);
    expect(measure(new MeanAbsoluteError(), [[y(), p(), w()]])).toBeCloseTo(0.5, 6);
  });

  it('matches labels [n] with predictions [n, 1] example by example', () => {
    // |2 - 1| = 1, |6 - 3| = 3 -> 2 (broadcasting [2] against [2, 1] would give 2.5)
    expect(measure(new MeanAbsoluteError(), [[tf.tensor1d([1, 3], 'int32'), tf.tensor2d([[2], [6]])]])).toBeCloseTo(2, 6);
  });
});

describe('MeanSquaredError', () => {
  it('averages squared errors, weighted', () => {
    // per example [0.5, 0] -> 0.25; weights [1, 0] -> 0.5
    expect(measure(new MeanSquaredError(), [[y(), p()]])).toBeCloseTo(0.25, 6);
    expect(measure(new MeanSquaredError(), [[y(), p(), w()]])).toBeCloseTo(0.5, 6);
  });

  it('treats rank-1 inputs element by element, whatever the batching', () => {
    // squares [1, 4, 9], weights [1, 1, 2] -> (1 + 4 + 18) / 4 = 5.75
    const one = measure(new MeanSquaredError(), [[tf.tensor1d([0, 0, 0]), tf.tensor1d([1, 2, 3]), tf.tensor1d([1, 1, 2])]]);
    const two = measure(new MeanSquaredError(), [
      [tf.tensor1d([0]), tf.tensor1d([1]), tf.tensor1d([1])],
      [tf.tensor1d([0, 0]), tf.tensor1d([2, 3]), tf.tensor1d([1, 2])],
    ]);
    expect(one).toBeCloseTo(5.75, 5);
    expect(two).toBeCloseTo(5.75, 5);
  });
});

describe('RootMeanSquaredError', () => {
  it('takes the square root of the weighted mean of squares', () => {
    // squares [[1, 0], [0, 0]] -> sqrt(1 / 4) = 0.5; weights [1, 0] -> sqrt(1 / 2) = 0.7071068
    expect(measure(new RootMeanSquaredError(), [[y(), p()]])).toBeCloseTo(0.5, 6);
    expect(measure(new RootMeanSquaredError(), [[y(), p(), w()]])).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('pools squares across batches before the root', () => {
    // batch 1: squares [1, 9], batch 2: [16] -> sqrt(26 / 3) = 2.9439203; state [26, 3]
    const m = new RootMeanSquaredError();
    const v = measure(m, [
      [tf.tensor2d([[0], [0]]), tf.tensor2d([[1], [3]])],
      [tf.tensor2d([[0]]), tf.tensor2d([[4]])],
    ]);
    expect(v).toBeCloseTo(2.9439203, 5);
    expect(m.unfinalizedState()).toEqual([26, 3]);
  });
});

describe('MeanAbsolutePercentageError', () => {
  it('is 100 times the mean relative error, with |label| floored at 1e-7', () => {
    // per example: 100·(|0 - 1| / 1e-7 + 0) / 2 = 5e8, and 0 -> 2.5e8; weights [1, 0] -> 5e8
    expect(measure(new MeanAbsolutePercentageError(), [[y(), p()]]) / 2.5e8).toBeCloseTo(1, 5);
    expect(measure(new MeanAbsolutePercentageError(), [[y(), p(), w()]]) / 5e8).toBeCloseTo(1, 5);
  });

  it('on ordinary values', () => {
    // |2 - 1| / 2 = 50 %, |4 - 5| / 4 = 25 % -> 37.5
    expect(measure(new MeanAbsolutePercentageError(), [[tf.tensor2d([[2], [4]]), tf.tensor2d([[1], [5]])]])).toBeCloseTo(37.5, 4);
  });
});

describe('[n, d] sample weights on per-example values (issue 15)', () => {
  it('throw a ValueError instead of pairing example i with column i when n == d', () => {
    // Keras 3's reduce_to_samplewise_values fails to broadcast [2, 2] weights to the [2]
    // per-example values of mean_squared_error; fedkit used to broadcast them to [2, 2].
    const m = new MeanSquaredError();
    const [yt, yp, sw] = [y(), p(), tf.tensor2d([[1, 0], [0, 1]])];
    expect(() => m.updateState(yt, yp, sw)).toThrow(ValueError);
    expect(() => m.updateState(yt, yp, sw)).toThrow(/one weight per example/);
    tf.dispose([yt, yp, sw]);
    m.dispose();
  });
});

// Expected values from keras/src/metrics/regression_metrics_test.py (test class and name in each title).
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

