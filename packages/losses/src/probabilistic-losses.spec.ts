import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  KLDivergence,
  Poisson,
  SparseCategoricalCrossentropy,
} from './probabilistic-losses.js';
import { lossValue } from './testing/loss-value.js';

describe('BinaryCrossentropy', () => {
  it('takes probabilities by default', () => {
    // -ln 0.8 = 0.2231436, -ln 0.6 = 0.5108256; mean 0.3669846
    expect(lossValue(new BinaryCrossentropy(), tf.tensor2d([[1], [0]]), tf.tensor2d([[0.8], [0.4]]))).toBeCloseTo(0.3669846, 5);
  });

  it('takes logits with fromLogits', () => {
    // y=1, x=0: ln 2 = 0.6931472; y=0, x=2: ln(1 + e²) = 2.1269280; mean 1.4100376
    const v = lossValue(new BinaryCrossentropy({ fromLogits: true }), tf.tensor2d([[1], [0]]), tf.tensor2d([[0], [2]]));
    expect(v).toBeCloseTo(1.4100376, 5);
  });

  it('smooths labels towards 0.5', () => {
    // smoothing 0.2: y = 1·0.8 + 0.1 = 0.9; -(0.9 ln 0.8 + 0.1 ln 0.2) = 0.2008292 + 0.1609438 = 0.3617730
    const v = lossValue(new BinaryCrossentropy({ labelSmoothing: 0.2 }), tf.tensor2d([[1]]), tf.tensor2d([[0.8]]));
    expect(v).toBeCloseTo(0.361773, 5);
  });

  it('weights examples', () => {
    // per example [0.2231436, 0.5108256], weights [0, 2] -> 1.0216512 / 2 = 0.5108256
    const v = lossValue(new BinaryCrossentropy(), tf.tensor2d([[1], [0]]), tf.tensor2d([[0.8], [0.4]]), tf.tensor2d([[0], [2]]));
    expect(v).toBeCloseTo(0.5108256, 5);
  });

  it('throws when labelSmoothing is outside [0, 1]', () => {
    expect(() => new BinaryCrossentropy({ labelSmoothing: 1.5 })).toThrow(/labelSmoothing must be in \[0, 1\]/);
  });
});

describe('CategoricalCrossentropy', () => {
  it('is -log of the probability of the true class', () => {
    expect(lossValue(new CategoricalCrossentropy(), tf.tensor2d([[0, 1, 0]]), tf.tensor2d([[0.1, 0.8, 0.1]]))).toBeCloseTo(0.2231436, 5);
  });

  it('renormalizes predictions that do not sum to 1', () => {
    // [1,4,5] / 10 -> p(class 1) = 0.4; -ln 0.4 = 0.9162907
    expect(lossValue(new CategoricalCrossentropy(), tf.tensor2d([[0, 1, 0]]), tf.tensor2d([[1, 4, 5]]))).toBeCloseTo(0.9162907, 5);
  });

  it('takes logits with fromLogits', () => {
    // softmax([0, 0]) = [0.5, 0.5]; -ln 0.5 = ln 2
    expect(lossValue(new CategoricalCrossentropy({ fromLogits: true }), tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 0]]))).toBeCloseTo(Math.LN2, 5);
  });

  it('smooths labels towards 1/numClasses', () => {
    // smoothing 0.1, 2 classes: y = [0.95, 0.05]; -(0.95 ln 0.8 + 0.05 ln 0.2) = 0.2119864 + 0.0804719 = 0.2924583
    const v = lossValue(new CategoricalCrossentropy({ labelSmoothing: 0.1 }), tf.tensor2d([[1, 0]]), tf.tensor2d([[0.8, 0.2]]));
    expect(v).toBeCloseTo(0.2924583, 5);
  });
});

describe('SparseCategoricalCrossentropy', () => {
  const preds = () => tf.tensor2d([[0.2, 0.8], [0.6, 0.4]]);
  // -ln 0.8 = 0.2231436, -ln 0.6 = 0.5108256; mean 0.3669846

  it('takes int32 labels of shape [n]', () => {
    expect(lossValue(new SparseCategoricalCrossentropy(), tf.tensor1d([1, 0], 'int32'), preds())).toBeCloseTo(0.3669846, 5);
  });

  it('takes int32 labels of shape [n, 1]', () => {
    expect(lossValue(new SparseCategoricalCrossentropy(), tf.tensor2d([[1], [0]], undefined, 'int32'), preds())).toBeCloseTo(0.3669846, 5);
  });

  it('takes float labels holding integers', () => {
    expect(lossValue(new SparseCategoricalCrossentropy(), tf.tensor1d([1, 0]), preds())).toBeCloseTo(0.3669846, 5);
  });

  it('takes logits with fromLogits', () => {
    // softmax([0, ln 3]) = [0.25, 0.75]; label 0 -> -ln 0.25 = 1.3862944
    const v = lossValue(new SparseCategoricalCrossentropy({ fromLogits: true }), tf.tensor1d([0], 'int32'), tf.tensor2d([[0, Math.log(3)]]));
    expect(v).toBeCloseTo(1.3862944, 5);
  });

  it('averages over every time step for [batch, time, classes] predictions', () => {
    // labels [[0, 0]]: -ln 0.5 = 0.6931472, -ln 0.9 = 0.1053605; mean 0.3992538
    const v = lossValue(new SparseCategoricalCrossentropy(), tf.tensor2d([[0, 0]], undefined, 'int32'), tf.tensor3d([[[0.5, 0.5], [0.9, 0.1]]]));
    expect(v).toBeCloseTo(0.3992538, 5);
  });

  it('throws when label and prediction shapes cannot match', () => {
    const labels = tf.tensor2d([[1, 0]], undefined, 'int32');
    const p = tf.tensor2d([[0.5, 0.5]]);
    expect(() => new SparseCategoricalCrossentropy().call(labels, p)).toThrow(/Sparse labels must have shape \[1\] or \[1,1\]/);
    tf.dispose([labels, p]);
  });
});

describe('KLDivergence', () => {
  it('is sum(y log(y / p))', () => {
    // 0.5 ln(0.5/0.25) + 0.5 ln(0.5/0.75) = 0.3465736 - 0.2027326 = 0.1438410
    expect(lossValue(new KLDivergence(), tf.tensor2d([[0.5, 0.5]]), tf.tensor2d([[0.25, 0.75]]))).toBeCloseTo(0.143841, 5);
  });
});

describe('Poisson', () => {
  it('is p - y log p', () => {
    // e - 1·ln e = 1.7182818
    expect(lossValue(new Poisson(), tf.tensor2d([[1]]), tf.tensor2d([[Math.E]]))).toBeCloseTo(1.7182818, 5);
  });
});
