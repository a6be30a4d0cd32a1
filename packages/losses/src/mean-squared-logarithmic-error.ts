import * as tf from '@tensorflow/tfjs';

import { EPSILON } from './epsilon.js';
import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, type BaseLossOptions, reductionOf } from './options.js';
import { alignLabels } from './shapes.js';

/**
 * Per-example mean squared logarithmic error,
 * `mean((log(max(yPred, 1e-7) + 1) - log(max(yTrue, 1e-7) + 1))^2, axis=-1)`.
 *
 * @example
 * ```ts
 * meanSquaredLogarithmicError(tf.tensor2d([[0]]), tf.tensor2d([[Math.E - 1]])); // [1]
 * ```
 */
export function meanSquaredLogarithmicError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignLabels(yTrue, yPred, 'mean_squared_logarithmic_error');
    const logPred = tf.log1p(tf.maximum(p, EPSILON));
    const logTrue = tf.log1p(tf.maximum(t, EPSILON));
    return tf.mean(tf.squaredDifference(logPred, logTrue), -1);
  });
}

/**
 * Mean squared logarithmic error (Keras `MeanSquaredLogarithmicError`, alias `msle`).
 *
 * @example
 * ```ts
 * const loss = new MeanSquaredLogarithmicError().call(tf.tensor2d([[0]]), tf.tensor2d([[Math.E - 1]])); // 1
 * ```
 */
export class MeanSquaredLogarithmicError extends LossFunctionWrapper {
  constructor(options: BaseLossOptions = {}) {
    checkOptions(options, BASE_OPTION_TYPES, 'MeanSquaredLogarithmicError');
    super(options?.name ?? 'mean_squared_logarithmic_error', meanSquaredLogarithmicError, reductionOf(options, 'MeanSquaredLogarithmicError'));
  }
}
