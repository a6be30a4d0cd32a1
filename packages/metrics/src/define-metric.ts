import type * as tf from '@tensorflow/tfjs';
import type { Metric as MetricContract, MetricPlugin } from '@fedkit/core';

import { MeanMetricWrapper } from './mean-metric-wrapper.js';

/** A custom per-example metric body; `config` is what the plugin was created with. */
export type MetricBody = (yTrue: tf.Tensor, yPred: tf.Tensor, config: Record<string, unknown>) => tf.Tensor;

/** Options of {@link defineMetric}. */
export interface DefineMetricOptions {
  /** Config keys the body needs; creating the metric without them throws a TypeError. */
  requiredConfigKeys?: readonly string[];
}

/**
 * Makes a metric plugin from a per-example function: a weighted mean of its
 * values (state `[total, count]`, which sums across clients).
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
export function defineMetric(name: string, body: MetricBody, options: DefineMetricOptions = {}): MetricPlugin {
  const required = options.requiredConfigKeys ?? [];
  return {
    name,
    create(config: Record<string, unknown> = {}): MetricContract {
      const missing = required.filter((k) => config[k] === undefined);
      if (missing.length > 0) {
        throw new TypeError(
          `Metric "${name}" needs config ${missing.map((k) => `"${k}"`).join(', ')}, found keys: ${Object.keys(config).join(', ') || 'none'}.`,
        );
      }
      const metricName = typeof config['name'] === 'string' ? config['name'] : name;
      return new (class extends MeanMetricWrapper {
        override getConfig(): Record<string, unknown> {
          return { ...config, name: this.name };
        }
      })((y, p) => body(y, p, config), { name: metricName }, name);
    },
  };
}
