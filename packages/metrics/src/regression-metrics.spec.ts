import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError, RootMeanSquaredError } from './regression-metrics.js';
import { measure } from './testing/measure.js';

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
