import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { CategoricalHinge, Hinge, SquaredHinge } from './hinge-losses.js';
import { lossValue } from './testing/loss-value.js';

describe('Hinge', () => {
  it('converts {0, 1} labels to {-1, 1}', () => {
    // y=1: max(1 - 0.3, 0) = 0.7; y=0 -> -1: max(1 + 0.2, 0) = 1.2; mean 0.95
    expect(lossValue(new Hinge(), tf.tensor2d([[1], [0]]), tf.tensor2d([[0.3], [0.2]]))).toBeCloseTo(0.95, 6);
  });

  it('keeps {-1, 1} labels', () => {
    // y=-1, p=0.2: 1.2; y=1, p=2: 0; mean 0.6
    expect(lossValue(new Hinge(), tf.tensor2d([[-1], [1]]), tf.tensor2d([[0.2], [2]]))).toBeCloseTo(0.6, 6);
  });
});

describe('SquaredHinge', () => {
  it('squares the hinge', () => {
    // 0.7² = 0.49, 1.2² = 1.44; mean 0.965
    expect(lossValue(new SquaredHinge(), tf.tensor2d([[1], [0]]), tf.tensor2d([[0.3], [0.2]]))).toBeCloseTo(0.965, 6);
  });
});

describe('CategoricalHinge', () => {
  it('is max(0, max negative score - positive score + 1)', () => {
    // pos = 0.5, neg = max(0.3, 0, 0.9) = 0.9; 0.9 - 0.5 + 1 = 1.4
    expect(lossValue(new CategoricalHinge(), tf.tensor2d([[0, 1, 0]]), tf.tensor2d([[0.3, 0.5, 0.9]]))).toBeCloseTo(1.4, 6);
  });
});
