import * as tf from '@tensorflow/tfjs';

import { EPSILON } from './epsilon.js';
import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, type BaseLossOptions, reductionOf } from './options.js';
import { alignLabels } from './shapes.js';

/**
 * Per-example Kullback-Leibler divergence `sum(y log(y / p), axis=-1)`, with
 * both distributions clipped to `[1e-7, 1]` as in Keras.
 *
 * @example
 * ```ts
 * klDivergence(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.5, 0.5]])); // [log 2]
 * ```
 */
export function klDivergence(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [labels, pred] = alignLabels(yTrue, yPred, 'kl_divergence');
    const t = tf.clipByValue(labels, EPSILON, 1);
    const p = tf.clipByValue(pred, EPSILON, 1);
    return tf.sum(tf.mul(t, tf.log(tf.div(t, p))), -1);
  });
}

/**
 * Kullback-Leibler divergence (Keras `KLDivergence`, names `kl_divergence` and `kld`).
 *
 * @example
 * ```ts
 * const loss = new KLDivergence().call(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.5, 0.5]])); // log 2
 * ```
 */
export class KLDivergence extends LossFunctionWrapper {
  constructor(options: BaseLossOptions = {}) {
    checkOptions(options, BASE_OPTION_TYPES, 'KLDivergence');
    super(options?.name ?? 'kl_divergence', klDivergence, reductionOf(options, 'KLDivergence'));
  }
}
