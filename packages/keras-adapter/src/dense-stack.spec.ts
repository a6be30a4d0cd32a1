import * as tf from '@tensorflow/tfjs';
import { DENSE_SGD_STEP_KERNEL, TensorSpec } from '@fedkit/core';
import { CategoricalCrossentropy, SparseCategoricalCrossentropy } from '@fedkit/losses';
import { describe, expect, it } from 'vitest';

import { denseStackOf } from './dense-stack.js';
import { fromKerasModel } from './from-keras-model.js';

const logits = new SparseCategoricalCrossentropy({ fromLogits: true });

/** The stack of a model with these layers after a [null, 6] input (or the given input shape). */
function stackOf(layers: tf.layers.Layer[], loss = logits, weight = 1): ReturnType<typeof denseStackOf> {
  const model = tf.sequential({ layers });
  const stack = denseStackOf(model, loss, weight, model.trainableWeights.map((w) => w.read() as tf.Variable));
  model.dispose();
  return stack;
}

const dense = (units: number, activation: 'relu' | 'linear' | 'softmax' | 'sigmoid', extra: Partial<tf.layers.DenseLayerArgs> = {}): tf.layers.Layer =>
  tf.layers.dense({ units, activation, ...extra });

describe('denseStackOf (which models the fused SGD step trains)', () => {
  it('describes a relu stack with a softmax output: activations, biases and classes', () => {
    const stack = stackOf([dense(4, 'relu', { inputShape: [6] }), dense(3, 'linear', { useBias: false }), dense(2, 'softmax')]);

    expect(stack?.attrs).toEqual({ activations: ['relu', 'linear', 'linear'], useBias: [true, false, true] });
    expect(stack?.weights.map((w) => w.shape)).toEqual([[6, 4], [4], [4, 3], [3, 2], [2]]);
    expect(stack?.classes).toBe(2);
  });

  it('accepts a Flatten before the first Dense layer', () => {
    const stack = stackOf([tf.layers.flatten({ inputShape: [2, 3] }), dense(2, 'softmax')]);

    expect(stack?.attrs.activations).toEqual(['linear']);
  });

  it.each([
    ['a Dropout layer', () => [dense(4, 'relu', { inputShape: [6] }), tf.layers.dropout({ rate: 0.5 }), dense(2, 'softmax')]],
    ['a sigmoid hidden layer', () => [dense(4, 'sigmoid', { inputShape: [6] }), dense(2, 'softmax')]],
    ['no softmax on the last layer', () => [dense(4, 'relu', { inputShape: [6] }), dense(2, 'linear')]],
    ['a kernel regularizer', () => [dense(4, 'relu', { inputShape: [6], kernelRegularizer: tf.regularizers.l2() }), dense(2, 'softmax')]],
    ['a frozen layer', () => [dense(4, 'relu', { inputShape: [6], trainable: false }), dense(2, 'softmax')]],
    ['a Dense layer on rank-3 inputs', () => [dense(4, 'relu', { inputShape: [2, 3] }), tf.layers.flatten(), dense(2, 'softmax')]],
    ['a convolution', () => [tf.layers.conv1d({ inputShape: [6, 1], filters: 2, kernelSize: 3 }), tf.layers.flatten(), dense(2, 'softmax')]],
  ])('declines a model with %s', (_, layers) => {
    expect(stackOf(layers())).toBeUndefined();
  });

  it('declines other losses, a sparse crossentropy with an ignored class or another reduction, a loss weight other than 1, and no logits form', () => {
    const layers = (): tf.layers.Layer[] => [dense(2, 'softmax', { inputShape: [6] })];

    expect(stackOf(layers(), new CategoricalCrossentropy({ fromLogits: true }) as never)).toBeUndefined();
    expect(stackOf(layers(), new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 }))).toBeUndefined();
    expect(stackOf(layers(), new SparseCategoricalCrossentropy({ fromLogits: true, reduction: 'sum' }))).toBeUndefined();
    expect(stackOf(layers(), logits, 0.5)).toBeUndefined();
    const model = tf.sequential({ layers: layers() });
    expect(denseStackOf(model, undefined, 1, model.trainableWeights.map((w) => w.read() as tf.Variable))).toBeUndefined();
    model.dispose();
  });

  it("leaves the step to the tape where the backend has no fused kernel (cpu): sgdStep does nothing", () => {
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.getKernel(DENSE_SGD_STEP_KERNEL, 'cpu')).toBeUndefined();
    const model = fromKerasModel(tf.sequential({ layers: [dense(2, 'softmax', { inputShape: [3] })] }), {
      loss: 'sparse_categorical_crossentropy',
      inputSpec: { x: new TensorSpec([null, 3]), y: new TensorSpec([null], 'int32') },
    });
    const before = model.trainableVariables.map((v) => Array.from(v.dataSync()));
    const batch = { x: tf.ones([2, 3]), y: tf.tensor1d([0, 1], 'int32') };

    const out = model.sgdStep!(batch, 0.1);

    expect(out).toBeUndefined();
    expect(model.trainableVariables.map((v) => Array.from(v.dataSync()))).toEqual(before);
    tf.dispose([batch.x, batch.y, ...model.trainableVariables]);
  });
});
