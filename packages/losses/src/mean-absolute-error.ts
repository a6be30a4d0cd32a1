import * as tf from '@tensorflow/tfjs';

import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, type BaseLossOptions, reductionOf } from './options.js';
import { alignLabels } from './shapes.js';

/**
 * Per-example mean absolute error, `mean(|yPred - yTrue|, axis=-1)`.
 *
 * @example
 * ```ts
 * meanAbsoluteError(tf.tensor2d([[0, 1]]), tf.tensor2d([[2, 1]])); // [1]
 * ```
 */
export function meanAbsoluteError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignLabels(yTrue, yPred, 'mean_absolute_error');
    return tf.mean(tf.abs(tf.sub(p, t)), -1);
  });
}

/**
 * Mean of the absolute errors (Keras `MeanAbsoluteError`, alias `mae`).
 *
 * @example
 * ```ts
 * const loss = new MeanAbsoluteError().call(tf.tensor2d([[0, 1]]), tf.tensor2d([[2, 1]])); // 1
 * ```
 */
export class MeanAbsoluteError extends LossFunctionWrapper {
  constructor(options: BaseLossOptions = {}) {
    checkOptions(options, BASE_OPTION_TYPES, 'MeanAbsoluteError');
    super(options?.name ?? 'mean_absolute_error', meanAbsoluteError, reductionOf(options, 'MeanAbsoluteError'));
  }
}
