import { createFedkitContainer, METRIC_PLUGIN, pluginNames, resolveMetric, ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import * as metrics from './index.js';
import { requiredConfig } from './testing/data.js';
import { BUILT_IN_METRICS, registerMetrics } from './register-metrics.js';

describe('registerMetrics', () => {
  it('registers every built-in under its Keras name and the aliases acc, mae, mse, mape', () => {
    const c = registerMetrics(createFedkitContainer());
    expect(pluginNames(c, METRIC_PLUGIN)).toEqual(
      [
        'acc', 'accuracy', 'auc', 'binary_accuracy', 'binary_crossentropy', 'categorical_accuracy', 'categorical_crossentropy',
        'mae', 'mape', 'mean', 'mean_absolute_error', 'mean_absolute_percentage_error', 'mean_squared_error', 'mse',
        'num_batches', 'num_examples', 'precision', 'recall', 'root_mean_squared_error', 'sparse_categorical_accuracy',
        'sparse_categorical_crossentropy', 'sparse_top_k_categorical_accuracy', 'sum', 'top_k_categorical_accuracy',
        'true_positives', 'false_positives', 'true_negatives', 'false_negatives', 'sensitivity_at_specificity',
        'specificity_at_sensitivity', 'precision_at_recall', 'recall_at_precision', 'f1_score', 'fbeta_score', 'iou',
        'mean_iou', 'binary_iou', 'one_hot_iou', 'one_hot_mean_iou', 'r2_score', 'kl_divergence', 'kld', 'poisson',
        'mean_squared_logarithmic_error', 'msle', 'cosine_similarity', 'logcosh', 'hinge', 'squared_hinge', 'categorical_hinge',
        // tfjs-layers' camelCase names
        'binaryAccuracy', 'categoricalAccuracy', 'sparseCategoricalAccuracy', 'MAE', 'meanAbsoluteError', 'MSE', 'meanSquaredError',
        'MAPE', 'meanAbsolutePercentageError', 'binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy',
      ].sort(),
    );
  });

  it('resolves names and aliases to metrics carrying the Keras name', () => {
    const c = registerMetrics(createFedkitContainer());
    expect(resolveMetric(c, 'sparse_categorical_accuracy')).toBeInstanceOf(metrics.SparseCategoricalAccuracy);
    expect(resolveMetric(c, 'acc').name).toBe('accuracy');
    expect(resolveMetric(c, 'mae')).toBeInstanceOf(metrics.MeanAbsoluteError);
    expect(resolveMetric(c, 'mse').name).toBe('mean_squared_error');
    expect(resolveMetric(c, 'mape').name).toBe('mean_absolute_percentage_error');
    expect(resolveMetric(c, 'sparseCategoricalAccuracy')).toBeInstanceOf(metrics.SparseCategoricalAccuracy);
    expect(resolveMetric(c, 'MSE').name).toBe('mean_squared_error');
    expect(resolveMetric(c, 'top_k_categorical_accuracy', { k: 3 }).getConfig()).toEqual({ name: 'top_k_categorical_accuracy', k: 3 });
    expect(resolveMetric(c, 'precision', { name: 'p_at_07', thresholds: 0.7 }).name).toBe('p_at_07');
  });

  it('gives every class its Keras snake_case name by default', () => {
    for (const [MetricClass, [name]] of BUILT_IN_METRICS) {
      const m = new MetricClass(requiredConfig(name));
      expect(m.name).toBe(name);
      m.dispose();
    }
  });

  it('throws a ValueError listing the registered names for an unknown name', () => {
    const c = registerMetrics(createFedkitContainer());
    expect(() => resolveMetric(c, 'acuracy')).toThrow(ValueError);
    expect(() => resolveMetric(c, 'acuracy')).toThrow(
      /Unknown metric "acuracy"\. Registered metrics: MAE, MAPE, MSE, acc, accuracy, auc, .*sparse_categorical_accuracy.*, top_k_categorical_accuracy, true_negatives, true_positives\./,
    );
  });

  it('throws a TypeError for a misspelt option instead of silently using the default', () => {
    const c = registerMetrics(createFedkitContainer());
    expect(() => resolveMetric(c, 'binary_accuracy', { treshold: 0.7 })).toThrow(TypeError);
  });
});
