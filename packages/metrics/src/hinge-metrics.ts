import * as tf from '@tensorflow/tfjs';

import { KerasMeanMetric } from './mean-metric-wrapper.js';
import type { ConfigKeys, MetricOptions } from './metric.js';
import { meanLastAxis, squeezeOrExpandToSameRank, toFloat } from './shapes.js';

/**
 * Labels for the hinge metrics: 0 becomes -1, so 0/1 labels act as -1/1.
 *
 * Porting note: Keras converts only when every label of the batch is 0 or 1,
 * which makes the value depend on how the data is batched; here each 0 label is
 * converted, so -1/1 labels and 0/1 labels give the same result in any batching.
 */
function hingeLabels(yTrue: tf.Tensor): tf.Tensor {
  const y = toFloat(yTrue);
  return tf.where(tf.equal(y, 0), tf.fill(y.shape, -1), y);
}

/** The margin `1 - y p` per element, labels converted. Call inside `tf.tidy`. */
function margins(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const [y, p] = squeezeOrExpandToSameRank(hingeLabels(yTrue), toFloat(yPred));
  return tf.relu(tf.sub(1, tf.mul(y, p)));
}

/**
 * Weighted mean over examples of `mean(max(1 - y p, 0), -1)` with -1/1 (or 0/1)
 * labels (`keras.metrics.Hinge`).
 * @example
 * ```ts
 * const m = new Hinge();
 * m.updateState(tf.tensor2d([[0, 1, 0, 1], [0, 0, 1, 1]]), tf.tensor2d([[-0.3, 0.2, -0.1, 1.6], [-0.25, -1, 0.5, 0.6]]));
 * m.result(); // 0.506 (Keras's HingeTest.test_unweighted)
 * ```
 */
export class Hinge extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super((y, p) => meanLastAxis(margins(y, p)), options, {}, 'hinge');
  }
}

/** Weighted mean over examples of `mean(max(1 - y p, 0)², -1)` (`keras.metrics.SquaredHinge`). */
export class SquaredHinge extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super((y, p) => meanLastAxis(tf.square(margins(y, p))), options, {}, 'squared_hinge');
  }
}

/**
 * Weighted mean over examples of `max(max((1 - y) p) - sum(y p) + 1, 0)` for
 * one-hot labels (`keras.metrics.CategoricalHinge`).
 */
export class CategoricalHinge extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super(
      (yTrue, yPred) => {
        const [y, p] = squeezeOrExpandToSameRank(toFloat(yTrue), toFloat(yPred));
        const pos = tf.sum(tf.mul(y, p), -1);
        const neg = tf.max(tf.mul(tf.sub(1, y), p), -1);
        return tf.relu(tf.add(tf.sub(neg, pos), 1));
      },
      options,
      {},
      'categorical_hinge',
    );
  }
}
