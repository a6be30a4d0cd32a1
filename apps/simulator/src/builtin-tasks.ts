import { existsSync } from 'node:fs';

import * as tf from '@tensorflow/tfjs';

import { TensorSpec, ValueError } from '@fedkit/core';
import { loadIdx, loadMnist, type LabeledArrays } from '@fedkit/datasets';
import { SparseCategoricalAccuracy } from '@fedkit/metrics';

import type { ArrayData } from './array-data.js';
import type { TaskData, TaskDefinition } from './task.js';

/** Where Debian's `dataset-fashion-mnist` package puts the IDX files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

function toArrayData(a: LabeledArrays, xShape: readonly number[]): ArrayData {
  return { x: a.x, y: a.y, xShape, yShape: [], count: a.numExamples };
}

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

function mnistData(xShape: readonly number[]): (o: { seed: number }) => TaskData {
  return ({ seed }) => {
    const { train, test, numClasses } = loadMnist({ seed });
    return { train: toArrayData(train, xShape), test: toArrayData(test, xShape), numClasses };
  };
}

/** MNIST (the `mnist` package, seeded 85/15 split) with the 2NN. */
export const mnist2nn: TaskDefinition = {
  name: 'mnist-2nn',
  createKerasModel: build2nn,
  loss,
  metrics,
  inputSpec: { x: new TensorSpec([null, 784]), y: new TensorSpec([null], 'int32') },
  loadData: mnistData([784]),
};

/** MNIST with the FedAvg paper's CNN. */
export const mnistCnn: TaskDefinition = {
  name: 'mnist-cnn',
  createKerasModel: buildCnn,
  loss,
  metrics,
  inputSpec: { x: new TensorSpec([null, 28, 28, 1]), y: new TensorSpec([null], 'int32') },
  loadData: mnistData([28, 28, 1]),
};

/** Fashion-MNIST from Debian's IDX files with the FedAvg paper's CNN. */
export const fashionMnistCnn: TaskDefinition = {
  name: 'fashion-mnist-cnn',
  createKerasModel: buildCnn,
  loss,
  metrics,
  inputSpec: { x: new TensorSpec([null, 28, 28, 1]), y: new TensorSpec([null], 'int32') },
  loadData: () => {
    if (!existsSync(FASHION_MNIST_DIR)) {
      throw new ValueError(
        `fashion-mnist-cnn reads the Fashion-MNIST IDX files from ${FASHION_MNIST_DIR}, which does not exist. ` +
          'Install them with `apt-get install dataset-fashion-mnist` (Debian), or use --task mnist-cnn.',
      );
    }
    const { train, test, numClasses } = loadIdx(FASHION_MNIST_DIR);
    return { train: toArrayData(train, [28, 28, 1]), test: toArrayData(test, [28, 28, 1]), numClasses };
  },
};

/** The tasks `--task` knows by name. */
export const BUILTIN_TASKS: Readonly<Record<string, TaskDefinition>> = {
  'mnist-2nn': mnist2nn,
  'mnist-cnn': mnistCnn,
  'fashion-mnist-cnn': fashionMnistCnn,
};
