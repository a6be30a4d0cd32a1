import * as tf from '@tensorflow/tfjs';
import { DENSE_SGD_STEP_KERNEL, LabelRangeError, TensorSpec, type Batch, type ClientDataset, type Metric, type Model } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { FusedSgdOptimizer, localTraining } from '@fedkit/learning';
import { SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy } from '@fedkit/metrics';
import { beforeAll, describe, expect, it } from 'vitest';

import { liveCounts, seededValues } from './testing/fixtures.js';
import { activateWasm } from './wasm-runtime.js';

const bits = (values: Float32Array): number[] => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));

/**
 * One kernel step of the 2-2-2 network x · W0 + b0 → relu → · W1 + b1 → softmax, with
 * W0 = [[0.5, −1], [0.25, 0.5]], b0 = [0, −0.5], W1 = I, b1 = 0, learning rate 0.5.
 */
function tinyStep(x: number[][], labels: number[]): { predictions: number[]; loss: number; next: number[][] } {
  const inputs = {
    x: tf.tensor2d(x),
    y: tf.tensor1d(labels, 'int32'),
    w0: tf.tensor2d([[0.5, -1], [0.25, 0.5]]),
    w1: tf.tensor1d([0, -0.5]),
    w2: tf.tensor2d([[1, 0], [0, 1]]),
    w3: tf.tensor1d([0, 0]),
  };
  const attrs = { activations: ['relu', 'linear'], useBias: [true, true], learningRate: 0.5 };
  const out = tf.engine().runKernel(DENSE_SGD_STEP_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  const [predictions, loss, ...next] = out.map((t) => Array.from(t.dataSync()));
  tf.dispose([...Object.values(inputs), ...out]);
  return { predictions: predictions!, loss: loss![0]!, next };
}

/** Features in [0, 1) and labels cycling through the classes, made fresh on each pass (training disposes batches). */
function dataset(shape: number[], classes: number, batchSizes: number[]): ClientDataset {
  return {
    *[Symbol.iterator](): Iterator<Batch> {
      for (const [b, size] of batchSizes.entries()) {
        const x = seededValues(size * shape.reduce((a, d) => a * d, 1), 50 + b).map((v) => v + 0.5);
        yield { x: tf.tensor(x, [size, ...shape]), y: tf.tensor1d(Array.from({ length: size }, (_, i) => (3 * i + b) % classes), 'int32') };
      }
    },
  } as ClientDataset;
}

/** A Keras model with seeded weights (biases too), wrapped as fedkit does, with accuracy (or the metrics given). */
function wrap(keras: tf.Sequential, inputShape: number[], metrics: Array<() => Metric> = [() => new SparseCategoricalAccuracy()]): Model {
  keras.setWeights(keras.getWeights().map((w, i) => tf.tensor(seededValues(w.size, 10 + i), w.shape).mul(0.2)));
  return fromKerasModel(keras, {
    loss: 'sparse_categorical_crossentropy',
    inputSpec: { x: new TensorSpec([null, ...inputShape]), y: new TensorSpec([null], 'int32') },
    metrics,
  });
}

const twoNn = (): Model =>
  wrap(
    tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }),
        tf.layers.dense({ units: 200, activation: 'relu' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    }),
    [784],
  );

/** Flatten first, a linear hidden layer, a relu layer without bias: every branch of the kernel. */
const mixedStack = (metrics?: Array<() => Metric>): Model =>
  wrap(
    tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [4, 4] }),
        tf.layers.dense({ units: 12, activation: 'linear' }),
        tf.layers.dense({ units: 9, activation: 'relu', useBias: false }),
        tf.layers.dense({ units: 5, activation: 'softmax' }),
      ],
    }),
    [4, 4],
    metrics,
  );

/** Widths of 6 and 11 (rows % 4 = 2 and 3 in the weight-update products), 10 classes (columns % 8 = 2). */
const oddWidths = (): Model =>
  wrap(
    tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [2, 3] }),
        tf.layers.dense({ units: 11, activation: 'relu' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    }),
    [2, 3],
  );

async function train(model: Model, optimizer: tf.Optimizer, data: ClientDataset): Promise<{ weights: number[][]; metrics: unknown }> {
  const weights = { trainable: model.trainableVariables.map((v) => v.dataSync().slice()), nonTrainable: [] };
  await localTraining.run({ model, weights, dataset: data, optimizer, label: 'client 0', config: {}, inputs: {} });
  optimizer.dispose();
  return { weights: model.trainableVariables.map((v) => bits(v.dataSync() as Float32Array)), metrics: model.reportLocalUnfinalizedMetrics() };
}

function dispose(model: Model): void {
  for (const v of [...model.trainableVariables, ...model.localVariables]) v.dispose();
}

type Trained = Awaited<ReturnType<typeof train>>;

/** Two copies of a model trained on the same data at rate `lr`: fedkit's SGD (the fused step) and tfjs's SGD (the tape). */
async function fusedAndTape(make: () => Model, data: ClientDataset, lr: number): Promise<{ fused: Trained; tape: Trained }> {
  const [fusedModel, tapeModel] = [make(), make()];
  const fused = await train(fusedModel, new FusedSgdOptimizer(lr), data);
  const tape = await train(tapeModel, tf.train.sgd(lr), data);
  [fusedModel, tapeModel].forEach(dispose);
  return { fused, tape };
}

describe('the fused Dense-stack SGD step on wasm', () => {
  beforeAll(async () => {
    await activateWasm();
  });

  it('takes the step worked out by hand for a 2-2-2 relu network (one example)', () => {
    // z0 = [1·0.5 + 2·0.25, 1·(−1) + 2·0.5 − 0.5] = [1, −0.5], h = [1, 0], logits [1, 0]; q = p1 = 1 / (1 + e).
    // dlogits = p − onehot(0) = [−q, q]; dW1 = hᵀ·dlogits = [[−q, q], [0, 0]]; dh = dlogits·W1ᵀ = [−q, q], through
    // relu [−q, 0]; dW0 = xᵀ·[−q, 0] = [[−q, 0], [−2q, 0]]. Each weight moves by −0.5 times its gradient.
    const q = 1 / (1 + Math.E);

    const { predictions, loss, next } = tinyStep([[1, 2]], [0]);

    const want = [
      [0.5 + 0.5 * q, -1, 0.25 + q, 0.5],
      [0.5 * q, -0.5],
      [1 + 0.5 * q, -0.5 * q, 0, 1],
      [0.5 * q, -0.5 * q],
    ];
    predictions.forEach((p, i) => expect(p).toBeCloseTo([1 - q, q][i]!, 6));
    expect(loss).toBeCloseTo(Math.log(1 + Math.exp(-1)), 6);
    next.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 6)));
  });

  it('averages over the batch: the same example labelled 0 and 1', () => {
    // Both rows have p = [1 − q, q]; the row gradients (p − onehot) / 2 sum to [0.5 − q, q − 0.5], which reaches
    // W1's first row (h = [1, 0]) and, through W1 = I and relu, W0's first column (x = [1, 2]).
    const q = 1 / (1 + Math.E);

    const { loss, next } = tinyStep([[1, 2], [1, 2]], [0, 1]);

    expect(loss).toBeCloseTo((Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.E)) / 2, 6);
    [1 - 0.5 * (0.5 - q), -0.5 * (q - 0.5), 0, 1].forEach((v, j) => expect(next[2]![j]).toBeCloseTo(v, 6));
    [0.5 - 0.5 * (0.5 - q), -1, 0.25 - (0.5 - q), 0.5].forEach((v, j) => expect(next[0]![j]).toBeCloseTo(v, 6));
  });

  it("trains the 2NN to the gradient tape's weights and metrics, to the bit (12 steps of B=10)", async () => {
    const { fused, tape } = await fusedAndTape(twoNn, dataset([784], 10, Array.from({ length: 12 }, () => 10)), 0.1);

    expect(fused.weights).toEqual(tape.weights);
    expect(fused.metrics).toEqual(tape.metrics);
  });

  it('matches the tape to the bit with Flatten, a linear layer, a layer without bias and a last batch of 3', async () => {
    const { fused, tape } = await fusedAndTape(mixedStack, dataset([4, 4], 5, [7, 7, 7, 3]), 0.3);

    expect(fused.weights).toEqual(tape.weights);
    expect(fused.metrics).toEqual(tape.metrics);
  });

  it('matches the tape to the bit where rows are left after the 4-row tiles: widths 6 and 11, batches of 10, 3 and 2', async () => {
    const { fused, tape } = await fusedAndTape(oddWidths, dataset([2, 3], 10, [10, 10, 3, 2]), 0.2);

    expect(fused.weights).toEqual(tape.weights);
    expect(fused.metrics).toEqual(tape.metrics);
  });

  it('runs as one kernel per step: no matmul or gradient kernels of the tape', async () => {
    const model = mixedStack();
    const optimizer = new FusedSgdOptimizer(0.1);
    const weights = { trainable: model.trainableVariables.map((v) => v.dataSync().slice()), nonTrainable: [] };

    const { kernels } = await tf.profile(() =>
      localTraining.run({ model, weights, dataset: dataset([4, 4], 5, [4, 4, 4]), optimizer, label: 'client 0', config: {}, inputs: {} }),
    );

    const names = kernels.map((k) => k.name);
    expect(names.filter((n) => n === DENSE_SGD_STEP_KERNEL)).toHaveLength(3);
    expect(names.filter((n) => /MatMul|Relu|Softmax/.test(n))).toEqual([]);
    optimizer.dispose();
    dispose(model);
  });

  it("sums the metrics on the host where they can be (no metric kernel), and a metric that cannot be keeps its kernels, to the tape's bits", async () => {
    // Top-k accuracy has no host form: it runs updateState beside the host sums of accuracy, loss and counters.
    const metrics = [(): Metric => new SparseCategoricalAccuracy(), (): Metric => new SparseTopKCategoricalAccuracy({ k: 2 })];
    const accuracyOnly = mixedStack();
    const optimizer = new FusedSgdOptimizer(0.3);
    const weights = { trainable: accuracyOnly.trainableVariables.map((v) => v.dataSync().slice()), nonTrainable: [] };

    const { kernels } = await tf.profile(() =>
      localTraining.run({ model: accuracyOnly, weights, dataset: dataset([4, 4], 5, [4, 4, 3]), optimizer, label: 'client 0', config: {}, inputs: {} }),
    );
    const { fused, tape } = await fusedAndTape(() => mixedStack(metrics), dataset([4, 4], 5, [7, 7, 7, 3]), 0.3);

    expect(kernels.map((k) => k.name).filter((n) => /ArgMax|Equal|Sum|Add|Cast/.test(n))).toEqual([]);
    expect(fused.metrics).toEqual(tape.metrics);
    expect(Object.keys(fused.metrics as object)).toContain('sparse_top_k_categorical_accuracy');
    optimizer.dispose();
    dispose(accuracyOnly);
  });

  it('leaves no tensor or heap buffer behind', async () => {
    const model = mixedStack();
    await train(model, new FusedSgdOptimizer(0.1), dataset([4, 4], 5, [4]));
    const before = liveCounts();

    await train(model, new FusedSgdOptimizer(0.1), dataset([4, 4], 5, [4, 4, 3]));

    expect(liveCounts()).toEqual(before);
    dispose(model);
  });

  it('rejects a label outside the classes as the loss does, before changing any weight', async () => {
    const model = mixedStack();
    const before = model.trainableVariables.map((v) => bits(v.dataSync() as Float32Array));
    const batch = { x: tf.zeros([2, 4, 4]), y: tf.tensor1d([1, 5], 'int32') };

    const optimizer = new FusedSgdOptimizer(0.1);

    expect(() => optimizer.modelStep(model, batch)).toThrow(LabelRangeError);
    expect(model.trainableVariables.map((v) => bits(v.dataSync() as Float32Array))).toEqual(before);
    tf.dispose([batch.x, batch.y]);
    optimizer.dispose();
    dispose(model);
  });

  it('names what it expected when the weights do not fit the layers', () => {
    const inputs = { x: tf.zeros([1, 3]), y: tf.tensor1d([0], 'int32'), w0: tf.zeros([2, 2]) };

    const run = (): unknown => tf.engine().runKernel(DENSE_SGD_STEP_KERNEL, inputs, { activations: ['linear'], useBias: [false], learningRate: 0.1 } as unknown as tf.NamedAttrMap);

    expect(run).toThrow(/layer 0's kernel float32 \[2,2\] after 3 units/);
    tf.dispose(Object.values(inputs));
  });
});
