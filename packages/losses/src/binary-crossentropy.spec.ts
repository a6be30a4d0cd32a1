import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { BinaryCrossentropy } from './binary-crossentropy.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

describe('BinaryCrossentropy', () => {
  it('computes -[y log p + (1 - y) log(1 - p)] averaged over the batch', () => {
    // -ln 0.8 = 0.22314355; -ln(1 - 0.4) = 0.51082562; mean 0.36698459
    const loss = new BinaryCrossentropy().call(tf.tensor2d([[1], [0]]), tf.tensor2d([[0.8], [0.4]]));
    expect(read(loss)).toBeCloseTo(0.36698459, 6);
  });

  it('takes logits with fromLogits', () => {
    // sigmoid(0) = 0.5 -> -ln 0.5 = 0.69314718; sigmoid(ln 3) = 0.75, label 0 -> -ln 0.25 = 1.38629436
    // mean (0.69314718 + 1.38629436) / 2 = 1.03972077
    const loss = new BinaryCrossentropy({ fromLogits: true }).call(
      tf.tensor2d([[1], [0]]),
      tf.tensor2d([[0], [Math.log(3)]]),
    );
    expect(read(loss)).toBeCloseTo(1.03972077, 6);
  });

  it('is stable for large logits', () => {
    // label 0, logit 100: max(100, 0) - 0 + log(1 + e^-100) = 100
    const loss = new BinaryCrossentropy({ fromLogits: true }).call(tf.tensor2d([[0]]), tf.tensor2d([[100]]));
    expect(read(loss)).toBeCloseTo(100, 4);
  });

  it('smooths labels towards 0.5', () => {
    // smoothing 0.2: label 1 -> 1 * 0.8 + 0.1 = 0.9
    // -(0.9 ln 0.8 + 0.1 ln 0.2) = 0.9 * 0.22314355 + 0.1 * 1.60943791 = 0.20082920 + 0.16094379 = 0.36177299
    const loss = new BinaryCrossentropy({ labelSmoothing: 0.2 }).call(tf.tensor2d([[1]]), tf.tensor2d([[0.8]]));
    expect(read(loss)).toBeCloseTo(0.36177299, 6);
  });

  it('clips probabilities to [1e-7, 1 - 1e-7] like Keras', () => {
    // label 0, p = 1 -> clipped to float32(1 - 1e-7) = 1 - 2^-23; -ln(2^-23) = 23 ln 2 = 15.9423851
    const loss = new BinaryCrossentropy().call(tf.tensor2d([[0]]), tf.tensor2d([[1]]));
    expect(read(loss)).toBeCloseTo(15.9423851, 3);
  });

  it('averages over the last axis', () => {
    // one example with two outputs: (0.22314355 + 0.51082562) / 2 = 0.36698459
    const loss = new BinaryCrossentropy().call(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.8, 0.4]]));
    expect(read(loss)).toBeCloseTo(0.36698459, 6);
  });

  it('weights examples, dividing by the batch size', () => {
    // weights [[1], [0]]: 0.22314355 / 2 = 0.11157178
    const loss = new BinaryCrossentropy().call(
      tf.tensor2d([[1], [0]]),
      tf.tensor2d([[0.8], [0.4]]),
      tf.tensor2d([[1], [0]]),
    );
    expect(read(loss)).toBeCloseTo(0.11157178, 6);
  });

  it('accepts int32 labels of shape [n] and [n, 1]', () => {
    const pred = tf.tensor2d([[0.8], [0.4]]);
    expect(read(new BinaryCrossentropy().call(tf.tensor1d([1, 0], 'int32'), pred))).toBeCloseTo(0.36698459, 6);
    expect(read(new BinaryCrossentropy().call(tf.tensor2d([[1], [0]], [2, 1], 'int32'), pred))).toBeCloseTo(
      0.36698459,
      6,
    );
  });

  it('throws a ValueError for labelSmoothing outside [0, 1]', () => {
    expect(() => new BinaryCrossentropy({ labelSmoothing: 1.5 })).toThrow(ValueError);
  });

  it('is named binary_crossentropy and keeps its options', () => {
    const bce = new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 });
    expect([bce.name, bce.fromLogits, bce.labelSmoothing]).toEqual(['binary_crossentropy', true, 0.1]);
  });
});
