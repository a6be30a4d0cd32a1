import * as tf from '@tensorflow/tfjs';

import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, type BaseLossOptions, reductionOf } from './options.js';
import { alignLabels } from './shapes.js';

/**
 * Per-example mean squared error, `mean((yPred - yTrue)^2, axis=-1)`
 * (Keras `keras.losses.mean_squared_error`).
 *
 * @example
 * ```ts
 * meanSquaredError(tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 1]])); // [0.5]
 * ```
 */
export function meanSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignLabels(yTrue, yPred, 'mean_squared_error');
    return tf.mean(tf.squaredDifference(p, t), -1);
  });
}

/**
 * Mean of the squared errors (Keras `MeanSquaredError`, alias `mse`).
 *
 * @example
 * ```ts
 * const loss = new MeanSquaredError().call(tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 1]])); // 0.5
 * ```
 */
export class MeanSquaredError extends LossFunctionWrapper {
  constructor(options: BaseLossOptions = {}) {
    checkOptions(options, BASE_OPTION_TYPES, 'MeanSquaredError');
    super(options?.name ?? 'mean_squared_error', meanSquaredError, reductionOf(options, 'MeanSquaredError'));
  }
}
