import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson, SparseCategoricalCrossentropy } from './probabilistic-metrics.js';
import { feed, measure } from './testing/measure.js';

// ln values used below: -ln 0.8 = 0.2231436, -ln 0.6 = 0.5108256, -ln 0.75 = 0.2876821,
// -ln 0.25 = 1.3862944, -ln 0.95 = 0.0512933, -ln 0.1 = 2.3025851, -ln 0.2 = 1.6094379.

describe('BinaryCrossentropy', () => {
  it('on probabilities, weighted', () => {
    // [-ln 0.8, -ln 0.6] -> mean 0.3669846; weights [3, 1] -> (0.6694308 + 0.5108256) / 4 = 0.2950641
    const y = () => tf.tensor2d([[1], [0]]);
    const p = () => tf.tensor2d([[0.8], [0.4]]);
    expect(measure(new BinaryCrossentropy(), [[y(), p()]])).toBeCloseTo(0.3669846, 5);
    expect(measure(new BinaryCrossentropy(), [[y(), p(), tf.tensor1d([3, 1])]])).toBeCloseTo(0.2950641, 5);
  });

  it('on logits, with integer labels', () => {
    // sigmoid(ln 3) = 0.75: label 0 -> -ln 0.25, label 1 -> -ln 0.75; mean 0.8369882
    expect(measure(new BinaryCrossentropy({ fromLogits: true }), [[tf.tensor2d([[0], [1]], undefined, 'int32'), tf.tensor2d([[Math.log(3)], [Math.log(3)]])]])).toBeCloseTo(0.8369882, 5);
    // label 1, logit 0 -> ln 2
    expect(measure(new BinaryCrossentropy({ fromLogits: true }), [[tf.tensor2d([[1]]), tf.tensor2d([[0]])]])).toBeCloseTo(Math.LN2, 5);
  });

  it('smooths labels towards 0.5', () => {
    // labelSmoothing 0.2: label 1 -> 0.9; p 0.8 -> 0.9·0.2231436 + 0.1·1.6094379 = 0.3617730
    expect(measure(new BinaryCrossentropy({ labelSmoothing: 0.2 }), [[tf.tensor2d([[1]]), tf.tensor2d([[0.8]])]])).toBeCloseTo(0.361773, 5);
  });

  it('rejects labelSmoothing outside [0, 1]', () => {
    expect(() => new BinaryCrossentropy({ labelSmoothing: 1.5 })).toThrow(ValueError);
  });
});

describe('CategoricalCrossentropy', () => {
  it('on probabilities, weighted', () => {
    // [-ln 0.95, -ln 0.1] -> mean 1.1769392; weights [0.3, 0.7] -> 0.0153880 + 1.6118096 = 1.6271976
    const y = () => tf.tensor2d([[0, 1, 0], [0, 0, 1]]);
    const p = () => tf.tensor2d([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
    expect(measure(new CategoricalCrossentropy(), [[y(), p()]])).toBeCloseTo(1.1769392, 5);
    expect(measure(new CategoricalCrossentropy(), [[y(), p(), tf.tensor1d([0.3, 0.7])]])).toBeCloseTo(1.6271976, 5);
  });

  it('on logits', () => {
    // softmax([0, ln 3]) = [0.25, 0.75]; class 1 -> -ln 0.75 = 0.2876821
    expect(measure(new CategoricalCrossentropy({ fromLogits: true }), [[tf.tensor2d([[0, 1]]), tf.tensor2d([[0, Math.log(3)]])]])).toBeCloseTo(0.2876821, 5);
  });

  it('smooths labels towards uniform', () => {
    // labelSmoothing 0.1, 2 classes: [0, 1] -> [0.05, 0.95]; p [0.2, 0.8] -> 0.05·1.6094379 + 0.95·0.2231436 = 0.2924583
    expect(measure(new CategoricalCrossentropy({ labelSmoothing: 0.1 }), [[tf.tensor2d([[0, 1]]), tf.tensor2d([[0.2, 0.8]])]])).toBeCloseTo(0.2924583, 5);
  });
});

describe('SparseCategoricalCrossentropy', () => {
  it('takes int32 labels [n] and [n, 1], weighted', () => {
    // [-ln 0.95, -ln 0.1] -> 1.1769392; weights [0.3, 0.7] -> 1.6271976
    const p = () => tf.tensor2d([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
    expect(measure(new SparseCategoricalCrossentropy(), [[tf.tensor1d([1, 2], 'int32'), p()]])).toBeCloseTo(1.1769392, 5);
    expect(measure(new SparseCategoricalCrossentropy(), [[tf.tensor2d([[1], [2]], undefined, 'int32'), p(), tf.tensor1d([0.3, 0.7])]])).toBeCloseTo(1.6271976, 5);
  });

  it('on logits, with labels [n] int32 and [n, 1] float', () => {
    // softmax([0, ln 3]) = [0.25, 0.75]: label 1 -> 0.2876821; labels [1, 0] -> (0.2876821 + 1.3862944) / 2 = 0.8369882
    const logits = () => tf.tensor2d([[0, Math.log(3)], [0, Math.log(3)]]);
    expect(measure(new SparseCategoricalCrossentropy({ fromLogits: true }), [[tf.tensor1d([1], 'int32'), tf.tensor2d([[0, Math.log(3)]])]])).toBeCloseTo(0.2876821, 5);
    expect(measure(new SparseCategoricalCrossentropy({ fromLogits: true }), [[tf.tensor2d([[1], [0]]), logits()]])).toBeCloseTo(0.8369882, 5);
  });

  it('throws a LabelRangeError for a label outside [0, classes) (before: scored against an all-zero one-hot row)', () => {
    expect(() => measure(new SparseCategoricalCrossentropy(), [[tf.tensor1d([0, 2], 'int32'), tf.tensor2d([[0.5, 0.5], [0.5, 0.5]])]])).toThrow(
      /^sparse_categorical_crossentropy: label 2 \(at index 1 of the batch's labels\) is outside \[0, 2\)/,
    );
  });
});

// Regression tests for issue 15: Keras 3 clips, then takes the log (keras/src/metrics/probabilistic_metrics_test.py,
// BinaryCrossentropyTest). tf.keras 2's log(p + 1e-7) gave about 3.83 on test_unweighted.
describe('BinaryCrossentropy matches Keras 3', () => {
  const y = () => tf.tensor2d([[1, 0], [1, 0]]);
  const p = () => tf.tensor2d([[1, 1], [1, 0]]);

  it('BinaryCrossentropyTest.test_unweighted: 3.9855', () => {
    expect(measure(new BinaryCrossentropy(), [[y(), p()]])).toBeCloseTo(3.9855, 3);
  });

  it('BinaryCrossentropyTest.test_weighted: 3.4162', () => {
    expect(measure(new BinaryCrossentropy(), [[y(), p(), tf.tensor1d([1.5, 2])]])).toBeCloseTo(3.4162, 3);
  });

  it('BinaryCrossentropyTest.test_unweighted_with_logits and test_weighted_from_logits: 3.333 and 3.7037', () => {
    const yl = () => tf.tensor2d([[1, 0, 1], [0, 1, 1]]);
    const logits = () => tf.tensor2d([[10, -10, 10], [10, 10, -10]]);
    expect(measure(new BinaryCrossentropy({ fromLogits: true }), [[yl(), logits()]])).toBeCloseTo(3.333, 3);
    expect(measure(new BinaryCrossentropy({ fromLogits: true }), [[yl(), logits(), tf.tensor1d([2, 2.5])]])).toBeCloseTo(3.7037, 3);
  });

  it('BinaryCrossentropyTest.test_label_smoothing: (10 + 5 * 0.1) / 3', () => {
    const m = new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 });
    expect(measure(m, [[tf.tensor1d([1, 0, 1]), tf.tensor1d([10, -10, -10])]])).toBeCloseTo(10.5 / 3, 3);
  });
});

// Expected values from keras/src/metrics/probabilistic_metrics_test.py (test class and name in each title).
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

