import { describe, isMetric, type Metric } from '@fedkit/core';

/** `metrics` as `fromKerasModel` takes it: instances, or no-argument factories (not mixed). */
export type MetricsOption = readonly Metric[] | ReadonlyArray<() => Metric>;

/**
 * Turns the `metrics` option into metric instances.
 * @throws TypeError when entries mix instances and factories, an entry is neither,
 *   or a factory returns something that is not a Metric.
 * @example
 * ```ts
 * resolveMetricList([() => new MeanAbsoluteError()]); // [MeanAbsoluteError], a fresh instance per call
 * ```
 */
export function resolveMetricList(metrics: unknown): Metric[] {
  if (metrics === undefined) return [];
  if (!Array.isArray(metrics)) throw new TypeError(`metrics must be an array, found ${describe(metrics)}.`);
  const instances = metrics.filter((m) => isMetric(m));
  const factories = metrics.filter((m) => typeof m === 'function');
  if (instances.length + factories.length !== metrics.length) {
    const bad = metrics.findIndex((m) => !isMetric(m) && typeof m !== 'function');
    throw new TypeError(`metrics[${bad}] is neither a Metric nor a no-argument function returning one: found ${describe(metrics[bad])}.`);
  }
  if (instances.length > 0 && factories.length > 0) {
    throw new TypeError('metrics must be all Metric instances or all factories returning a Metric, not a mix of both.');
  }
  if (factories.length === 0) return instances as Metric[];
  return (factories as Array<() => unknown>).map((factory, i) => {
    const made = factory();
    if (!isMetric(made)) throw new TypeError(`metrics[${i}]() must return a Metric, returned ${describe(made)}.`);
    return made;
  });
}
