import { existsSync } from 'node:fs';

import * as tf from '@tensorflow/tfjs';

import { TensorSpec, ValueError } from '@fedkit/core';
import { loadIdx, loadMnist } from '@fedkit/datasets';
import { SparseCategoricalAccuracy } from '@fedkit/metrics';

import type { TaskData, TaskDefinition } from './task.js';

/** Where Debian's `dataset-fashion-mnist` package puts the IDX files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

// Seeded initializers so that the same --seed gives the same initial model (and a resumable run).
const glorot = (seed: number, i: number): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed: seed * 1000 + i });

/** The FedAvg paper's 2NN: 784-200-200-10, ReLU (McMahan et al. 2017, section 3). */
function build2nn(seed: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu', kernelInitializer: glorot(seed, 1) }),
      tf.layers.dense({ units: 200, activation: 'relu', kernelInitializer: glorot(seed, 2) }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: glorot(seed, 3) }),
    ],
  });
}

/** The FedAvg paper's CNN: conv5x5x32, pool, conv5x5x64, pool, dense 512, softmax 10. */
function buildCnn(seed: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: glorot(seed, 1) }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: glorot(seed, 2) }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: glorot(seed, 3) }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: glorot(seed, 4) }),
    ],
  });
}

const metrics = [(): SparseCategoricalAccuracy => new SparseCategoricalAccuracy()];
const loss = 'sparse_categorical_crossentropy';

/** MNIST as `loadMnist()` returns it (784 floats per example), split by the split seed only. */
const mnistData = ({ splitSeed }: { splitSeed: number }): TaskData => loadMnist({ seed: splitSeed });

/** The same data seen as 28x28x1 images, for convolutional models. */
function asImages(data: TaskData): TaskData {
  return { ...data, train: { ...data.train, exampleShape: [28, 28, 1] }, test: { ...data.test, exampleShape: [28, 28, 1] } };
}

/** The same data seen as 784-vectors, for dense models. */
function flatten(data: TaskData): TaskData {
  return { ...data, train: { ...data.train, exampleShape: [784] }, test: { ...data.test, exampleShape: [784] } };
}

/** MNIST (the `mnist` package, seeded 85/15 split) with the 2NN. */
export const mnist2nn: TaskDefinition = {
  name: 'mnist-2nn',
  createKerasModel: build2nn,
  loss,
  metrics,
  inputSpec: { x: new TensorSpec([null, 784]), y: new TensorSpec([null], 'int32') },
  loadData: mnistData,
};

/** MNIST with the FedAvg paper's CNN. */
export const mnistCnn: TaskDefinition = {
  name: 'mnist-cnn',
  createKerasModel: buildCnn,
  loss,
  metrics,
  inputSpec: { x: new TensorSpec([null, 28, 28, 1]), y: new TensorSpec([null], 'int32') },
  loadData: (o) => asImages(mnistData(o)),
};

/**
 * Fashion-MNIST (60,000 train / 10,000 test) from Debian's `dataset-fashion-mnist` IDX files, at the FedAvg
 * paper's scale: with the simulator's default 100 IID clients each holds 600 examples, as in McMahan et al. 2017.
 * The official train/test split is kept, so `splitSeed` has nothing to draw.
 * @throws ValueError naming the Debian package when the files are missing.
 */
export function loadFashionMnist(task: string, dir = FASHION_MNIST_DIR): TaskData {
  if (!existsSync(dir)) {
    throw new ValueError(
      `${task} reads the Fashion-MNIST IDX files from ${dir}, which does not exist. ` +
        'Install Debian\'s dataset-fashion-mnist package (`apt-get install dataset-fashion-mnist`), or use --task mnist-2nn / mnist-cnn.',
    );
  }
  return loadIdx(dir);
}

/** Fashion-MNIST with the FedAvg paper's 2NN (784-200-200-10). */
export const fashionMnist2nn: TaskDefinition = {
  name: 'fashion-mnist-2nn',
  createKerasModel: build2nn,
  loss,
  metrics,
  inputSpec: { x: new TensorSpec([null, 784]), y: new TensorSpec([null], 'int32') },
  loadData: () => flatten(loadFashionMnist('fashion-mnist-2nn')),
};

/** Fashion-MNIST with the FedAvg paper's CNN. */
export const fashionMnistCnn: TaskDefinition = {
  name: 'fashion-mnist-cnn',
  createKerasModel: buildCnn,
  loss,
  metrics,
  inputSpec: { x: new TensorSpec([null, 28, 28, 1]), y: new TensorSpec([null], 'int32') },
  loadData: () => asImages(loadFashionMnist('fashion-mnist-cnn')),
};
