import * as tf from '@tensorflow/tfjs';
import { LOSS_PLUGIN, ValueError, createFedkitContainer, pluginNames, resolveLoss } from '@fedkit/core';
import { container as rootContainer } from 'tsyringe';
import { describe, expect, it } from 'vitest';

import { BinaryFocalCrossentropy } from './binary-focal-crossentropy.js';
import { CategoricalFocalCrossentropy } from './categorical-focal-crossentropy.js';
import { CategoricalGeneralizedCrossEntropy } from './categorical-generalized-cross-entropy.js';
import { Dice } from './dice.js';
import { Tversky } from './tversky.js';
import { BinaryCrossentropy } from './binary-crossentropy.js';
import { CategoricalCrossentropy } from './categorical-crossentropy.js';
import { CategoricalHinge } from './categorical-hinge.js';
import { CosineSimilarity } from './cosine-similarity.js';
import { Hinge } from './hinge.js';
import { Huber } from './huber.js';
import { KLDivergence } from './kl-divergence.js';
import { LogCosh } from './log-cosh.js';
import { MeanAbsoluteError } from './mean-absolute-error.js';
import { MeanAbsolutePercentageError } from './mean-absolute-percentage-error.js';
import { MeanSquaredError } from './mean-squared-error.js';
import { MeanSquaredLogarithmicError } from './mean-squared-logarithmic-error.js';
import { Poisson } from './poisson.js';
import { registerLosses } from './register-losses.js';
import { SparseCategoricalCrossentropy } from './sparse-categorical-crossentropy.js';
import { SquaredHinge } from './squared-hinge.js';

const EXPECTED: Array<[string, Function, string]> = [
  ['mean_squared_error', MeanSquaredError, 'mean_squared_error'],
  ['mse', MeanSquaredError, 'mean_squared_error'],
  ['meanSquaredError', MeanSquaredError, 'mean_squared_error'],
  ['mean_absolute_error', MeanAbsoluteError, 'mean_absolute_error'],
  ['mae', MeanAbsoluteError, 'mean_absolute_error'],
  ['meanAbsoluteError', MeanAbsoluteError, 'mean_absolute_error'],
  ['mean_absolute_percentage_error', MeanAbsolutePercentageError, 'mean_absolute_percentage_error'],
  ['mape', MeanAbsolutePercentageError, 'mean_absolute_percentage_error'],
  ['meanAbsolutePercentageError', MeanAbsolutePercentageError, 'mean_absolute_percentage_error'],
  ['mean_squared_logarithmic_error', MeanSquaredLogarithmicError, 'mean_squared_logarithmic_error'],
  ['msle', MeanSquaredLogarithmicError, 'mean_squared_logarithmic_error'],
  ['meanSquaredLogarithmicError', MeanSquaredLogarithmicError, 'mean_squared_logarithmic_error'],
  ['huber', Huber, 'huber'],
  ['huber_loss', Huber, 'huber'],
  ['log_cosh', LogCosh, 'log_cosh'],
  ['logcosh', LogCosh, 'log_cosh'],
  ['binary_crossentropy', BinaryCrossentropy, 'binary_crossentropy'],
  ['binaryCrossentropy', BinaryCrossentropy, 'binary_crossentropy'],
  ['categorical_crossentropy', CategoricalCrossentropy, 'categorical_crossentropy'],
  ['categoricalCrossentropy', CategoricalCrossentropy, 'categorical_crossentropy'],
  ['sparse_categorical_crossentropy', SparseCategoricalCrossentropy, 'sparse_categorical_crossentropy'],
  ['sparseCategoricalCrossentropy', SparseCategoricalCrossentropy, 'sparse_categorical_crossentropy'],
  ['kl_divergence', KLDivergence, 'kl_divergence'],
  ['kld', KLDivergence, 'kl_divergence'],
  ['kullback_leibler_divergence', KLDivergence, 'kl_divergence'],
  ['kullbackLeiblerDivergence', KLDivergence, 'kl_divergence'],
  ['poisson', Poisson, 'poisson'],
  ['hinge', Hinge, 'hinge'],
  ['squared_hinge', SquaredHinge, 'squared_hinge'],
  ['squaredHinge', SquaredHinge, 'squared_hinge'],
  ['categorical_hinge', CategoricalHinge, 'categorical_hinge'],
  ['categoricalHinge', CategoricalHinge, 'categorical_hinge'],
  ['cosine_similarity', CosineSimilarity, 'cosine_similarity'],
  ['cosineProximity', CosineSimilarity, 'cosine_similarity'],
  ['binary_focal_crossentropy', BinaryFocalCrossentropy, 'binary_focal_crossentropy'],
  ['categorical_focal_crossentropy', CategoricalFocalCrossentropy, 'categorical_focal_crossentropy'],
  ['dice', Dice, 'dice'],
  ['tversky', Tversky, 'tversky'],
  ['categorical_generalized_cross_entropy', CategoricalGeneralizedCrossEntropy, 'categorical_generalized_cross_entropy'],
];

describe('registerLosses', () => {
  it('registers exactly the Keras names and aliases', () => {
    const c = createFedkitContainer();
    registerLosses(c);
    expect(pluginNames(c, LOSS_PLUGIN)).toEqual(EXPECTED.map(([name]) => name).sort());
  });

  it.each(EXPECTED)('resolves "%s" to the Keras loss class', (name, lossClass, lossName) => {
    const c = createFedkitContainer();
    registerLosses(c);
    const loss = resolveLoss(c, name);
    expect(loss).toBeInstanceOf(lossClass);
    expect(loss.name).toBe(lossName);
  });

  it('resolves mse to a loss that computes the mean squared error', () => {
    const c = createFedkitContainer();
    registerLosses(c);
    // ((1 - 0)^2 + (3 - 1)^2) / 2 = 2.5
    const value = resolveLoss(c, 'mse').call(tf.tensor2d([[0], [1]]), tf.tensor2d([[1], [3]]));
    expect(value.dataSync()[0]).toBeCloseTo(2.5, 6);
    value.dispose();
  });

  it('passes camelCase config to the constructor', () => {
    const c = createFedkitContainer();
    registerLosses(c);
    const scce = resolveLoss(c, 'sparse_categorical_crossentropy', { fromLogits: true });
    expect((scce as SparseCategoricalCrossentropy).fromLogits).toBe(true);
    expect((resolveLoss(c, 'huber', { delta: 2.5 }) as Huber).delta).toBe(2.5);
  });

  it('throws a ValueError listing the accepted options for an unknown config key', () => {
    const c = createFedkitContainer();
    registerLosses(c);
    expect(() => resolveLoss(c, 'binary_crossentropy', { from_logits: true })).toThrow(ValueError);
    expect(() => resolveLoss(c, 'binary_crossentropy', { from_logits: true })).toThrow(/fromLogits, labelSmoothing/);
  });

  it('throws a TypeError for a config value of the wrong type', () => {
    const c = createFedkitContainer();
    registerLosses(c);
    expect(() => resolveLoss(c, 'binary_crossentropy', { fromLogits: 'yes' })).toThrow(TypeError);
  });

  it('throws a ValueError listing the registered names for an unknown name', () => {
    const c = createFedkitContainer();
    registerLosses(c);
    expect(() => resolveLoss(c, 'mean_squared_eror')).toThrow(ValueError);
    expect(() => resolveLoss(c, 'mean_squared_eror')).toThrow(/mae, mape, meanAbsoluteError, meanAbsolutePercentageError/);
    expect(() => resolveLoss(c, 'mean_squared_eror')).toThrow(/sparse_categorical_crossentropy/);
  });

  it('does not leak registrations from a child container into its parent', () => {
    const parent = createFedkitContainer();
    const child = createFedkitContainer(parent);
    registerLosses(child);
    expect(resolveLoss(child, 'mse')).toBeInstanceOf(MeanSquaredError);
    expect(() => resolveLoss(parent, 'mse')).toThrow(ValueError);
    expect(() => resolveLoss(rootContainer, 'mse')).toThrow(ValueError);
  });
});

describe('getConfig', () => {
  it.each(EXPECTED)('rebuilds an equal "%s" loss from its config', (name, lossClass) => {
    const c = createFedkitContainer();
    registerLosses(c);
    const original = resolveLoss(c, name) as unknown as { getConfig(): Record<string, unknown> };
    const rebuilt = resolveLoss(c, name, original.getConfig()) as unknown as { getConfig(): Record<string, unknown> };
    expect(rebuilt).toBeInstanceOf(lossClass);
    expect(rebuilt.getConfig()).toEqual(original.getConfig());
  });

  it('carries the options', () => {
    const c = createFedkitContainer();
    registerLosses(c);
    const bce = resolveLoss(c, 'binary_crossentropy', { fromLogits: true, labelSmoothing: 0.2 }) as BinaryCrossentropy;
    expect(bce.getConfig()).toEqual({ name: 'binary_crossentropy', fromLogits: true, labelSmoothing: 0.2 });
  });
});
