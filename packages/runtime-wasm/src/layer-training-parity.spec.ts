import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { relativeError } from './testing/fixtures.js';
import { initialWeights, trainSteps, type FeedOptions } from './testing/train-steps.js';

const L = tf.layers;

/**
 * `inputShape` → `layers` → (Flatten when rank > 2) → Dense(10, softmax). Conv
 * layers in front of parameter-free layers give those layers a gradient path
 * to check; they have no bias when BatchNormalization follows, since a bias
 * before it has a zero gradient and would only carry rounding noise.
 */
function around(inputShape: number[], layers: () => tf.layers.Layer[]): () => tf.LayersModel {
  return () => {
    const model = tf.sequential({ layers: [L.inputLayer({ inputShape }), ...layers()] });
    if (model.outputs[0]!.shape.length > 2) model.add(L.flatten());
    model.add(L.dense({ units: 10, activation: 'softmax' }));
    return model;
  };
}

const conv1x1 = (): tf.layers.Layer => L.conv2d({ filters: 3, kernelSize: 1 });
const conv1d1 = (): tf.layers.Layer => L.conv1d({ filters: 3, kernelSize: 1 });
const conv3d1 = (): tf.layers.Layer => L.conv3d({ filters: 3, kernelSize: 1 });

/** Two Dense branches merged every way tfjs-layers offers, so each merge layer routes a gradient to both. */
function merges(): tf.LayersModel {
  const input = tf.input({ shape: [6] });
  const a = L.dense({ units: 4 }).apply(input) as tf.SymbolicTensor;
  const b = L.dense({ units: 4, activation: 'tanh' }).apply(input) as tf.SymbolicTensor;
  const merged = [L.concatenate(), L.add(), L.multiply(), L.average(), L.maximum(), L.minimum()].map(
    (layer) => layer.apply([a, b]) as tf.SymbolicTensor,
  );
  const all = L.concatenate().apply(merged) as tf.SymbolicTensor;
  const output = L.dense({ units: 10, activation: 'softmax' }).apply(all) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

type Case = readonly [name: string, build: () => tf.LayersModel, feed?: FeedOptions];

const CASES: readonly Case[] = [
  ['Dense', around([6], () => [L.dense({ units: 5, activation: 'relu' })])],
  ['Conv1D (stride 2)', around([10, 3], () => [L.conv1d({ filters: 4, kernelSize: 3, strides: 2 })])],
  ['Conv2D (same)', around([8, 8, 3], () => [L.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }), L.conv2d({ filters: 4, kernelSize: 3 })])],
  ['Conv3D (valid)', around([5, 5, 5, 2], () => [L.conv3d({ filters: 3, kernelSize: 2 }), L.conv3d({ filters: 3, kernelSize: 2 })])],
  ['Conv3D (stride 2, same)', around([6, 6, 6, 2], () => [conv3d1(), L.conv3d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' })])],
  ['Conv2DTranspose (stride 2)', around([5, 5, 3], () => [conv1x1(), L.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' })])],
  ['SeparableConv2D (depth multiplier 2)', around([8, 8, 3], () => [conv1x1(), L.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same' })])],
  ['DepthwiseConv2D (same)', around([8, 8, 3], () => [conv1x1(), L.depthwiseConv2d({ kernelSize: 3, padding: 'same' })])],
  ['DepthwiseConv2D (stride 2, valid, multiplier 2)', around([9, 9, 3], () => [conv1x1(), L.depthwiseConv2d({ kernelSize: 3, strides: 2, depthMultiplier: 2 })])],
  ['BatchNormalization', around([4, 4, 3], () => [L.conv2d({ filters: 4, kernelSize: 1, useBias: false }), L.batchNormalization()])],
  ['LayerNormalization', around([6], () => [L.dense({ units: 5 }), L.layerNormalization()])],
  ['Embedding', around([5], () => [L.embedding({ inputDim: 12, outputDim: 4 })]), { vocabulary: 12 }],
  ['SimpleRNN', around([5, 3], () => [L.simpleRNN({ units: 4 })])],
  ['GRU', around([5, 3], () => [L.gru({ units: 4 })])],
  ['LSTM', around([5, 3], () => [L.lstm({ units: 4, returnSequences: true })])],
  ['MaxPooling1D', around([10, 3], () => [conv1d1(), L.maxPooling1d({ poolSize: 2 })])],
  ['AveragePooling1D', around([10, 3], () => [conv1d1(), L.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' })])],
  ['MaxPooling2D', around([8, 8, 3], () => [conv1x1(), L.maxPooling2d({ poolSize: 2 })])],
  ['MaxPooling2D (3x3, stride 2, same)', around([7, 7, 3], () => [conv1x1(), L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' })])],
  ['AveragePooling2D', around([8, 8, 3], () => [conv1x1(), L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' })])],
  ['MaxPooling3D', around([4, 4, 4, 2], () => [conv3d1(), L.maxPooling3d({ poolSize: 2 })])],
  ['AveragePooling3D', around([4, 4, 4, 2], () => [conv3d1(), L.averagePooling3d({ poolSize: 2 })])],
  ['GlobalMaxPooling1D', around([10, 3], () => [conv1d1(), L.globalMaxPooling1d({})])],
  ['GlobalAveragePooling1D', around([10, 3], () => [conv1d1(), L.globalAveragePooling1d({})])],
  ['GlobalMaxPooling2D', around([6, 6, 3], () => [conv1x1(), L.globalMaxPooling2d({})])],
  ['GlobalAveragePooling2D', around([6, 6, 3], () => [conv1x1(), L.globalAveragePooling2d({})])],
  ['UpSampling2D (nearest)', around([4, 4, 3], () => [conv1x1(), L.upSampling2d({ size: [2, 2] })])],
  ['UpSampling2D (bilinear)', around([4, 4, 3], () => [conv1x1(), L.upSampling2d({ size: [2, 2], interpolation: 'bilinear' })])],
  ['ZeroPadding2D', around([4, 4, 3], () => [conv1x1(), L.zeroPadding2d({ padding: [[0, 1], [1, 0]] })])],
  ['Cropping2D', around([6, 6, 3], () => [conv1x1(), L.cropping2D({ cropping: [[1, 0], [0, 1]] })])],
  // A seeded mask is drawn in JavaScript, so both backends drop the same units.
  ['Dropout', around([6], () => [L.dense({ units: 5 }), L.dropout({ rate: 0.5, seed: 7 })])],
  ['ReLU6 (ReLU maxValue 6)', around([6], () => [L.dense({ units: 5 }), L.reLU({ maxValue: 6 })])],
  ['LeakyReLU', around([6], () => [L.dense({ units: 5 }), L.leakyReLU({ alpha: 0.2 })])],
  ['PReLU', around([6], () => [L.dense({ units: 5 }), L.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.25 }) })])],
  ['ELU', around([6], () => [L.dense({ units: 5 }), L.elu()])],
  ['Softmax', around([6], () => [L.dense({ units: 5 }), L.softmax()])],
  ...(['tanh', 'sigmoid', 'hardSigmoid', 'softplus', 'softsign', 'selu', 'elu', 'relu6', 'swish', 'mish', 'gelu', 'gelu_new'] as const).map(
    (activation): Case => [`Activation('${activation}')`, around([6], () => [L.dense({ units: 5 }), L.activation({ activation })])],
  ),
  ['Reshape, Permute, Flatten', around([6], () => [L.dense({ units: 6 }), L.reshape({ targetShape: [3, 2] }), L.permute({ dims: [2, 1] }), L.flatten()])],
  ['Concatenate, Add, Multiply, Average, Maximum, Minimum', merges],
];

describe('every tfjs-layers layer type trains to the same weights on wasm as on cpu (3 SGD steps)', () => {
  it.each(CASES)('%s', async (_, build, feed) => {
    const initial = await initialWeights(build);
    const cpu = await trainSteps('cpu', build, initial, feed);

    const wasm = await trainSteps('wasm', build, initial, feed);

    expect(tf.getBackend()).toBe('wasm');
    expect(wasm.weights).toHaveLength(cpu.weights.length);
    wasm.weights.forEach((w, i) => {
      // Training must have moved every weight array, or the comparison proves nothing.
      expect(relativeError(w, initial[i]!), `weight ${i} moved`).toBeGreaterThan(1e-4);
      expect(relativeError(w, cpu.weights[i]!), `weight ${i} wasm vs cpu`).toBeLessThan(1e-4);
    });
    expect(wasm.tensorsAfterLastStep).toBe(wasm.tensorsAfterFirstStep);
    expect(cpu.tensorsAfterLastStep).toBe(cpu.tensorsAfterFirstStep);
  });
});
