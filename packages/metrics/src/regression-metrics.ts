import * as tf from '@tensorflow/tfjs';

import { KerasMeanMetric } from './mean-metric-wrapper.js';
import type { ConfigKeys, MetricOptions } from './metric.js';
import { Mean } from './reduce.js';
import { meanLastAxis, squeezeOrExpandToSameRank, toFloat } from './shapes.js';

/** Labels and predictions as float32 of the same rank. Call inside `tf.tidy`. */
function pair(yTrue: tf.Tensor, yPred: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return squeezeOrExpandToSameRank(toFloat(yTrue), toFloat(yPred));
}

/**
 * Weighted mean over examples of `mean(|yPred - yTrue|, -1)` (`tf.keras.metrics.MeanAbsoluteError`).
 * @example
 * ```ts
 * const m = new MeanAbsoluteError();
 * m.updateState(tf.tensor2d([[0, 1], [0, 0]]), tf.tensor2d([[1, 1], [0, 0]]));
 * m.result(); // 0.25
 * ```
 */
export class MeanAbsoluteError extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super(
      (yTrue, yPred) => {
        const [y, p] = pair(yTrue, yPred);
        return meanLastAxis(tf.abs(tf.sub(p, y)));
      },
      options,
      {},
      'mean_absolute_error',
    );
  }
}

/** Weighted mean over examples of `mean((yPred - yTrue)², -1)` (`tf.keras.metrics.MeanSquaredError`). */
export class MeanSquaredError extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super(
      (yTrue, yPred) => {
        const [y, p] = pair(yTrue, yPred);
        return meanLastAxis(tf.squaredDifference(p, y));
      },
      options,
      {},
      'mean_squared_error',
    );
  }
}

/**
 * Weighted mean over examples of `100 · mean(|yTrue - yPred| / max(|yTrue|, 1e-7), -1)`
 * (`tf.keras.metrics.MeanAbsolutePercentageError`).
 */
export class MeanAbsolutePercentageError extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super(
      (yTrue, yPred) => {
        const [y, p] = pair(yTrue, yPred);
        return tf.mul(100, meanLastAxis(tf.abs(tf.div(tf.sub(y, p), tf.maximum(tf.abs(y), 1e-7)))));
      },
      options,
      {},
      'mean_absolute_percentage_error',
    );
  }
}

/**
 * `sqrt(weighted mean of (yPred - yTrue)²)` over every element
 * (`tf.keras.metrics.RootMeanSquaredError`). State `[sum of squares, count]`:
 * clients' states are summed before the square root is taken, which is why the
 * root of a mean of roots would be wrong and is never computed.
 */
export class RootMeanSquaredError extends Mean {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super(options, 'root_mean_squared_error');
  }

  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      const [y, p] = pair(yTrue, yPred);
      this.addValues(tf.squaredDifference(p, y), sampleWeight);
    });
  }

  override finalize(state: number[]): number {
    return Math.sqrt(super.finalize(state));
  }
}
