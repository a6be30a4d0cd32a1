import * as tf from '@tensorflow/tfjs';

import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, type BaseLossOptions, reductionOf } from './options.js';
import { alignLabels } from './shapes.js';

/**
 * Per-example categorical hinge loss for one-hot labels:
 * `max(max((1 - y) p) - sum(y p) + 1, 0)` over the last axis.
 *
 * @example
 * ```ts
 * categoricalHinge(tf.tensor2d([[0, 1]]), tf.tensor2d([[0.3, 0.7]])); // [0.3 - 0.7 + 1] = [0.6]
 * ```
 */
export function categoricalHinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignLabels(yTrue, yPred, 'categorical_hinge');
    const positive = tf.sum(tf.mul(t, p), -1);
    const negative = tf.max(tf.mul(tf.sub(1, t), p), -1);
    return tf.relu(tf.add(tf.sub(negative, positive), 1));
  });
}

/**
 * Categorical hinge loss (Keras `CategoricalHinge`, plugin name `categorical_hinge`).
 *
 * @example
 * ```ts
 * const loss = new CategoricalHinge().call(tf.tensor2d([[0, 1]]), tf.tensor2d([[0.3, 0.7]])); // 0.6
 * ```
 */
export class CategoricalHinge extends LossFunctionWrapper {
  constructor(options: BaseLossOptions = {}) {
    checkOptions(options, BASE_OPTION_TYPES, 'CategoricalHinge');
    super(options?.name ?? 'categorical_hinge', categoricalHinge, reductionOf(options, 'CategoricalHinge'));
  }
}
