import * as tf from '@tensorflow/tfjs';

import { EPSILON } from './epsilon.js';
import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, type BaseLossOptions, reductionOf } from './options.js';
import { alignLabels } from './shapes.js';

/**
 * Per-example Poisson loss `mean(p - y log(p + 1e-7), axis=-1)`, for predicted
 * rates `p` of observed counts `y`.
 *
 * @example
 * ```ts
 * poisson(tf.tensor2d([[0]]), tf.tensor2d([[2]])); // [2]
 * ```
 */
export function poisson(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignLabels(yTrue, yPred, 'poisson');
    return tf.mean(tf.sub(p, tf.mul(t, tf.log(tf.add(p, EPSILON)))), -1);
  });
}

/**
 * Poisson loss (Keras `Poisson`, plugin name `poisson`).
 *
 * @example
 * ```ts
 * const loss = new Poisson().call(tf.tensor2d([[0]]), tf.tensor2d([[2]])); // 2
 * ```
 */
export class Poisson extends LossFunctionWrapper {
  constructor(options: BaseLossOptions = {}) {
    checkOptions(options, BASE_OPTION_TYPES, 'Poisson');
    super(options?.name ?? 'poisson', poisson, reductionOf(options, 'Poisson'));
  }
}
