import * as tf from '@tensorflow/tfjs';

import type { MetricOptions } from './metric.js';
import { Mean } from './reduce.js';

/** A per-example metric function: values of shape [batch] (or broadcastable). */
export type MetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/**
 * Turns a per-example function into a weighted-mean metric
 * (`tf.keras.metrics.MeanMetricWrapper`): state `[total, count]`.
 * @example
 * ```ts
 * const within = new MeanMetricWrapper((y, p) => tf.lessEqual(tf.abs(tf.sub(y, p)), 0.5), { name: 'within_half' });
 * ```
 */
export class MeanMetricWrapper extends Mean {
  constructor(
    private readonly fn: MetricFn,
    options: MetricOptions = {},
    defaultName = 'mean_metric_wrapper',
  ) {
    super(options, defaultName);
  }

  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => this.addValues(this.fn(yTrue, yPred), sampleWeight));
  }
}
