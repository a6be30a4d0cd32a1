import type { DependencyContainer } from 'tsyringe';

import type { Metric } from './metric.js';
import { METRIC_PLUGIN, type MetricPlugin } from './plugin-tokens.js';
import { resolvePlugin } from './fedkit-container.js';
import { describe } from './resolve-loss.js';

/** True for an object that implements {@link Metric}. */
export function isMetric(value: unknown): value is Metric {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Metric;
  return (
    typeof m.name === 'string' &&
    Array.isArray(m.variables) &&
    typeof m.updateState === 'function' &&
    typeof m.unfinalizedState === 'function' &&
    typeof m.finalize === 'function'
  );
}

/**
 * Turns a metric name or a {@link Metric} into a {@link Metric}; a name is
 * looked up among the `METRIC_PLUGIN`s of `container`.
 *
 * @throws ValueError for an unknown name (the message lists the registered ones).
 * @throws TypeError for anything else.
 * @example
 * ```ts
 * const acc = resolveMetric(container, 'sparse_categorical_accuracy');
 * ```
 */
export function resolveMetric(
  container: DependencyContainer,
  metric: string | Metric,
  config?: Record<string, unknown>,
): Metric {
  if (typeof metric === 'string') {
    return resolvePlugin<MetricPlugin>(container, METRIC_PLUGIN, metric, 'metric').create(config);
  }
  if (isMetric(metric)) return metric;
  throw new TypeError(`Expected a metric name or a Metric object, found ${describe(metric)}.`);
}
