import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { CategoricalGeneralizedCrossEntropy } from './categorical-generalized-cross-entropy.js';

function run(loss: CategoricalGeneralizedCrossEntropy, y: number[] | number[][], p: number[][] | number[][][]): number {
  return tf.tidy(() => loss.call(tf.tensor(y, undefined, 'int32'), tf.tensor(p)).dataSync()[0]!);
}

const gce = (p: number, q: number) => (1 - p ** q) / q;

// Expected values: keras/src/losses/losses_test.py, CategoricalGeneralizedCrossEntropyTest (formulas written there).
describe('CategoricalGeneralizedCrossEntropy (Keras CategoricalGeneralizedCrossEntropyTest)', () => {
  it('test_basic_correctness_for_binary, q 0.5 and 0.8', () => {
    const p = [[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]];
    const y = [0, 1, 0, 1];
    const expected = (q: number) => (gce(0.7, q) + gce(0.8, q) + gce(0.6, q) + gce(0.6, q)) / 4;
    expect(run(new CategoricalGeneralizedCrossEntropy(), y, p)).toBeCloseTo(expected(0.5), 6);
    expect(run(new CategoricalGeneralizedCrossEntropy({ q: 0.8 }), y, p)).toBeCloseTo(expected(0.8), 6);
  });

  it('test_basic_correctness_for_multi_class', () => {
    const p = [[0.7, 0.3, 0], [0.2, 0.2, 0.6], [0.6, 0.4, 0], [0.2, 0.2, 0.6]];
    const expected = (q: number) => (gce(0.7, q) + gce(0.2, q) + gce(0.6, q) + gce(0.2, q)) / 4;
    expect(run(new CategoricalGeneralizedCrossEntropy(), [0, 1, 0, 1], p)).toBeCloseTo(expected(0.5), 6);
    expect(run(new CategoricalGeneralizedCrossEntropy({ q: 0.8 }), [0, 1, 0, 1], p)).toBeCloseTo(expected(0.8), 6);
  });

  it('test_binary_segmentation: 0 when right, then (gce(0.2) + gce(0.4)) / 16', () => {
    const y = [[0, 1, 1, 0], [1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 1]];
    const oneHot = y.map((r) => r.map((c) => (c === 0 ? [1, 0] : [0, 1])));
    expect(run(new CategoricalGeneralizedCrossEntropy({ q: 0.5 }), y, oneHot)).toBeCloseTo(0, 6);
    const soft = oneHot.map((r) => r.map((v) => [...v]));
    soft[0]![3] = [0.2, 0.8];
    soft[3]![3] = [0.6, 0.4];
    expect(run(new CategoricalGeneralizedCrossEntropy({ q: 0.5 }), y, soft)).toBeCloseTo((gce(0.2, 0.5) + gce(0.4, 0.5)) / 16, 6);
  });

  it('rejects q outside (0, 1), as Keras does', () => {
    expect(() => new CategoricalGeneralizedCrossEntropy({ q: 1 })).toThrow(ValueError);
    expect(() => new CategoricalGeneralizedCrossEntropy({ q: 0 })).toThrow(ValueError);
  });
});
