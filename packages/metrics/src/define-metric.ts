import type * as tf from '@tensorflow/tfjs';
import type { MetricPlugin } from '@fedkit/core';

import { MeanMetricWrapper } from './mean-metric-wrapper.js';
import type { ConfigKeys, MetricClass } from './metric.js';

/**
 * A custom per-example metric body: values of shape `[batch]` (or broadcastable
 * against the sample weights). `config` is what the metric was created with.
 * Called inside `tf.tidy`.
 */
export type MetricBody = (yTrue: tf.Tensor, yPred: tf.Tensor, config: Record<string, unknown>) => tf.Tensor;

/** Options of {@link defineMetric}. */
export interface DefineMetricOptions {
  /** Config keys the body cannot do without; creating or rebuilding the metric without one throws a `TypeError`. */
  requiredConfigKeys?: readonly string[];
  /** Every config key the body reads; when given, any other key (a typo) throws a `TypeError`. */
  configKeys?: readonly string[];
}

/** A metric plugin made by {@link defineMetric}, with the class its metrics are instances of. */
export interface DefinedMetricPlugin extends MetricPlugin {
  /** The metric class: `metricClass.fromConfig(metric.getConfig())` rebuilds a metric (e.g. at the server). */
  readonly metricClass: MetricClass<MeanMetricWrapper>;
}

/**
 * Makes a metric plugin from a per-example function: the metric is the
 * weighted mean of its values (state `[total, count]`, which sums across
 * clients), named `name` unless the config says otherwise. Register it with
 * core's `registerPlugin(container, METRIC_PLUGIN, plugin)`.
 *
 * @example
 * ```ts
 * const within = defineMetric('within_tolerance',
 *   (y, p, { tolerance }) => tf.lessEqual(tf.abs(tf.sub(y, p)), tolerance as number),
 *   { requiredConfigKeys: ['tolerance'] });
 * registerPlugin(container, METRIC_PLUGIN, within);
 * const metric = resolveMetric(container, 'within_tolerance', { tolerance: 0.5 });
 * ```
 */
export function defineMetric(name: string, body: MetricBody, options: DefineMetricOptions = {}): DefinedMetricPlugin {
  const metricClass = class extends MeanMetricWrapper {
    static override readonly requiredConfigKeys: ConfigKeys = options.requiredConfigKeys ?? [];
    static override readonly configKeys: ConfigKeys = options.configKeys;
    private readonly config: Record<string, unknown>;

    constructor(config: Record<string, unknown> = {}) {
      const { name: metricName, ...rest } = config;
      super((y, p) => body(y, p, rest), typeof metricName === 'string' ? { name: metricName } : {}, name);
      this.config = structuredClone(rest);
    }

    override getConfig(): Record<string, unknown> {
      return { name: this.name, ...structuredClone(this.config) };
    }
  };
  // The class name shows in fromConfig's error messages.
  Object.defineProperty(metricClass, 'name', { value: `Metric "${name}"` });
  return { name, metricClass, create: (config = {}) => metricClass.fromConfig(config) };
}
