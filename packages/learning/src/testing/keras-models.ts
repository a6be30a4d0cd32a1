import * as tf from '@tensorflow/tfjs';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { TensorSpec, type Model } from '@fedkit/core';
import { MeanSquaredError } from '@fedkit/losses';
import { Accuracy } from '@fedkit/metrics';

/** Keras Dense(1) over `features` inputs, kernel and bias `init`, wrapped with MSE loss. */
export function kerasDense(features: number, init: 'zeros' | 'ones' = 'zeros', withAccuracy = false): Model {
  const keras = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [features], units: 1, kernelInitializer: init, biasInitializer: 'zeros' })],
  });
  return fromKerasModel(keras, {
    loss: new MeanSquaredError(),
    inputSpec: { x: new TensorSpec([null, features]), y: new TensorSpec([null, 1]) },
    ...(withAccuracy ? { metrics: [() => new Accuracy()] } : {}),
  });
}
