import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { sparseSoftmaxCrossEntropyWithLogits } from './sparse-softmax-cross-entropy-with-logits.js';

describe('sparseSoftmaxCrossEntropyWithLogits', () => {
  it('gives ln 2 for equal logits and ln(1 + e^-2) when the label scores 2 above the other', () => {
    const loss = sparseSoftmaxCrossEntropyWithLogits(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0, 0], [0, 2]]));
    const [a, b] = Array.from(loss.dataSync());
    expect(a).toBeCloseTo(Math.LN2, 6);
    expect(b).toBeCloseTo(Math.log(1 + Math.exp(-2)), 6);
  });

  it('equals −logSoftmax(z)[label] to the bit', () => {
    const logits = tf.tensor2d([[0.3, -1.7, 2.9], [5, 5.5, -3], [1e-3, 0, 40]]);
    const labels = [2, 0, 1];
    const logSoftmax = tf.logSoftmax(logits).arraySync();
    const loss = Array.from(sparseSoftmaxCrossEntropyWithLogits(tf.tensor1d(labels, 'int32'), logits).dataSync());
    expect(loss).toEqual(labels.map((l, i) => -Math.fround(logSoftmax[i]![l]!)));
  });

  it('has the gradient (softmax − onehot) · dy', () => {
    // logits [0, 0] -> softmax [0.5, 0.5]; label 1, dy 2 -> [2·0.5, 2·(0.5 − 1)] = [1, −1]
    const labels = tf.tensor1d([1], 'int32');
    const grad = tf.grad((z: tf.Tensor) => tf.mul(sparseSoftmaxCrossEntropyWithLogits(labels, z), 2))(tf.tensor2d([[0, 0]]));
    expect(Array.from(grad.dataSync())).toEqual([1, -1]);
  });

  it('takes [batch, time, classes] logits with [batch, time] labels', () => {
    const loss = sparseSoftmaxCrossEntropyWithLogits(tf.tensor2d([[0, 1]], [1, 2], 'int32'), tf.zeros([1, 2, 4]));
    expect(loss.shape).toEqual([1, 2]);
    for (const v of loss.dataSync()) expect(v).toBeCloseTo(Math.log(4), 6);
  });

  it('gives NaN for a label outside [0, numClasses) and the loss for the others', () => {
    const values = Array.from(sparseSoftmaxCrossEntropyWithLogits(tf.tensor1d([2, -1, 1], 'int32'), tf.zeros([3, 2])).dataSync());
    expect(Number.isNaN(values[0])).toBe(true);
    expect(Number.isNaN(values[1])).toBe(true);
    expect(values[2]).toBeCloseTo(Math.LN2, 6);
  });

  it('leaks no tensor, through the gradient either', () => {
    const labels = tf.tensor1d([0, 1], 'int32');
    const z = tf.tensor2d([[1, 2], [3, 4]]);
    const before = tf.memory().numTensors;
    tf.dispose(tf.grad((x: tf.Tensor) => tf.sum(sparseSoftmaxCrossEntropyWithLogits(labels, x)))(z));
    tf.dispose(sparseSoftmaxCrossEntropyWithLogits(labels, z));
    expect(tf.memory().numTensors).toBe(before);
  });
});
