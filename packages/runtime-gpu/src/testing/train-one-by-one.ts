import * as tf from '@tensorflow/tfjs';

import type { BatchedTrainingOptions, ClientExamples, DenseLayerWeights } from '../train-clients-batched.js';

/**
 * The reference trainClientsBatched is checked against: one client, plain 2-D
 * matmuls, tfjs's own `tf.losses`, Keras-style batches (the last one smaller).
 */
export function trainOneByOne(
  initial: readonly DenseLayerWeights[],
  client: ClientExamples,
  options: BatchedTrainingOptions,
): { kernels: tf.Tensor2D[]; biases: tf.Tensor1D[] } {
  const kernels = initial.map((l) => tf.tidy(() => tf.variable(l.kernel.clone())));
  const biases = initial.map((l) => tf.tidy(() => tf.variable(l.bias.clone())));
  const optimizer = tf.train.sgd(options.learningRate);
  const n = client.x.shape[0];
  for (let epoch = 0; epoch < (options.epochs ?? 1); epoch++) {
    for (let start = 0; start < n; start += options.batchSize) {
      tf.tidy(() => {
        const size = Math.min(options.batchSize, n - start);
        const x = tf.slice(client.x, [start, 0], [size, -1]);
        const y = tf.slice(client.y, [start, 0], [size, -1]);
        optimizer.minimize(
          () => {
            let h: tf.Tensor2D = x;
            kernels.forEach((k, i) => {
              h = tf.add(tf.matMul(h, k), biases[i]!);
              if (i < kernels.length - 1 && (options.hiddenActivation ?? 'relu') === 'relu') h = tf.relu(h);
            });
            return options.loss === 'meanSquaredError' ? tf.losses.meanSquaredError(y, h) : tf.losses.softmaxCrossEntropy(y, h);
          },
          false,
          [...kernels, ...biases],
        );
      });
    }
  }
  optimizer.dispose();
  const out = { kernels: kernels.map((v) => tf.clone(v) as tf.Tensor2D), biases: biases.map((v) => tf.clone(v) as tf.Tensor1D) };
  tf.dispose([...kernels, ...biases]);
  return out;
}
