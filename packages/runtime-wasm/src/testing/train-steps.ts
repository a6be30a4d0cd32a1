import * as tf from '@tensorflow/tfjs';

import { seededValues } from './fixtures.js';
import { activateWasm } from '../wasm-runtime.js';

/** What a few SGD steps left behind. */
export interface TrainRun {
  readonly weights: Float32Array[];
  /** Weight names without the model's prefix and uniquifying suffixes, e.g. `block_1_depthwise/depthwise_kernel`. */
  readonly names: string[];
  /** The loss `trainOnBatch` returned at each step. */
  readonly losses: number[];
  /** Live tensors after step 1 and after the last step: equal when training leaks nothing. */
  readonly tensorsAfterFirstStep: number;
  readonly tensorsAfterLastStep: number;
}

/** How to feed a model: float features in [-0.5, 0.5), or integer ids below `vocabulary` (Embedding). */
export interface FeedOptions {
  readonly batch?: number;
  readonly steps?: number;
  readonly vocabulary?: number;
  readonly learningRate?: number;
}

/**
 * Initial weights of `build()`, the same on every run: arrays its initializers
 * fill with one value (BatchNorm's ones and zeros, biases) are kept, random ones
 * are replaced by seeded uniform values with the drawn mean and standard
 * deviation rounded to 2 significant digits (a mean below a tenth of the
 * deviation counts as 0), since tfjs initializers are unseeded. Both backends
 * then start from one point, and every run from the same one.
 */
export async function initialWeights(build: () => tf.LayersModel): Promise<Float32Array[]> {
  await tf.setBackend('cpu');
  // tfjs's unseeded initializers draw their seed from Math.random: a fixed stream here makes the
  // scales below (rounded to 2 digits) the same on every run, so the parity cases are deterministic.
  const random = Math.random;
  const stream = seededValues(1 << 12, 7);
  let next = 0;
  Math.random = () => stream[next++ % stream.length]! + 0.5;
  let model: tf.LayersModel;
  try {
    model = build();
  } finally {
    Math.random = random;
  }
  const weights = model.getWeights().map((w, i) => {
    const drawn = w.dataSync() as Float32Array;
    const mean = drawn.reduce((s, v) => s + v, 0) / drawn.length;
    const std = Math.sqrt(drawn.reduce((s, v) => s + (v - mean) ** 2, 0) / drawn.length);
    if (std === 0) return drawn.slice();
    const center = Math.abs(mean) < 0.1 * std ? 0 : Number(mean.toPrecision(2));
    // seededValues is uniform on [-0.5, 0.5): standard deviation 1/sqrt(12).
    const scale = Number(std.toPrecision(2)) * Math.sqrt(12);
    return seededValues(drawn.length, 1000 + i).map((v) => center + v * scale);
  });
  model.dispose();
  return weights;
}

/**
 * Activates `backend` ('cpu' or fedkit's wasm), builds `build()`, loads `initial`
 * (matched by position: variable names differ between builds) and runs `steps`
 * SGD steps (default 3, lr 0.05, categorical crossentropy) of `trainOnBatch` on
 * fixed, seeded batches; labels are `(3i + step) mod classes`.
 */
export async function trainSteps(
  backend: 'cpu' | 'wasm',
  build: () => tf.LayersModel,
  initial: readonly Float32Array[],
  options: FeedOptions = {},
): Promise<TrainRun> {
  const { batch = 8, steps = 3, vocabulary, learningRate = 0.05 } = options;
  if (backend === 'cpu') await tf.setBackend('cpu');
  else await activateWasm();
  const model = build();
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(initial[i]!, w.shape, w.dtype)));
  model.compile({ optimizer: tf.train.sgd(learningRate), loss: 'categoricalCrossentropy' });
  const inputShape = model.inputs[0]!.shape.slice(1) as number[];
  const classes = model.outputs[0]!.shape[1] as number;
  const size = batch * inputShape.reduce((p, d) => p * d, 1);
  let tensorsAfterFirstStep = 0;
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const values =
      vocabulary === undefined
        ? seededValues(size, 100 + step)
        : Float32Array.from(seededValues(size, 100 + step), (v) => Math.floor((v + 0.5) * vocabulary));
    const x = tf.tensor(values, [batch, ...inputShape]);
    const y = tf.tidy(() =>
      tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => (i * 3 + step) % classes), 'int32'), classes),
    );
    losses.push((await model.trainOnBatch(x, y)) as number);
    tf.dispose([x, y]);
    if (step === 0) tensorsAfterFirstStep = tf.memory().numTensors;
  }
  const tensorsAfterLastStep = tf.memory().numTensors;
  const weights = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  const names = model.weights.map((w) => w.originalName);
  model.dispose();
  return { weights, names, losses, tensorsAfterFirstStep, tensorsAfterLastStep };
}

/**
 * The 2NN (784-200-200-10) from seeded weights (scaled by 0.1), trained `steps`
 * steps (default 5) of batch 10 with `optimizer.minimize` on seeded inputs and
 * rotating labels, on the active backend; returns every weight, flattened.
 * Disposes the optimizer and everything it made.
 */
export function trainTwoNnSteps(optimizer: tf.Optimizer, steps = 5): Float32Array {
  return tf.tidy(() => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu', kernelInitializer: 'zeros' }),
        tf.layers.dense({ units: 200, activation: 'relu', kernelInitializer: 'zeros' }),
        tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'zeros' }),
      ],
    });
    model.setWeights(model.getWeights().map((w, i) => tf.tensor(seededValues(w.size, 20 + i), w.shape).mul(0.1)));
    for (let step = 0; step < steps; step++) {
      const x = tf.tensor(seededValues(10 * 784, 30 + step), [10, 784]).abs();
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((c) => (c + step) % 10), 'int32'), 10);
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor), false);
    }
    optimizer.dispose();
    const weights = tf.concat(model.getWeights().map((w) => w.flatten())).dataSync() as Float32Array;
    model.dispose();
    return weights;
  });
}
