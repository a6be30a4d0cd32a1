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
