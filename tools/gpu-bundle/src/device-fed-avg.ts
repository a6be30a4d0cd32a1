/**
 * FedAvg rounds (McMahan et al., AISTATS 2017) computed with tfjs ops only:
 * the weights and the data stay on the backend's device for the whole round and
 * nothing is read back to the host until the caller awaits the result. fedkit's
 * own process (`buildWeightedFedAvg`) reads every client's update to the host
 * synchronously (`dataSync`), which tfjs-backend-webgpu cannot do in Node (it
 * needs `OffscreenCanvas`); these rounds measure what the device itself does.
 */
import * as tf from '@tensorflow/tfjs';
import { SparseCategoricalCrossentropy } from '@fedkit/losses';
import { trainClientsBatched, type DenseLayerWeights } from '@fedkit/runtime-gpu';

/** One client's examples as tensors on the active backend. */
export interface ClientTensors {
  /** Features [n, ...xShape]. */
  readonly x: tf.Tensor;
  /** Labels [n], int32. */
  readonly y: tf.Tensor1D;
}

/** Options of a round: plain SGD, one local epoch. */
export interface RoundSettings {
  readonly learningRate: number;
  readonly batchSize: number;
}

/**
 * One weighted FedAvg round with clients trained one after another on one reused Keras model (softmax output,
 * sparse categorical cross-entropy, plain SGD, one epoch, the last batch partial as in Keras); the server applies the
 * example-weighted mean of the client models (server SGD at rate 1). Returns the new server weights in
 * `model.trainableWeights` order; the caller disposes them. Leaves `model` holding the last client's weights.
 *
 * @example
 * ```ts
 * const next = sequentialFedAvgRound(keras, server, clients, { learningRate: 0.05, batchSize: 10 });
 * await next[0].data(); // waits for the device
 * ```
 */
export function sequentialFedAvgRound(
  model: tf.LayersModel,
  server: readonly tf.Tensor[],
  clients: readonly ClientTensors[],
  settings: RoundSettings,
): tf.Tensor[] {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = new SparseCategoricalCrossentropy();
  let sums = server.map((w) => tf.zerosLike(w));
  let total = 0;
  for (const client of clients) {
    variables.forEach((v, i) => v.assign(server[i]!));
    const optimizer = tf.train.sgd(settings.learningRate);
    const n = client.x.shape[0]!;
    for (let start = 0; start < n; start += settings.batchSize) {
      const size = Math.min(settings.batchSize, n - start);
      tf.tidy(() => {
        const x = tf.slice(client.x, start, size);
        const y = tf.slice(client.y, start, size);
        optimizer.minimize(() => loss.call(y, model.apply(x, { training: true }) as tf.Tensor), false, variables);
      });
    }
    optimizer.dispose();
    const next = tf.tidy(() => sums.map((s, i) => tf.add(s, tf.mul(variables[i]!, n))));
    tf.dispose(sums);
    sums = next;
    total += n;
  }
  const out = tf.tidy(() => sums.map((s) => tf.div(s, Math.max(total, 1))));
  tf.dispose(sums);
  return out;
}

/**
 * One weighted FedAvg round of a dense model (the 2NN) with all clients trained at once by
 * `trainClientsBatched` (K = clients.length), or one by one through the same function (K = 1 each) when
 * `batched` is false, so that only the batching differs. `server` holds [kernel, bias] per layer; labels are
 * one-hot. Returns the new server weights in the same order; the caller disposes them.
 *
 * @example
 * ```ts
 * const next = denseFedAvgRound(server, clients, { learningRate: 0.05, batchSize: 20 }, true);
 * ```
 */
export function denseFedAvgRound(
  server: readonly tf.Tensor[],
  clients: readonly { readonly x: tf.Tensor2D; readonly y: tf.Tensor2D }[],
  settings: RoundSettings,
  batched: boolean,
): tf.Tensor[] {
  const layers: DenseLayerWeights[] = [];
  for (let i = 0; i < server.length; i += 2) layers.push({ kernel: server[i] as tf.Tensor2D, bias: server[i + 1] as tf.Tensor1D });
  const options = { learningRate: settings.learningRate, batchSize: settings.batchSize, hiddenActivation: 'relu' as const, loss: 'softmaxCrossEntropy' as const };
  const groups = batched ? [clients] : clients.map((c) => [c]);
  let sums = server.map((w) => tf.zerosLike(w));
  let total = 0;
  for (const group of groups) {
    const out = trainClientsBatched(layers, group, options);
    const next = tf.tidy(() => {
      const weights = tf.tensor1d(out.numExamples);
      const weighted = (t: tf.Tensor, rank: number): tf.Tensor => tf.sum(tf.mul(t, tf.reshape(weights, [-1, ...new Array<number>(rank - 1).fill(1)])), 0);
      return sums.map((s, i) => {
        const layer = Math.floor(i / 2);
        return tf.add(s, i % 2 === 0 ? weighted(out.kernels[layer]!, 3) : weighted(out.biases[layer]!, 2));
      });
    });
    tf.dispose([...sums, ...out.kernels, ...out.biases]);
    sums = next;
    total += out.numExamples.reduce((a, b) => a + b, 0);
  }
  const result = tf.tidy(() => sums.map((s) => tf.div(s, Math.max(total, 1))));
  tf.dispose(sums);
  return result;
}
