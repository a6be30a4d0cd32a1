import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer, sumThenFinalize, TensorSpec, ValueError, type Model } from '@fedkit/core';
import { registerLosses } from '@fedkit/losses';
import { MeanAbsoluteError } from '@fedkit/metrics';
import { describe, expect, it } from 'vitest';

import { fromKerasModel } from './from-keras-model.js';
import { accuracyMetricFor, resolveMetricList } from './metric-list.js';

/** A model whose output is its input: predictions are exactly the features fed in. */
function identityModel(width: number, activation?: 'softmax'): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [width], units: width, kernelInitializer: 'identity', biasInitializer: 'zeros', ...(activation ? { activation } : {}) }),
    ],
  });
}

function evaluate(model: Model, x: number[][], y: number[][], yDtype: 'float32' | 'int32' = 'float32'): Record<string, unknown> {
  const batch = { x: tf.tensor2d(x), y: tf.tensor2d(y, undefined, yDtype) };
  tf.dispose(model.forwardPass(batch, false).loss);
  tf.dispose(batch);
  return sumThenFinalize(model.metricFinalizers(), [model.reportLocalUnfinalizedMetrics()]);
}

// Keras 3, keras/src/trainers/compile_utils_test.py, TestCompileMetrics.test_name_conversions.
const kerasTrue = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]];
const kerasPred = [[0.4, 0.1], [0.2, 0.6], [0.6, 0.1]];

describe('fromKerasModel metric and loss names (as model.compile takes them)', () => {
  it("follows Keras's test_name_conversions: 'acc' and 'accuracy' give 1/3, 'mse' is reported under its own name", () => {
    const model = fromKerasModel(identityModel(2), {
      loss: 'mse',
      inputSpec: { x: new TensorSpec([null, 2]), y: new TensorSpec([null, 2]) },
      metrics: ['acc', 'accuracy', 'mse'],
    });
    const result = evaluate(model, kerasPred, kerasTrue);
    expect(result['acc']).toBeCloseTo(0.333333, 5);
    expect(result['accuracy']).toBeCloseTo(0.333333, 5);
    // Squared errors 0.09, 0.01, 0.01, 0.04, 0.01, 0.25: mean 0.41 / 6 (Keras's TestCompileLoss.test_single_output_case: 0.068333).
    expect(result['mse']).toBeCloseTo(0.068333, 5);
  });

  it("resolves 'accuracy' to sparse categorical accuracy for [n, 1] labels and [n, 3] outputs", () => {
    const model = fromKerasModel(identityModel(3), {
      loss: 'sparse_categorical_crossentropy',
      inputSpec: { x: new TensorSpec([null, 3]), y: new TensorSpec([null, 1], 'int32') },
      metrics: ['accuracy'],
    });
    // argmax of the predictions: 0, 1, 0; labels 1, 1, 2 -> 1 of 3. Categorical accuracy would take the argmax
    // of the one-column labels (always 0) and give 2 of 3.
    const result = evaluate(model, [[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.7, 0.2, 0.1]], [[1], [1], [2]], 'int32');
    expect(result['accuracy']).toBeCloseTo(1 / 3, 6);
  });

  it("resolves 'accuracy' to binary accuracy (threshold 0.5) for one-unit outputs", () => {
    const model = fromKerasModel(identityModel(1), {
      loss: 'binary_crossentropy',
      inputSpec: { x: new TensorSpec([null, 1]), y: new TensorSpec([null, 1]) },
      metrics: ['accuracy'],
    });
    // Predictions 0.2, 0.7, 0.6, 0.4 threshold to 0, 1, 1, 0; labels 1, 1, 1, 0 -> 3 of 4.
    // Categorical accuracy on one column would give 4/4, sparse (argmax 0 against the labels) 1/4.
    const result = evaluate(model, [[0.2], [0.7], [0.6], [0.4]], [[1], [1], [1], [0]]);
    expect(result['accuracy']).toBeCloseTo(0.75, 6);
  });

  it('accepts tfjs-layers camelCase loss names: categoricalCrossentropy equals categorical_crossentropy', () => {
    const spec = { x: new TensorSpec([null, 3]), y: new TensorSpec([null, 3]) };
    const camel = fromKerasModel(identityModel(3, 'softmax'), { loss: 'categoricalCrossentropy', inputSpec: spec });
    const batch = { x: tf.zeros([2, 3]), y: tf.tensor2d([[1, 0, 0], [0, 0, 1]]) };
    // Zero logits give p = 1/3 for every class: loss ln 3.
    const loss = camel.forwardPass(batch, false).loss;
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(3), 5);
    tf.dispose([loss, batch.x, batch.y]);
  });

  it.each([
    ['sparseCategoricalCrossentropy', [[0], [2]], Math.log(3)],
    ['meanSquaredError', [[1, 1, 1], [0, 0, 0]], 0.5],
  ])('accepts the camelCase loss name %s', (name, labels, expected) => {
    const sparse = name.startsWith('sparse');
    const spec = { x: new TensorSpec([null, 3]), y: new TensorSpec([null, sparse ? 1 : 3], sparse ? 'int32' : 'float32') };
    const model = fromKerasModel(identityModel(3, sparse ? 'softmax' : undefined), { loss: name, inputSpec: spec });
    const batch = { x: tf.zeros([2, 3]), y: tf.tensor2d(labels, undefined, sparse ? 'int32' : 'float32') };
    // mse: the predictions are 0; squared errors 1 for the first example's three values, 0 for the second: 3/6.
    const loss = model.forwardPass(batch, false).loss;
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose([loss, batch.x, batch.y]);
  });

  it('accepts Keras and tfjs names together with metric factories', () => {
    const model = fromKerasModel(identityModel(2), {
      loss: 'mse',
      inputSpec: { x: new TensorSpec([null, 2]), y: new TensorSpec([null, 2]) },
      metrics: ['mean_absolute_error', 'MSE', () => new MeanAbsoluteError({ name: 'mae_instance' })],
    });
    const result = evaluate(model, kerasPred, kerasTrue);
    // Absolute errors 0.3, 0.1, 0.1, 0.2, 0.1, 0.5: mean 1.3 / 6.
    expect(result['mean_absolute_error']).toBeCloseTo(1.3 / 6, 5);
    expect(result['mae_instance']).toBeCloseTo(1.3 / 6, 5);
    expect(result['MSE']).toBeCloseTo(0.41 / 6, 5);
  });

  it('throws a ValueError listing the registered names for an unknown metric name', () => {
    const spec = { x: new TensorSpec([null, 2]), y: new TensorSpec([null, 2]) };
    expect(() => fromKerasModel(identityModel(2), { loss: 'mse', inputSpec: spec, metrics: ['acuracy'] })).toThrow(ValueError);
    expect(() => fromKerasModel(identityModel(2), { loss: 'mse', inputSpec: spec, metrics: ['acuracy'] })).toThrow(
      /Unknown metric "acuracy".*sparse_categorical_accuracy/,
    );
  });

  it('throws a ValueError listing the registered names for an unknown loss name', () => {
    const spec = { x: new TensorSpec([null, 2]), y: new TensorSpec([null, 2]) };
    expect(() => fromKerasModel(identityModel(2), { loss: 'categoricalCrossEntropy', inputSpec: spec })).toThrow(
      /Unknown loss "categoricalCrossEntropy".*categoricalCrossentropy/,
    );
  });

  it('resolves names in the container given, which must hold the metrics', () => {
    const spec = { x: new TensorSpec([null, 2]), y: new TensorSpec([null, 2]) };
    const lossesOnly = registerLosses(createFedkitContainer());
    expect(() => fromKerasModel(identityModel(2), { loss: 'mse', inputSpec: spec, metrics: ['mse'], container: lossesOnly })).toThrow(
      /Unknown metric "mse"/,
    );
  });
});

describe('accuracyMetricFor (Keras 3 compile_utils.is_binary_or_sparse_categorical)', () => {
  it.each([
    [[null, 1], [null, 1], 'binary_accuracy'],
    [[null, 1], [null, 10], 'sparse_categorical_accuracy'],
    [[null], [null, 10], 'sparse_categorical_accuracy'],
    [[null, 10], [null, 10], 'categorical_accuracy'],
    [[null, 2], [null, 2], 'categorical_accuracy'],
  ] as const)('labels %j and predictions %j give %s', (yTrue, yPred, expected) => {
    expect(accuracyMetricFor(yTrue, yPred)).toBe(expected);
  });

  it('throws a TypeError for a name when no container is given', () => {
    expect(() => resolveMetricList(['mse'])).toThrow(/no container was given/);
  });
});
