import * as tf from '@tensorflow/tfjs';

import type { ConfigKeys, MetricOptions } from './metric.js';
import { Mean } from './reduce.js';

/**
 * A per-example metric function: values of shape `[batch]` (or any shape that
 * sample weights broadcast against). Labels keep their dtype. Called inside
 * `tf.tidy`, so it may create tensors freely.
 */
export type MetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** `getConfig()` of a plain {@link MeanMetricWrapper}: the function itself travels in the config. */
export interface MeanMetricWrapperConfig extends MetricOptions {
  fn: MetricFn;
}

/**
 * Turns a per-example function into a weighted-mean metric
 * (`tf.keras.metrics.MeanMetricWrapper`): state `[total, count]`, where total
 * is the weighted sum of the values and count the sum of the weights.
 *
 * Porting note: Keras serializes `fn` by its registered name; here `getConfig()`
 * holds the function object, so a plain wrapper rebuilds in the same process
 * only. The built-in subclasses hold only plain options in their configs.
 *
 * @example
 * ```ts
 * const within = new MeanMetricWrapper((y, p) => tf.lessEqual(tf.abs(tf.sub(y, p)), 0.5), { name: 'within_half' });
 * within.updateState(tf.tensor1d([1, 2]), tf.tensor1d([1.2, 3]));
 * within.result(); // 0.5
 * ```
 */
export class MeanMetricWrapper extends Mean {
  static override readonly requiredConfigKeys: ConfigKeys = [];
  static override readonly configKeys: ConfigKeys = ['fn'];

  private readonly fn: MetricFn;

  /**
   * @param fn the per-example function, or a config `{ fn, name }` (what `getConfig()` returns).
   * @throws TypeError when no function is given.
   */
  constructor(fn: MetricFn | MeanMetricWrapperConfig | Record<string, unknown>, options: MetricOptions = {}, defaultName = 'mean_metric_wrapper') {
    const config: Partial<MeanMetricWrapperConfig> = typeof fn === 'function' ? { ...options, fn } : (fn as Partial<MeanMetricWrapperConfig>);
    // The caller's own options travel up, so that Metric checks them against the subclass's configKeys.
    super(typeof fn === 'function' ? options : (fn as MetricOptions), defaultName);
    if (typeof config.fn !== 'function') {
      throw new TypeError(
        `MeanMetricWrapper needs a per-example function (yTrue, yPred) => Tensor, found ${typeof config.fn}. ` +
          'Pass it as the first argument or as `fn` in the config.',
      );
    }
    this.fn = config.fn;
  }

  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => this.addValues(this.fn(yTrue, yPred), sampleWeight));
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, fn: this.fn };
  }
}

/**
 * Base of the built-in per-example metrics: a {@link MeanMetricWrapper} whose
 * config is its constructor options (plain, JSON-serializable values).
 */
export abstract class KerasMeanMetric<O extends MetricOptions = MetricOptions> extends MeanMetricWrapper {
  /** The resolved constructor options (defaults filled in), without `name`. */
  protected readonly options: Omit<O, 'name'>;

  constructor(fn: MetricFn, options: O, resolved: Omit<O, 'name'>, defaultName: string) {
    super(fn, options, defaultName);
    this.options = resolved;
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, ...structuredClone(this.options) };
  }
}
