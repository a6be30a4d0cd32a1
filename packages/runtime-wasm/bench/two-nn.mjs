// The FedAvg paper's 2NN (784-200-200-10, relu, softmax) as a fedkit model with sparse categorical crossentropy,
// shared by the bench scripts that time its training step.
import * as tf from '@tensorflow/tfjs';
import { TensorSpec } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';

/** A fresh 2NN (its own variables); `metrics` as `fromKerasModel` takes them. */
export const twoNN = (metrics = []) =>
  fromKerasModel(
    tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }),
        tf.layers.dense({ units: 200, activation: 'relu' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    }),
    { loss: 'sparse_categorical_crossentropy', inputSpec: { x: new TensorSpec([null, 784]), y: new TensorSpec([null], 'int32') }, metrics },
  );
