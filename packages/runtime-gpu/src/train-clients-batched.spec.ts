import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { trainOneByOne } from './testing/train-one-by-one.js';
import { trainClientsBatched, type ClientExamples, type DenseLayerWeights } from './train-clients-batched.js';

function linearLayer(): DenseLayerWeights {
  return { kernel: tf.tensor2d([[0.5], [-0.5]]), bias: tf.tensor1d([0.1]) };
}

function client(x: number[][], y: number[][]): ClientExamples {
  return { x: tf.tensor2d(x, [x.length, 2]), y: tf.tensor2d(y, [y.length, 1]) };
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

describe('trainClientsBatched', () => {
  let before: number;
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives each client the weights of its own SGD steps (hand-computed, uneven clients)', () => {
    before = tf.memory().numTensors;
    const layer = linearLayer();
    const clients = [
      client([[1, 2], [3, 1]], [[1], [0]]),
      client([[2, 0]], [[0]]),
      client([[1, 0], [0, 1], [1, 1]], [[1], [1], [0]]),
    ];
    const out = trainClientsBatched([layer], clients, { learningRate: 0.1, batchSize: 2, loss: 'meanSquaredError' });
    // W = [0.5, -0.5], b = 0.1, lr 0.1, MSE = mean over the batch's examples; dL/dpred = 2 * err / batch.
    // client 0, one batch of 2: preds -0.4, 1.1; errs -1.4, 1.1; dW = [1*-1.4 + 3*1.1, 2*-1.4 + 1*1.1] = [1.9, -1.7],
    //   db = -0.3 -> W = [0.31, -0.33], b = 0.13
    // client 1, one batch of 1: pred 2*0.5 + 0.1 = 1.1; dpred = 2.2; dW = [4.4, 0], db = 2.2 -> W = [0.06, -0.5], b = -0.12
    // client 2, batch of 2 then of 1:
    //   step 1: preds 0.6, -0.4; errs -0.4, -1.4; dW = [-0.4, -1.4], db = -1.8 -> W = [0.54, -0.36], b = 0.28
    //   step 2: pred 0.54 - 0.36 + 0.28 = 0.46; dpred = 0.92; dW = [0.92, 0.92], db = 0.92 -> W = [0.448, -0.452], b = 0.188
    const expectedKernel = tf.tensor3d([[[0.31], [-0.33]], [[0.06], [-0.5]], [[0.448], [-0.452]]]);
    const expectedBias = tf.tensor2d([[0.13], [-0.12], [0.188]]);
    expect(out.kernels[0]!.shape).toEqual([3, 2, 1]);
    expect(out.biases[0]!.shape).toEqual([3, 1]);
    expect(maxAbsDiff(out.kernels[0]!, expectedKernel)).toBeLessThan(1e-6);
    expect(maxAbsDiff(out.biases[0]!, expectedBias)).toBeLessThan(1e-6);
    expect(out.numExamples).toEqual([2, 1, 3]);
    expect(out.steps).toEqual([1, 1, 2]);
    tf.dispose([...out.kernels, ...out.biases, expectedKernel, expectedBias, layer.kernel, layer.bias, ...clients.flatMap((c) => [c.x, c.y])]);
  });

  it('leaves a client with no examples at the initial weights', () => {
    before = tf.memory().numTensors;
    const layer = linearLayer();
    const clients = [client([[1, 2]], [[1]]), { x: tf.zeros([0, 2]) as tf.Tensor2D, y: tf.zeros([0, 1]) as tf.Tensor2D }];
    const out = trainClientsBatched([layer], clients, { learningRate: 0.1, batchSize: 4, epochs: 3, loss: 'meanSquaredError' });
    // client 1 has no data: W stays [0.5, -0.5], b stays 0.1
    const k1 = tf.tidy(() => tf.slice(out.kernels[0]!, [1, 0, 0], [1, -1, -1]));
    const b1 = tf.tidy(() => tf.slice(out.biases[0]!, [1, 0], [1, -1]));
    expect(Array.from(k1.dataSync())).toEqual([0.5, -0.5]);
    expect(b1.dataSync()[0]).toBeCloseTo(0.1, 7);
    expect(out.numExamples).toEqual([1, 0]);
    expect(out.steps).toEqual([3, 0]);
    tf.dispose([k1, b1, ...out.kernels, ...out.biases, layer.kernel, layer.bias, ...clients.flatMap((c) => [c.x, c.y])]);
  });

  for (const loss of ['softmaxCrossEntropy', 'meanSquaredError'] as const) {
    it(`matches training 6 clients one by one within 1e-5 (2-layer relu MLP, ${loss}, 3 epochs)`, () => {
      before = tf.memory().numTensors;
      const initial: DenseLayerWeights[] = [
        { kernel: tf.randomNormal([5, 8], 0, 0.4, 'float32', 7) as tf.Tensor2D, bias: tf.randomNormal([8], 0, 0.1, 'float32', 8) as tf.Tensor1D },
        { kernel: tf.randomNormal([8, 3], 0, 0.4, 'float32', 9) as tf.Tensor2D, bias: tf.zeros([3]) as tf.Tensor1D },
      ];
      const sizes = [1, 4, 5, 9, 16, 2];
      const clients = sizes.map((n, i) => ({
        x: tf.randomNormal([n, 5], 0, 1, 'float32', 100 + i) as tf.Tensor2D,
        y: tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, j) => (i * 7 + j) % 3), 'int32'), 3).toFloat() as tf.Tensor2D),
      }));
      const options = { learningRate: 0.1, batchSize: 4, epochs: 3, loss };
      const out = trainClientsBatched(initial, clients, options);
      // steps per client: ceil(n / 4) * 3
      expect(out.steps).toEqual([3, 3, 6, 9, 12, 3]);
      let worst = 0;
      clients.forEach((c, k) => {
        const one = trainOneByOne(initial, c, options);
        tf.tidy(() => {
          one.kernels.forEach((kernel, l) => {
            worst = Math.max(worst, maxAbsDiff(tf.squeeze(tf.slice(out.kernels[l]!, [k, 0, 0], [1, -1, -1]), [0]), kernel));
            // the client really trained: its weights moved away from the initial ones
            expect(maxAbsDiff(kernel, initial[l]!.kernel)).toBeGreaterThan(1e-3);
          });
          one.biases.forEach((bias, l) => {
            worst = Math.max(worst, maxAbsDiff(tf.squeeze(tf.slice(out.biases[l]!, [k, 0], [1, -1]), [0]), bias));
          });
        });
        tf.dispose([...one.kernels, ...one.biases]);
      });
      expect(worst).toBeLessThan(1e-5);
      tf.dispose([...out.kernels, ...out.biases, ...initial.flatMap((l) => [l.kernel, l.bias]), ...clients.flatMap((c) => [c.x, c.y])]);
    });
  }

  it('throws a ValueError when a client does not match the model', () => {
    before = tf.memory().numTensors;
    const layer = linearLayer();
    const bad = { x: tf.zeros([2, 3]) as tf.Tensor2D, y: tf.zeros([2, 1]) as tf.Tensor2D };
    expect(() => trainClientsBatched([layer], [bad], { learningRate: 0.1, batchSize: 2 })).toThrow(ValueError);
    expect(() => trainClientsBatched([layer], [bad], { learningRate: 0.1, batchSize: 2 })).toThrow(/Client 0: expected x \[n, 2\] and y \[n, 1\]/);
    tf.dispose([layer.kernel, layer.bias, bad.x, bad.y]);
  });

  it('throws a ValueError when the layers do not chain', () => {
    before = tf.memory().numTensors;
    const a = linearLayer();
    const b = { kernel: tf.zeros([3, 1]) as tf.Tensor2D, bias: tf.zeros([1]) as tf.Tensor1D };
    const c = client([[1, 1]], [[1]]);
    expect(() => trainClientsBatched([a, b], [c], { learningRate: 0.1, batchSize: 1 })).toThrow(/Layer 1: expected a kernel with 1 inputs/);
    tf.dispose([a.kernel, a.bias, b.kernel, b.bias, c.x, c.y]);
  });

  it('throws a ValueError for a batch size that is not a positive integer', () => {
    before = tf.memory().numTensors;
    const layer = linearLayer();
    const c = client([[1, 1]], [[1]]);
    expect(() => trainClientsBatched([layer], [c], { learningRate: 0.1, batchSize: 0 })).toThrow(/batchSize must be a positive integer, found 0/);
    tf.dispose([layer.kernel, layer.bias, c.x, c.y]);
  });

  it('throws a ValueError when there are no clients', () => {
    before = tf.memory().numTensors;
    const layer = linearLayer();
    expect(() => trainClientsBatched([layer], [], { learningRate: 0.1, batchSize: 1 })).toThrow(/at least one client/);
    tf.dispose([layer.kernel, layer.bias]);
  });
});
