import * as tf from '@tensorflow/tfjs';
import type { Loss, LossPlugin } from '@fedkit/core';

import { reduceSumOverBatchSize } from './reduce-loss.js';

/**
 * A custom loss body: labels (with their own dtype, never cast for you),
 * predictions and the plugin's config; returns per-example losses (or a
 * scalar, used as is).
 */
export type LossBody = (yTrue: tf.Tensor, yPred: tf.Tensor, config: Record<string, unknown>) => tf.Tensor;

/**
 * Makes a loss plugin from a function, with Keras's sample weighting and
 * `SUM_OVER_BATCH_SIZE` reduction, run inside `tf.tidy`.
 *
 * @example
 * ```ts
 * // Focal loss (Lin et al. 2017) for one-hot labels and probabilities.
 * const focal = defineLoss('focal', (y, p, { gamma = 2 }) => {
 *   const pt = tf.sum(tf.mul(y.toFloat(), p), -1).clipByValue(1e-7, 1);
 *   return tf.mul(tf.pow(tf.sub(1, pt), gamma as number), tf.neg(tf.log(pt)));
 * });
 * registerPlugin(container, LOSS_PLUGIN, focal);
 * const loss = resolveLoss(container, 'focal', { gamma: 1 });
 * ```
 */
export function defineLoss(name: string, body: LossBody): LossPlugin {
  return {
    name,
    create(config: Record<string, unknown> = {}): Loss {
      return {
        name,
        call(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): tf.Scalar {
          return tf.tidy(() => {
            const out = body(yTrue, yPred, config);
            return out.rank === 0 && sampleWeight === undefined ? (out as tf.Scalar) : reduceSumOverBatchSize(out, sampleWeight);
          });
        },
      };
    },
  };
}
