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
import { AUC, Precision, Recall } from './confusion-metrics.js';
import { NumBatchesCounter, NumExamplesCounter } from './counters.js';
import type { MetricClass } from './metric.js';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './probabilistic-metrics.js';
import { Mean, Sum } from './reduce.js';
import { MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError, RootMeanSquaredError } from './regression-metrics.js';

/**
 * Every built-in metric class with its Keras name first, then its Keras aliases.
 * `Mean` and `Sum` take their values as the first `updateState` argument.
 */
export const BUILT_IN_METRICS: ReadonlyArray<readonly [MetricClass, readonly [string, ...string[]]]> = [
  [Accuracy, ['accuracy', 'acc']],
  [BinaryAccuracy, ['binary_accuracy']],
  [CategoricalAccuracy, ['categorical_accuracy']],
  [SparseCategoricalAccuracy, ['sparse_categorical_accuracy']],
  [TopKCategoricalAccuracy, ['top_k_categorical_accuracy']],
  [SparseTopKCategoricalAccuracy, ['sparse_top_k_categorical_accuracy']],
  [MeanAbsoluteError, ['mean_absolute_error', 'mae']],
  [MeanSquaredError, ['mean_squared_error', 'mse']],
  [RootMeanSquaredError, ['root_mean_squared_error']],
  [MeanAbsolutePercentageError, ['mean_absolute_percentage_error', 'mape']],
  [BinaryCrossentropy, ['binary_crossentropy']],
  [CategoricalCrossentropy, ['categorical_crossentropy']],
  [SparseCategoricalCrossentropy, ['sparse_categorical_crossentropy']],
  [Precision, ['precision']],
  [Recall, ['recall']],
  [AUC, ['auc']],
  [NumExamplesCounter, ['num_examples']],
  [NumBatchesCounter, ['num_batches']],
  [Mean, ['mean']],
  [Sum, ['sum']],
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
