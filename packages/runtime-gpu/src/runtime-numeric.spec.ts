import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { runtimeCases } from './testing/runtime-cases.js';
import { trainOneByOne } from './testing/train-one-by-one.js';
import { trainClientsBatched } from './train-clients-batched.js';

// One numeric suite for every runtime: cpu always, wasm when @fedkit/runtime-wasm is built, the GPU
// runtimes when this machine has them. A runtime that cannot run here is listed as skipped, its
// reason in the suite's name.
const cases = await runtimeCases();

function expectClose(actual: tf.Tensor, expected: number[], tolerance: number): void {
  const values = Array.from(actual.dataSync());
  expect(values).toHaveLength(expected.length);
  values.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(tolerance));
}

describe.each(cases.map((c) => [c.label, c] as const))('numeric suite on %s', (_label, { runtime, backend, skipReason }) => {
  const test = runtime === undefined ? it.skip : it;
  // GPU float32 kernels reassociate sums differently from the JS cpu backend.
  const tolerance = runtime?.device === 'gpu' ? 1e-4 : 1e-5;

  beforeAll(async () => {
    if (runtime !== undefined) await runtime.activate();
  });

  test(`runs on the ${backend} backend${skipReason === undefined ? '' : ` (skipped: ${skipReason})`}`, () => {
    expect(tf.getBackend()).toBe(backend);
  });

  test('computes mean squared error', () => {
    const before = tf.memory().numTensors;
    // diffs 0.5, 0, -1, 1 -> squares 0.25, 0, 1, 1 -> sum 2.25 / 4 = 0.5625
    tf.tidy(() => {
      const loss = tf.losses.meanSquaredError(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([1.5, 2, 2, 5]));
      expectClose(loss, [0.5625], tolerance);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  test('computes softmax cross-entropy from logits', () => {
    const before = tf.memory().numTensors;
    // row 1: logits [0, 0], label 0 -> p = 1/2 -> -ln(1/2) = 0.6931472
    // row 2: logits [0, ln 3], label 1 -> p = 3/(1+3) = 3/4 -> -ln(3/4) = 0.2876821
    // mean over the two rows: (0.6931472 + 0.2876821) / 2 = 0.4904146
    tf.tidy(() => {
      const loss = tf.losses.softmaxCrossEntropy(tf.tensor2d([[1, 0], [0, 1]]), tf.tensor2d([[0, 0], [0, Math.log(3)]]));
      expectClose(loss, [0.4904146], tolerance);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  test('computes categorical accuracy', () => {
    const before = tf.memory().numTensors;
    // argmax of the predictions: 1, 0, 2; of the labels: 1, 2, 2 -> 2 of 3 right = 0.6666667
    tf.tidy(() => {
      const perExample = tf.metrics.categoricalAccuracy(
        tf.tensor2d([[0, 1, 0], [0, 0, 1], [0, 0, 1]]),
        tf.tensor2d([[0.2, 0.7, 0.1], [0.5, 0.3, 0.2], [0.1, 0.1, 0.8]]),
      );
      expectClose(tf.mean(perExample), [2 / 3], tolerance);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  test('multiplies matrices, plain, transposed and batched', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const a = tf.tensor2d([[1, 2], [3, 4]]);
      const b = tf.tensor2d([[5, 6], [7, 8]]);
      // [1*5+2*7, 1*6+2*8; 3*5+4*7, 3*6+4*8] = [19, 22; 43, 50]
      expectClose(tf.matMul(a, b), [19, 22, 43, 50], tolerance);
      // a^T b = [1*5+3*7, 1*6+3*8; 2*5+4*7, 2*6+4*8] = [26, 30; 38, 44]
      expectClose(tf.matMul(a, b, true, false), [26, 30, 38, 44], tolerance);
      // a b^T = [1*5+2*6, 1*7+2*8; 3*5+4*6, 3*7+4*8] = [17, 23; 39, 53]
      expectClose(tf.matMul(a, b, false, true), [17, 23, 39, 53], tolerance);
      // batch of [a, 2a] times [b, b]: the second product is 2 * [19, 22; 43, 50]
      expectClose(tf.matMul(tf.stack([a, a.mul(2)]), tf.stack([b, b])), [19, 22, 43, 50, 38, 44, 86, 100], tolerance);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  test('takes one SGD step of a dense layer under MSE', () => {
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.tensor2d([[0.5], [-0.5]])));
    const b = tf.tidy(() => tf.variable(tf.tensor1d([0.1])));
    const optimizer = tf.train.sgd(0.1);
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 2], [3, 1]]);
      const y = tf.tensor2d([[1], [0]]);
      optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, w), b)), false, [w, b]);
    });
    // preds: 0.5*1 - 0.5*2 + 0.1 = -0.4 and 0.5*3 - 0.5*1 + 0.1 = 1.1; errors -1.4 and 1.1
    // dL/dpred = 2 * err / 2 = err; dW = [1*-1.4 + 3*1.1, 2*-1.4 + 1*1.1] = [1.9, -1.7]; db = -0.3
    // W' = [0.5 - 0.1*1.9, -0.5 + 0.1*1.7] = [0.31, -0.33]; b' = 0.1 + 0.1*0.3 = 0.13
    expectClose(w, [0.31, -0.33], tolerance);
    expectClose(b, [0.13], tolerance);
    tf.dispose([w, b]);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('runs one FedAvg round of two clients trained batched (hand-computed)', () => {
    const before = tf.memory().numTensors;
    const server = [{ kernel: tf.tensor2d([[0.5], [-0.5]]), bias: tf.tensor1d([0.1]) }];
    const clients = [
      { x: tf.tensor2d([[1, 2], [3, 1]]), y: tf.tensor2d([[1], [0]]) },
      { x: tf.tensor2d([[2, 0]]), y: tf.tensor2d([[0]]) },
    ];
    const out = trainClientsBatched(server, clients, { learningRate: 0.1, batchSize: 2, loss: 'meanSquaredError' });
    // client 0 (2 examples): W = [0.31, -0.33], b = 0.13 (the SGD step above)
    // client 1 (1 example): pred 2*0.5 + 0.1 = 1.1, dpred = 2*1.1 = 2.2, dW = [4.4, 0], db = 2.2 -> W = [0.06, -0.5], b = -0.12
    // FedAvg, weights 2 and 1: W = [(2*0.31 + 0.06)/3, (2*-0.33 - 0.5)/3] = [0.2266667, -0.3866667]; b = (2*0.13 - 0.12)/3 = 0.0466667
    const total = out.numExamples.reduce((a, n) => a + n, 0);
    const weights = tf.tensor1d(out.numExamples.map((n) => n / total));
    const avgKernel = tf.tidy(() => tf.sum(tf.mul(out.kernels[0]!, tf.reshape(weights, [-1, 1, 1])), 0));
    const avgBias = tf.tidy(() => tf.sum(tf.mul(out.biases[0]!, tf.reshape(weights, [-1, 1])), 0));
    expectClose(avgKernel, [0.2266667, -0.3866667], tolerance);
    expectClose(avgBias, [0.0466667], tolerance);
    tf.dispose([weights, avgKernel, avgBias, ...out.kernels, ...out.biases, server[0]!.kernel, server[0]!.bias, ...clients.flatMap((c) => [c.x, c.y])]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('trains clients batched exactly as one by one', () => {
    const before = tf.memory().numTensors;
    const initial = [
      { kernel: tf.randomNormal([3, 4], 0, 0.5, 'float32', 1) as tf.Tensor2D, bias: tf.randomNormal([4], 0, 0.1, 'float32', 2) as tf.Tensor1D },
      { kernel: tf.randomNormal([4, 2], 0, 0.5, 'float32', 3) as tf.Tensor2D, bias: tf.zeros([2]) as tf.Tensor1D },
    ];
    const clients = [3, 7].map((n, i) => ({
      x: tf.randomNormal([n, 3], 0, 1, 'float32', 10 + i) as tf.Tensor2D,
      y: tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, j) => (i + j) % 2), 'int32'), 2).toFloat() as tf.Tensor2D),
    }));
    const options = { learningRate: 0.2, batchSize: 2, epochs: 2 };
    const batched = trainClientsBatched(initial, clients, options);
    clients.forEach((client, k) => {
      const one = trainOneByOne(initial, client, options);
      one.kernels.forEach((kernel, l) => {
        const mine = tf.tidy(() => tf.squeeze(tf.slice(batched.kernels[l]!, [k, 0, 0], [1, -1, -1]), [0]));
        expectClose(mine, Array.from(kernel.dataSync()), tolerance);
        mine.dispose();
      });
      one.biases.forEach((bias, l) => {
        const mine = tf.tidy(() => tf.squeeze(tf.slice(batched.biases[l]!, [k, 0], [1, -1]), [0]));
        expectClose(mine, Array.from(bias.dataSync()), tolerance);
        mine.dispose();
      });
      tf.dispose([...one.kernels, ...one.biases]);
    });
    tf.dispose([...batched.kernels, ...batched.biases, ...initial.flatMap((l) => [l.kernel, l.bias]), ...clients.flatMap((c) => [c.x, c.y])]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
