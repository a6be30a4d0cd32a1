import * as tf from '@tensorflow/tfjs';

import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, type BaseLossOptions, reductionOf } from './options.js';
import { alignLabels } from './shapes.js';

/**
 * Labels for the hinge losses: Keras accepts either -1/1 or 0/1 labels and,
 * when every label of the batch is 0 or 1, maps them to -1/1 (`2y - 1`).
 * Call inside `tf.tidy`.
 */
export function toHingeLabels(labels: tf.Tensor): tf.Tensor {
  const isBinary = tf.cast(tf.all(tf.logicalOr(tf.equal(labels, 0), tf.equal(labels, 1))), 'float32');
  // y + b (y - 1) is 2y - 1 when the batch is binary (b = 1) and y otherwise.
  return tf.add(labels, tf.mul(isBinary, tf.sub(labels, 1)));
}

/**
 * Per-example hinge loss `mean(max(1 - y p, 0), axis=-1)` with labels -1/1
 * (0/1 labels are converted, see {@link toHingeLabels}).
 *
 * @example
 * ```ts
 * hinge(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.5, 0.5]])); // [(0.5 + 1.5) / 2] = [1]
 * ```
 */
export function hinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignLabels(yTrue, yPred, 'hinge');
    return tf.mean(tf.relu(tf.sub(1, tf.mul(toHingeLabels(t), p))), -1);
  });
}

/**
 * Hinge loss (Keras `Hinge`, plugin name `hinge`).
 *
 * @example
 * ```ts
 * const loss = new Hinge().call(tf.tensor2d([[1, -1]]), tf.tensor2d([[0.5, 0.5]])); // 1
 * ```
 */
export class Hinge extends LossFunctionWrapper {
  constructor(options: BaseLossOptions = {}) {
    checkOptions(options, BASE_OPTION_TYPES, 'Hinge');
    super(options?.name ?? 'hinge', hinge, reductionOf(options, 'Hinge'));
  }
}
