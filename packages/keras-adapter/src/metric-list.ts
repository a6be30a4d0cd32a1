import { describe, isMetric, resolveMetric, type Metric } from '@fedkit/core';
import type { DependencyContainer } from 'tsyringe';

/**
 * `metrics` as `fromKerasModel` takes it: Keras metric names (`'accuracy'`, `'mse'`,
 * `'sparse_categorical_accuracy'`, tfjs-layers' `'binaryAccuracy'`), metric instances, or
 * no-argument factories returning one. Instances and factories are not mixed; names go with either.
 */
export type MetricsOption = ReadonlyArray<string | Metric> | ReadonlyArray<string | (() => Metric)>;

/** What `'accuracy'` / `'acc'` needs to pick its metric, as Keras's `compile` does: the first output's label and prediction shapes. */
export interface MetricNameContext {
  /** Where names are resolved (`METRIC_PLUGIN`s, e.g. `registerMetrics(createFedkitContainer())`). */
  readonly container: DependencyContainer;
  /** Shape of the labels of the first output (`null` = unknown dimension). */
  readonly yTrueShape: readonly (number | null)[];
  /** Shape of the first output's predictions. */
  readonly yPredShape: readonly (number | null)[];
}

/**
 * The registered metric name `'accuracy'` / `'acc'` stands for, chosen from shapes as Keras 3's
 * `compile_utils.get_metric` does: predictions with last dimension 1 are binary; labels of lower
 * rank than the predictions, or with last dimension 1 against wider predictions, are sparse;
 * anything else is categorical.
 * @example
 * ```ts
 * accuracyMetricFor([null, 1], [null, 10]); // 'sparse_categorical_accuracy'
 * accuracyMetricFor([null, 10], [null, 10]); // 'categorical_accuracy'
 * accuracyMetricFor([null, 1], [null, 1]); // 'binary_accuracy'
 * ```
 */
export function accuracyMetricFor(yTrueShape: readonly (number | null)[], yPredShape: readonly (number | null)[]): string {
  const predLast = yPredShape[yPredShape.length - 1];
  const trueLast = yTrueShape[yTrueShape.length - 1];
  if (predLast === 1) return 'binary_accuracy';
  const sparse = yTrueShape.length < yPredShape.length || (trueLast === 1 && predLast !== undefined && predLast !== null && predLast > 1);
  return sparse ? 'sparse_categorical_accuracy' : 'categorical_accuracy';
}

/**
 * Turns the `metrics` option into metric instances. A name is resolved among the
 * registered metric plugins and the metric is named after the string given, as Keras 3's
 * `compile` names it (`'acc'` reports `acc`); `'accuracy'` and `'acc'` become binary, sparse
 * categorical or categorical accuracy by `accuracyMetricFor`.
 * @throws TypeError when entries mix instances and factories, an entry is none of the three,
 *   a factory returns something that is not a Metric, or a name is given without `context`.
 * @throws ValueError for an unknown name (the message lists the registered ones).
 * @example
 * ```ts
 * resolveMetricList([() => new MeanAbsoluteError()]); // [MeanAbsoluteError], a fresh instance per call
 * resolveMetricList(['accuracy', 'mse'], { container: registerMetrics(createFedkitContainer()), yTrueShape: [null, 1], yPredShape: [null, 10] });
 * // [SparseCategoricalAccuracy named 'accuracy', MeanSquaredError named 'mse']
 * ```
 */
export function resolveMetricList(metrics: unknown, context?: MetricNameContext): Metric[] {
  if (metrics === undefined) return [];
  if (!Array.isArray(metrics)) throw new TypeError(`metrics must be an array, found ${describe(metrics)}.`);
  const bad = metrics.findIndex((m) => typeof m !== 'string' && !isMetric(m) && typeof m !== 'function');
  if (bad >= 0) {
    throw new TypeError(
      `metrics[${bad}] is neither a metric name, a Metric nor a no-argument function returning one: found ${describe(metrics[bad])}.`,
    );
  }
  if (metrics.some((m) => isMetric(m)) && metrics.some((m) => typeof m === 'function')) {
    throw new TypeError('metrics must be all Metric instances or all factories returning a Metric, not a mix of both.');
  }
  return metrics.map((entry: unknown, i) => {
    if (typeof entry === 'string') return resolveName(entry, i, context);
    if (isMetric(entry)) return entry;
    const made = (entry as () => unknown)();
    if (!isMetric(made)) throw new TypeError(`metrics[${i}]() must return a Metric, returned ${describe(made)}.`);
    return made;
  });
}

function resolveName(name: string, index: number, context: MetricNameContext | undefined): Metric {
  if (context === undefined) {
    throw new TypeError(`metrics[${index}] is the name "${name}", but no container was given to resolve names; pass a Metric or a factory.`);
  }
  const isAccuracy = name.toLowerCase() === 'accuracy' || name.toLowerCase() === 'acc';
  const registered = isAccuracy ? accuracyMetricFor(context.yTrueShape, context.yPredShape) : name;
  return resolveMetric(context.container, registered, { name });
}
