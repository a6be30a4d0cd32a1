import * as tf from '@tensorflow/tfjs';

import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, type BaseLossOptions, reductionOf } from './options.js';
import { alignLabels } from './shapes.js';

/**
 * Per-example `mean(log(cosh(yPred - yTrue)), axis=-1)`, computed as
 * `x + softplus(-2x) - log(2)` so that large errors do not overflow `cosh`.
 *
 * @example
 * ```ts
 * logCosh(tf.tensor2d([[0]]), tf.tensor2d([[1]])); // [log(cosh(1))] = [0.4338]
 * ```
 */
export function logCosh(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignLabels(yTrue, yPred, 'log_cosh');
    const x = tf.sub(p, t);
    return tf.mean(tf.sub(tf.add(x, tf.softplus(tf.mul(x, -2))), Math.LN2), -1);
  });
}

/**
 * Logarithm of the hyperbolic cosine of the error (Keras `LogCosh`, names
 * `log_cosh` and `logcosh`).
 *
 * @example
 * ```ts
 * const loss = new LogCosh().call(tf.tensor2d([[0]]), tf.tensor2d([[1]])); // 0.4338
 * ```
 */
export class LogCosh extends LossFunctionWrapper {
  constructor(options: BaseLossOptions = {}) {
    checkOptions(options, BASE_OPTION_TYPES, 'LogCosh');
    super(options?.name ?? 'log_cosh', logCosh, reductionOf(options, 'LogCosh'));
  }
}
