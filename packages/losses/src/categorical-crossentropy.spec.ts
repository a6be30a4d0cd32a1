import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { CategoricalCrossentropy } from './categorical-crossentropy.js';
import { computeLoss as run } from './testing/compute.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

const LN_0_75 = -0.28768207; // ln 0.75

describe('CategoricalCrossentropy', () => {
  const yTrue = () => tf.tensor2d([[0, 1, 0], [1, 0, 0]]);
  const yPred = () => tf.tensor2d([[0.1, 0.8, 0.1], [0.5, 0.25, 0.25]]);

  it('computes -sum(y log p) averaged over the batch', () => {
    // -ln 0.8 = 0.22314355; -ln 0.5 = 0.69314718; mean 0.45814537
    expect(read(new CategoricalCrossentropy().call(yTrue(), yPred()))).toBeCloseTo(0.45814537, 6);
  });

  it('renormalises probabilities that do not sum to 1', () => {
    // [1, 3] -> [0.25, 0.75]; label 1 -> -ln 0.75
    const loss = new CategoricalCrossentropy().call(tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 3]]));
    expect(read(loss)).toBeCloseTo(-LN_0_75, 6);
  });

  it('takes logits with fromLogits', () => {
    // softmax([0, ln 3]) = [1/4, 3/4]; label 1 -> -ln 0.75 = 0.28768207
    const loss = new CategoricalCrossentropy({ fromLogits: true }).call(
      tf.tensor2d([[0, 1]]),
      tf.tensor2d([[0, Math.log(3)]]),
    );
    expect(read(loss)).toBeCloseTo(-LN_0_75, 6);
  });

  it('smooths labels towards the uniform distribution', () => {
    // smoothing 0.1, 2 classes: [0, 1] -> [0.05, 0.95]
    // -(0.05 ln 0.25 + 0.95 ln 0.75) = 0.05 * 1.38629436 + 0.95 * 0.28768207 = 0.06931472 + 0.27329797 = 0.34261269
    const loss = new CategoricalCrossentropy({ labelSmoothing: 0.1 }).call(
      tf.tensor2d([[0, 1]]),
      tf.tensor2d([[0.25, 0.75]]),
    );
    expect(read(loss)).toBeCloseTo(0.34261269, 6);
  });

  it('clips probabilities at 1e-7', () => {
    // label 0, p = [0, 1] -> p0 clipped to 1e-7; -ln 1e-7 = 16.1180957
    const loss = new CategoricalCrossentropy().call(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 1]]));
    expect(read(loss)).toBeCloseTo(16.1180957, 3);
  });

  it('weights examples, dividing by the batch size', () => {
    // (0.22314355 * 0.5 + 0.69314718 * 2) / 2 = (0.11157178 + 1.38629436) / 2 = 0.74893307
    const loss = new CategoricalCrossentropy().call(yTrue(), yPred(), tf.tensor1d([0.5, 2]));
    expect(read(loss)).toBeCloseTo(0.74893307, 6);
  });

  it('accepts int32 one-hot labels', () => {
    const loss = new CategoricalCrossentropy().call(tf.tensor2d([[0, 1]], [1, 2], 'int32'), tf.tensor2d([[0.25, 0.75]]));
    expect(read(loss)).toBeCloseTo(-LN_0_75, 6);
  });

  it('is named categorical_crossentropy', () => {
    expect(new CategoricalCrossentropy().name).toBe('categorical_crossentropy');
  });
});

describe('CategoricalCrossentropy axis', () => {
  it('test_label_smoothing_with_axis: classes on axis 1', () => {
    const y = [[[1, 0], [0, 1], [0, 0]], [[0, 1], [1, 0], [0, 0]]];
    const p = [[[0.8, 0.1], [0.1, 0.8], [0.1, 0.1]], [[0.1, 0.8], [0.8, 0.1], [0.1, 0.1]]];
    // The test's formula: mean over (batch, spatial) of -sum_c (0.9 y + 0.1 / 3) ln p.
    let total = 0;
    for (let b = 0; b < 2; b++) for (let s = 0; s < 2; s++) for (let c = 0; c < 3; c++) total -= (0.9 * y[b]![c]![s]! + 0.1 / 3) * Math.log(p[b]![c]![s]!);
    expect(run(new CategoricalCrossentropy({ labelSmoothing: 0.1, axis: 1 }), y, p)[0]).toBeCloseTo(total / 4, 5);
  });

  it('rejects an axis outside the rank', () => {
    const loss = new CategoricalCrossentropy({ axis: 3 });
    expect(() => run(loss, [[0, 1]], [[0.5, 0.5]])).toThrow(ValueError);
  });
});
