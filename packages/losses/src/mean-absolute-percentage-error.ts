import * as tf from '@tensorflow/tfjs';

import { EPSILON } from './epsilon.js';
import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, type BaseLossOptions, reductionOf } from './options.js';
import { alignLabels } from './shapes.js';

/**
 * Per-example mean absolute percentage error,
 * `100 * mean(|yTrue - yPred| / max(|yTrue|, 1e-7), axis=-1)`.
 *
 * @example
 * ```ts
 * meanAbsolutePercentageError(tf.tensor2d([[2, 4]]), tf.tensor2d([[1, 4]])); // [25]
 * ```
 */
export function meanAbsolutePercentageError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignLabels(yTrue, yPred, 'mean_absolute_percentage_error');
    const ratio = tf.abs(tf.div(tf.sub(t, p), tf.maximum(tf.abs(t), EPSILON)));
    return tf.mul(tf.mean(ratio, -1), 100);
  });
}

/**
 * Mean absolute percentage error (Keras `MeanAbsolutePercentageError`, alias `mape`).
 *
 * @example
 * ```ts
 * const loss = new MeanAbsolutePercentageError().call(tf.tensor2d([[2, 4]]), tf.tensor2d([[1, 4]])); // 25
 * ```
 */
export class MeanAbsolutePercentageError extends LossFunctionWrapper {
  constructor(options: BaseLossOptions = {}) {
    checkOptions(options, BASE_OPTION_TYPES, 'MeanAbsolutePercentageError');
    super(options?.name ?? 'mean_absolute_percentage_error', meanAbsolutePercentageError, reductionOf(options, 'MeanAbsolutePercentageError'));
  }
}
