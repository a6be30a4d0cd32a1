import { METRIC_PLUGIN, registerPlugin, type MetricPlugin } from '@fedkit/core';
import type { DependencyContainer } from 'tsyringe';

import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from './accuracy-metrics.js';
import { AUC } from './auc.js';
import { FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives } from './confusion-metrics.js';
import { F1Score, FBetaScore } from './f-score-metrics.js';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge-metrics.js';
import { BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU } from './iou-metrics.js';
import { PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity } from './sensitivity-specificity-metrics.js';
import { NumBatchesCounter, NumExamplesCounter } from './counters.js';
import type { MetricClass } from './metric.js';
import { BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson, SparseCategoricalCrossentropy } from './probabilistic-metrics.js';
import { Mean, Sum } from './reduce.js';
import {
  CosineSimilarity,
  LogCoshError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  R2Score,
  RootMeanSquaredError,
} from './regression-metrics.js';

/**
 * Every built-in metric class with its Keras name first, then its Keras aliases.
 * Porting note: the camelCase names (`binaryAccuracy`, `MSE`, ...) are tfjs-layers' `metricsMap` names.
 * `Mean` and `Sum` take their values as the first `updateState` argument.
 */
export const BUILT_IN_METRICS: ReadonlyArray<readonly [MetricClass, readonly [string, ...string[]]]> = [
  [Accuracy, ['accuracy', 'acc']],
  [BinaryAccuracy, ['binary_accuracy', 'binaryAccuracy']],
  [CategoricalAccuracy, ['categorical_accuracy', 'categoricalAccuracy']],
  [SparseCategoricalAccuracy, ['sparse_categorical_accuracy', 'sparseCategoricalAccuracy']],
  [TopKCategoricalAccuracy, ['top_k_categorical_accuracy']],
  [SparseTopKCategoricalAccuracy, ['sparse_top_k_categorical_accuracy']],
  [MeanAbsoluteError, ['mean_absolute_error', 'mae', 'MAE', 'meanAbsoluteError']],
  [MeanSquaredError, ['mean_squared_error', 'mse', 'MSE', 'meanSquaredError']],
  [RootMeanSquaredError, ['root_mean_squared_error']],
  [MeanAbsolutePercentageError, ['mean_absolute_percentage_error', 'mape', 'MAPE', 'meanAbsolutePercentageError']],
  [BinaryCrossentropy, ['binary_crossentropy', 'binaryCrossentropy']],
  [CategoricalCrossentropy, ['categorical_crossentropy', 'categoricalCrossentropy']],
  [SparseCategoricalCrossentropy, ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy']],
  [Precision, ['precision']],
  [Recall, ['recall']],
  [AUC, ['auc']],
  [NumExamplesCounter, ['num_examples']],
  [NumBatchesCounter, ['num_batches']],
  [Mean, ['mean']],
  [Sum, ['sum']],
  [TruePositives, ['true_positives']],
  [FalsePositives, ['false_positives']],
  [TrueNegatives, ['true_negatives']],
  [FalseNegatives, ['false_negatives']],
  [SensitivityAtSpecificity, ['sensitivity_at_specificity']],
  [SpecificityAtSensitivity, ['specificity_at_sensitivity']],
  [PrecisionAtRecall, ['precision_at_recall']],
  [RecallAtPrecision, ['recall_at_precision']],
  [F1Score, ['f1_score']],
  [FBetaScore, ['fbeta_score']],
  [IoU, ['iou']],
  [MeanIoU, ['mean_iou']],
  [BinaryIoU, ['binary_iou']],
  [OneHotIoU, ['one_hot_iou']],
  [OneHotMeanIoU, ['one_hot_mean_iou']],
  [R2Score, ['r2_score']],
  [KLDivergence, ['kl_divergence', 'kld']],
  [Poisson, ['poisson']],
  [MeanSquaredLogarithmicError, ['mean_squared_logarithmic_error', 'msle']],
  [CosineSimilarity, ['cosine_similarity']],
  [LogCoshError, ['logcosh']],
  [Hinge, ['hinge']],
  [SquaredHinge, ['squared_hinge']],
  [CategoricalHinge, ['categorical_hinge']],
] as unknown as ReadonlyArray<readonly [MetricClass, readonly [string, ...string[]]]>;

/**
 * The built-in metrics as plugins, one per Keras name or alias. `create(config)`
 * goes through `fromConfig`, so an unknown option (a typo) throws a `TypeError`.
 * A metric made under an alias still carries the Keras name (`acc` makes
 * `accuracy`), as Keras does.
 */
export function builtInMetricPlugins(): MetricPlugin[] {
  return BUILT_IN_METRICS.flatMap(([MetricCls, names]) =>
    names.map((name) => ({ name, create: (config: Record<string, unknown> = {}) => MetricCls.fromConfig(config) })),
  );
}

/**
 * Registers every built-in metric as a core `MetricPlugin` under its Keras
 * snake_case name and aliases (`accuracy`/`acc`, `mae`, `mse`, `mape`), with
 * `registerPlugin(container, METRIC_PLUGIN, ...)`. Returns the container.
 * @example
 * ```ts
 * const container = registerMetrics(createFedkitContainer());
 * const acc = resolveMetric(container, 'sparse_categorical_accuracy');
 * const top3 = resolveMetric(container, 'sparse_top_k_categorical_accuracy', { k: 3 });
 * ```
 */
export function registerMetrics(container: DependencyContainer): DependencyContainer {
  for (const plugin of builtInMetricPlugins()) registerPlugin(container, METRIC_PLUGIN, plugin);
  return container;
}
