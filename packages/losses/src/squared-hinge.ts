import * as tf from '@tensorflow/tfjs';

import { toHingeLabels } from './hinge.js';
import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, type BaseLossOptions, reductionOf } from './options.js';
import { alignLabels } from './shapes.js';

/**
 * Per-example squared hinge loss `mean(max(1 - y p, 0)^2, axis=-1)` with labels
 * -1/1 (0/1 labels are converted as in {@link hinge}).
 *
 * @example
 * ```ts
 * squaredHinge(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.5, 0.5]])); // [(0.25 + 2.25) / 2] = [1.25]
 * ```
 */
export function squaredHinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignLabels(yTrue, yPred, 'squared_hinge');
    return tf.mean(tf.square(tf.relu(tf.sub(1, tf.mul(toHingeLabels(t), p)))), -1);
  });
}

/**
 * Squared hinge loss (Keras `SquaredHinge`, plugin name `squared_hinge`).
 *
 * @example
 * ```ts
 * const loss = new SquaredHinge().call(tf.tensor2d([[1, -1]]), tf.tensor2d([[0.5, 0.5]])); // 1.25
 * ```
 */
export class SquaredHinge extends LossFunctionWrapper {
  constructor(options: BaseLossOptions = {}) {
    checkOptions(options, BASE_OPTION_TYPES, 'SquaredHinge');
    super(options?.name ?? 'squared_hinge', squaredHinge, reductionOf(options, 'SquaredHinge'));
  }
}
