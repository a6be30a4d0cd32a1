/**
 * Batched local training of many clients on one device.
 *
 * FedJAX (Ro, Suresh, Wu: "FedJAX: Federated learning simulation with JAX",
 * arXiv:2108.02117, 2021) runs one round's clients in parallel by mapping the
 * client update over a leading client axis and padding clients' batches to a
 * common size with a mask. This is the same idea for dense models in tfjs: K
 * clients' weights are stacked into [K, ...] variables, their data are padded to
 * the longest client and masked, and every local SGD step of all K clients is one
 * batched computation (`tf.matMul` on [K, B, in] x [K, in, out]).
 *
 * Why it is exact: the summed loss is a sum of per-client terms and client k's
 * term depends only on slice k of the stacked weights, so the gradient of the sum
 * with respect to slice k is client k's own gradient. A padded step of a client
 * that has run out of batches has an all-zero mask, hence a zero gradient, hence
 * (plain SGD) no update.
 */
import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

/** One dense layer's weights: `kernel` [in, out] and `bias` [out]. */
export interface DenseLayerWeights {
  readonly kernel: tf.Tensor2D;
  readonly bias: tf.Tensor1D;
}

/** One client's local examples: features `x` [n, in] and targets `y` [n, out] (one-hot for cross-entropy). */
export interface ClientExamples {
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor2D;
}

/** Options of {@link trainClientsBatched}. */
export interface BatchedTrainingOptions {
  /** SGD learning rate (plain SGD, no momentum: see the module comment for why). */
  readonly learningRate: number;
  /** Examples per local step; a client's last batch may be smaller, as in Keras. */
  readonly batchSize: number;
  /** Local epochs over each client's examples, in the given order (default 1). */
  readonly epochs?: number;
  /** Activation of every layer but the last (default `'relu'`); the last layer is linear. */
  readonly hiddenActivation?: 'relu' | 'linear';
  /**
   * `'softmaxCrossEntropy'` (default: the last layer's outputs are logits and `y` is
   * one-hot) or `'meanSquaredError'` (mean over output units). Each step minimizes
   * the mean loss over the batch's real examples.
   */
  readonly loss?: 'softmaxCrossEntropy' | 'meanSquaredError';
}

/** Every client's weights after local training, stacked along a leading client axis. */
export interface BatchedTrainingResult {
  /** Per layer, the clients' kernels: [K, in, out]. */
  readonly kernels: tf.Tensor3D[];
  /** Per layer, the clients' biases: [K, out]. */
  readonly biases: tf.Tensor2D[];
  /** Examples per client (the FedAvg weights). */
  readonly numExamples: number[];
  /** Local SGD steps each client took: ceil(n / batchSize) * epochs. */
  readonly steps: number[];
}

/**
 * Runs local SGD for K clients of a dense (MLP) model at once, all starting from
 * the same `initial` weights (the server model of the round), and returns each
 * client's trained weights stacked on a leading axis. The result equals training
 * the clients one by one, up to float rounding; the caller owns (and disposes) the
 * returned tensors. Inputs are not disposed.
 *
 * @throws ValueError when the layers do not chain, a client's data do not match
 *   the model, or an option is out of range.
 * @example
 * ```ts
 * const layer = { kernel: tf.randomNormal([784, 10]) as tf.Tensor2D, bias: tf.zeros([10]) as tf.Tensor1D };
 * const { kernels, biases, numExamples } = trainClientsBatched([layer], clients, { learningRate: 0.1, batchSize: 20 });
 * // kernels[0]: [clients.length, 784, 10]; FedAvg = sum_k numExamples[k] * kernels[0][k] / sum_k numExamples[k]
 * ```
 */
export function trainClientsBatched(
  initial: readonly DenseLayerWeights[],
  clients: readonly ClientExamples[],
  options: BatchedTrainingOptions,
): BatchedTrainingResult {
  validate(initial, clients, options);
  const k = clients.length;
  const batchSize = options.batchSize;
  const epochs = options.epochs ?? 1;
  const activation = options.hiddenActivation ?? 'relu';
  const loss = options.loss ?? 'softmaxCrossEntropy';

  const numExamples = clients.map((c) => c.x.shape[0]);
  const stepsPerEpoch = numExamples.map((n) => Math.ceil(n / batchSize));
  const paddedSteps = Math.max(...stepsPerEpoch);
  const rows = paddedSteps * batchSize;

  // Pad every client to `rows` examples; the mask marks the real ones.
  const [xs, ys, mask] = tf.tidy(() => {
    const pad = (t: tf.Tensor2D): tf.Tensor2D => tf.pad(tf.cast(t, 'float32'), [[0, rows - t.shape[0]], [0, 0]]);
    return [
      tf.stack(clients.map((c) => pad(c.x))) as tf.Tensor3D,
      tf.stack(clients.map((c) => pad(c.y))) as tf.Tensor3D,
      tf.stack(numExamples.map((n) => tf.concat([tf.ones([n]), tf.zeros([rows - n])]))) as tf.Tensor2D,
    ];
  });
  // Made inside tidy so that the tiled initial values are freed; tidy keeps variables.
  const kernels = initial.map((l) => tf.tidy(() => tf.variable(tf.tile(tf.expandDims(l.kernel, 0), [k, 1, 1]) as tf.Tensor3D)));
  // Biases are kept as [K, 1, out] so that they broadcast over the batch axis of [K, B, out].
  const biases = initial.map((l) => tf.tidy(() => tf.variable(tf.tile(tf.reshape(l.bias, [1, 1, -1]), [k, 1, 1]) as tf.Tensor3D)));
  const optimizer = tf.train.sgd(options.learningRate);
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let step = 0; step < paddedSteps; step++) {
        tf.tidy(() => {
          const x = tf.slice(xs, [0, step * batchSize, 0], [k, batchSize, -1]);
          const y = tf.slice(ys, [0, step * batchSize, 0], [k, batchSize, -1]);
          const m = tf.slice(mask, [0, step * batchSize], [k, batchSize]);
          optimizer.minimize(() => batchedLoss(x, y, m, kernels, biases, activation, loss), false, [...kernels, ...biases]);
        });
      }
    }
    return {
      kernels: kernels.map((v) => tf.clone(v)),
      biases: biases.map((v) => tf.reshape(v, [k, -1]) as tf.Tensor2D),
      numExamples,
      steps: stepsPerEpoch.map((s) => s * epochs),
    };
  } finally {
    optimizer.dispose();
    tf.dispose([xs, ys, mask, ...kernels, ...biases]);
  }
}

/** Sum over clients of each client's mean loss over its real examples in the batch. */
function batchedLoss(
  x: tf.Tensor3D,
  y: tf.Tensor3D,
  mask: tf.Tensor2D,
  kernels: readonly tf.Variable<tf.Rank.R3>[],
  biases: readonly tf.Variable<tf.Rank.R3>[],
  activation: 'relu' | 'linear',
  loss: 'softmaxCrossEntropy' | 'meanSquaredError',
): tf.Scalar {
  let h: tf.Tensor3D = x;
  kernels.forEach((kernel, i) => {
    h = tf.add(tf.matMul(h, kernel), biases[i]!);
    if (i < kernels.length - 1 && activation === 'relu') h = tf.relu(h);
  });
  const perExample =
    loss === 'meanSquaredError' ? tf.mean(tf.squaredDifference(h, y), -1) : tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(h)), -1));
  // A client with no real example in this step contributes 0 (and a zero gradient), not 0/0.
  const count = tf.maximum(tf.sum(mask, 1), 1);
  return tf.sum(tf.div(tf.sum(tf.mul(perExample, mask), 1), count));
}

function validate(
  initial: readonly DenseLayerWeights[],
  clients: readonly ClientExamples[],
  options: BatchedTrainingOptions,
): void {
  if (initial.length === 0) throw new ValueError('trainClientsBatched needs at least one dense layer in `initial`, got none.');
  if (clients.length === 0) throw new ValueError('trainClientsBatched needs at least one client, got none.');
  initial.forEach((l, i) => {
    if (l.kernel.rank !== 2 || l.bias.rank !== 1 || l.bias.shape[0] !== l.kernel.shape[1]) {
      throw new ValueError(
        `Layer ${i}: expected kernel [in, out] and bias [out], found kernel [${l.kernel.shape}] and bias [${l.bias.shape}]. ` +
          'Pass each dense layer as { kernel, bias } with matching output sizes.',
      );
    }
    const prev = initial[i - 1];
    if (prev !== undefined && prev.kernel.shape[1] !== l.kernel.shape[0]) {
      throw new ValueError(
        `Layer ${i}: expected a kernel with ${prev.kernel.shape[1]} inputs (layer ${i - 1} has ${prev.kernel.shape[1]} outputs), ` +
          `found [${l.kernel.shape}]. List the layers in order, input layer first.`,
      );
    }
  });
  const inputs = initial[0]!.kernel.shape[0];
  const outputs = initial[initial.length - 1]!.kernel.shape[1];
  clients.forEach((c, i) => {
    if (c.x.rank !== 2 || c.y.rank !== 2 || c.x.shape[1] !== inputs || c.y.shape[1] !== outputs || c.x.shape[0] !== c.y.shape[0]) {
      throw new ValueError(
        `Client ${i}: expected x [n, ${inputs}] and y [n, ${outputs}] with the same n, found x [${c.x.shape}] and y [${c.y.shape}]. ` +
          'Flatten features to one row per example and one-hot encode labels.',
      );
    }
  });
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
    throw new ValueError(`batchSize must be a positive integer, found ${options.batchSize}.`);
  }
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0) throw new ValueError(`epochs must be a non-negative integer, found ${epochs}.`);
  if (!Number.isFinite(options.learningRate)) throw new ValueError(`learningRate must be a finite number, found ${options.learningRate}.`);
}
