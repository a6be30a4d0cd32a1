/**
 * The FedAvg paper's MNIST models (McMahan et al., "Communication-Efficient
 * Learning of Deep Networks from Decentralized Data", AISTATS 2017, section 3):
 * the 2NN (784-200-200-10, 199,210 parameters) and the CNN (conv5x5x32, pool,
 * conv5x5x64, pool, dense 512, softmax 10; 1,663,370 parameters), as the
 * simulator's built-in tasks define them.
 */
import * as tf from '@tensorflow/tfjs';
import { TensorSpec, type Model } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';

/** Which of the paper's models. */
export type ModelName = '2nn' | 'cnn';

/** Feature shape of one example. */
export function xShapeOf(name: ModelName): number[] {
  return name === '2nn' ? [784] : [28, 28, 1];
}

/**
 * A new, uncompiled Keras model; seeded initializers give equal weights on every backend (tfjs draws the
 * initial values in JS).
 * @example
 * ```ts
 * const keras = buildKerasModel('cnn', 1); keras.countParams(); // 1663370
 * ```
 */
export function buildKerasModel(name: ModelName, seed: number): tf.LayersModel {
  const init = (i: number): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed: seed * 1000 + i });
  if (name === '2nn') {
    return tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu', kernelInitializer: init(1) }),
        tf.layers.dense({ units: 200, activation: 'relu', kernelInitializer: init(2) }),
        tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(3) }),
      ],
    });
  }
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(4) }),
    ],
  });
}

/**
 * The same model wrapped for fedkit (`fromKerasModel`, sparse categorical cross-entropy, int32 labels).
 * @example
 * ```ts
 * const process = buildWeightedFedAvg({ modelFn: () => buildFedkitModel('2nn', 1), clientOptimizerFn: () => tf.train.sgd(0.05) });
 * ```
 */
export function buildFedkitModel(name: ModelName, seed: number): Model {
  return fromKerasModel(buildKerasModel(name, seed), {
    loss: 'sparse_categorical_crossentropy',
    inputSpec: { x: new TensorSpec([null, ...xShapeOf(name)]), y: new TensorSpec([null], 'int32') },
  });
}
