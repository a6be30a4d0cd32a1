import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './probabilistic-metrics.js';
import { measure } from './testing/measure.js';

describe('crossentropy metrics', () => {
  it('BinaryCrossentropy on probabilities', () => {
    // -ln 0.8 = 0.2231436, -ln 0.6 = 0.5108256; mean 0.3669846
    expect(measure(new BinaryCrossentropy(), [[tf.tensor2d([[1], [0]]), tf.tensor2d([[0.8], [0.4]])]])).toBeCloseTo(0.3669846, 5);
  });

  it('BinaryCrossentropy on logits', () => {
    // y=1, x=0 -> ln 2
    expect(measure(new BinaryCrossentropy({ fromLogits: true }), [[tf.tensor2d([[1]]), tf.tensor2d([[0]])]])).toBeCloseTo(Math.LN2, 5);
  });

  it('CategoricalCrossentropy on probabilities and on logits', () => {
    expect(measure(new CategoricalCrossentropy(), [[tf.tensor2d([[0, 1]]), tf.tensor2d([[0.2, 0.8]])]])).toBeCloseTo(0.2231436, 5);
    // softmax([0, ln 3]) = [0.25, 0.75]; class 1 -> -ln 0.75 = 0.2876821
    expect(measure(new CategoricalCrossentropy({ fromLogits: true }), [[tf.tensor2d([[0, 1]]), tf.tensor2d([[0, Math.log(3)]])]])).toBeCloseTo(0.2876821, 5);
  });

  it('SparseCategoricalCrossentropy takes labels [n] and [n, 1], weighted', () => {
    // per example [-ln 0.8, -ln 0.6] = [0.2231436, 0.5108256], weights [1, 3] -> (0.2231436 + 1.5324768) / 4 = 0.4389051
    const p = () => tf.tensor2d([[0.2, 0.8], [0.6, 0.4]]);
    expect(measure(new SparseCategoricalCrossentropy(), [[tf.tensor1d([1, 0], 'int32'), p(), tf.tensor1d([1, 3])]])).toBeCloseTo(0.4389051, 5);
    expect(measure(new SparseCategoricalCrossentropy(), [[tf.tensor2d([[1], [0]], undefined, 'int32'), p(), tf.tensor1d([1, 3])]])).toBeCloseTo(0.4389051, 5);
  });
});
