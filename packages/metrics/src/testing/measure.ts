import * as tf from '@tensorflow/tfjs';
import type { Metric } from '@fedkit/core';

/** Updates `metric` with each batch (disposing the inputs) and returns its result. */
export function measure(metric: Metric, batches: Array<[tf.Tensor, tf.Tensor, tf.Tensor?]>): number {
  for (const [y, p, w] of batches) {
    metric.updateState(y, p, w);
    tf.dispose([y, p, ...(w ? [w] : [])]);
  }
  return metric.result();
}

/**
 * Updates `metric` with each batch given as plain arrays (labels, predictions,
 * optional weights), disposing every tensor it makes, and returns the metric.
 */
export function feed<M extends Metric>(metric: M, batches: Array<[tf.TensorLike, tf.TensorLike, tf.TensorLike?]>): M {
  for (const [y, p, w] of batches) tf.tidy(() => metric.updateState(tf.tensor(y), tf.tensor(p), w === undefined ? undefined : tf.tensor(w)));
  return metric;
}
