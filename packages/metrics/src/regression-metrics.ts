import * as tf from '@tensorflow/tfjs';

import { MeanMetricWrapper } from './mean-metric-wrapper.js';
import type { MetricOptions } from './metric.js';
import { Mean } from './reduce.js';

/** Mean of `mean(|yPred - yTrue|, -1)`. */
export class MeanAbsoluteError extends MeanMetricWrapper {
  constructor(options: MetricOptions = {}) {
    super((y, p) => tf.mean(tf.abs(tf.sub(p, y.toFloat())), -1), options, 'mean_absolute_error');
  }
}

/** Mean of `mean((yPred - yTrue)², -1)`. */
export class MeanSquaredError extends MeanMetricWrapper {
  constructor(options: MetricOptions = {}) {
    super((y, p) => tf.mean(tf.squaredDifference(p, y.toFloat()), -1), options, 'mean_squared_error');
  }
}

/** Mean of `100 · mean(|yTrue - yPred| / max(|yTrue|, 1e-7), -1)`. */
export class MeanAbsolutePercentageError extends MeanMetricWrapper {
  constructor(options: MetricOptions = {}) {
    super(
      (y, p) => {
        const t = y.toFloat();
        return tf.mul(100, tf.mean(tf.abs(tf.div(tf.sub(t, p), tf.maximum(tf.abs(t), 1e-7))), -1));
      },
      options,
      'mean_absolute_percentage_error',
    );
  }
}

/**
 * `sqrt(mean((yPred - yTrue)²))` over every element; state `[sum of squares, count]`,
 * so clients' states sum before the square root is taken.
 */
export class RootMeanSquaredError extends Mean {
  constructor(options: MetricOptions = {}) {
    super(options, 'root_mean_squared_error');
  }
  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => this.addValues(tf.squaredDifference(yPred, yTrue.toFloat()), sampleWeight));
  }
  override finalize(state: number[]): number {
    return Math.sqrt(super.finalize(state));
  }
}
