import * as tf from '@tensorflow/tfjs';
import { LOSS_PLUGIN, createFedkitContainer, registerPlugin, resolveLoss } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { defineLoss } from './define-loss.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

// The README's focal loss: -(1 - p_t)^gamma log(p_t), p_t the probability of the true class.
const binaryFocal = defineLoss('binary_focal_crossentropy', (yTrue, yPred, config) => {
  const gamma = typeof config.gamma === 'number' ? config.gamma : 2;
  const y = tf.cast(yTrue, 'float32');
  const p = tf.clipByValue(yPred, 1e-7, 1 - 1e-7);
  const pT = tf.add(tf.mul(y, p), tf.mul(tf.sub(1, y), tf.sub(1, p)));
  return tf.mean(tf.mul(tf.neg(tf.pow(tf.sub(1, pT), gamma)), tf.log(pT)), -1);
});

describe('defineLoss', () => {
  it('makes a plugin that resolveLoss finds by name', () => {
    const c = createFedkitContainer();
    registerPlugin(c, LOSS_PLUGIN, binaryFocal);
    const focal = resolveLoss(c, 'binary_focal_crossentropy');
    // p_t = 0.8 and 0.6; (0.2^2 * 0.22314355 + 0.4^2 * 0.51082562) / 2 = (0.00892574 + 0.08173210) / 2 = 0.04532892
    expect(read(focal.call(tf.tensor2d([[1], [0]]), tf.tensor2d([[0.8], [0.4]])))).toBeCloseTo(0.04532892, 6);
    expect(focal.name).toBe('binary_focal_crossentropy');
  });

  it('passes the config to the function', () => {
    // gamma 0 is the binary crossentropy: (0.22314355 + 0.51082562) / 2 = 0.36698459
    const bce = binaryFocal.create({ gamma: 0 });
    expect(read(bce.call(tf.tensor2d([[1], [0]]), tf.tensor2d([[0.8], [0.4]])))).toBeCloseTo(0.36698459, 6);
  });

  it('reports the config it was created with', () => {
    const focal = binaryFocal.create({ gamma: 1 }) as unknown as { getConfig(): Record<string, unknown> };
    expect(focal.getConfig()).toEqual({ gamma: 1 });
  });

  it('applies sample weights with the SUM_OVER_BATCH_SIZE reduction', () => {
    // weights 0 and 1: 0.08173210 / 2 = 0.04086605
    const loss = binaryFocal.create().call(tf.tensor2d([[1], [0]]), tf.tensor2d([[0.8], [0.4]]), tf.tensor1d([0, 1]));
    expect(read(loss)).toBeCloseTo(0.04086605, 6);
  });

  it('hands int32 labels to the function uncast', () => {
    const seen: string[] = [];
    const probe = defineLoss('probe', (yTrue, yPred) => {
      seen.push(yTrue.dtype);
      return tf.sum(yPred, -1);
    });
    probe.create().call(tf.tensor1d([1, 0], 'int32'), tf.zeros([2, 3])).dispose();
    expect(seen).toEqual(['int32']);
  });

  it('accepts a scalar result', () => {
    // scalar 3, weights [1, 0]: mean weight 0.5 -> 1.5
    const constant = defineLoss('constant', () => tf.scalar(3));
    expect(read(constant.create().call(tf.zeros([2]), tf.zeros([2])))).toBe(3);
    expect(read(constant.create().call(tf.zeros([2]), tf.zeros([2]), tf.tensor1d([1, 0])))).toBeCloseTo(1.5, 6);
  });

  it('throws a TypeError when the function does not return a tensor', () => {
    const broken = defineLoss('broken', () => 1 as unknown as tf.Tensor);
    expect(() => broken.create().call(tf.zeros([1]), tf.zeros([1]))).toThrow(TypeError);
  });

  it('throws a TypeError for a missing name or function', () => {
    expect(() => defineLoss('', () => tf.scalar(0))).toThrow(TypeError);
    expect(() => defineLoss('x', undefined as unknown as () => tf.Tensor)).toThrow(TypeError);
  });

  it('disposes every intermediate tensor of the function', () => {
    const t = tf.tensor2d([[1], [0]]);
    const p = tf.tensor2d([[0.8], [0.4]]);
    const loss = binaryFocal.create();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) loss.call(t, p).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
