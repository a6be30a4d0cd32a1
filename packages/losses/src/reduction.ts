import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { squeezeOrExpandToSameRank, toFloat } from './shapes.js';

/**
 * Keras's `SUM_OVER_BATCH_SIZE` reduction: multiplies the per-example losses by
 * `sampleWeight` (when given), sums, and divides by the number of per-example
 * loss elements (not by the sum of the weights). A scalar loss is returned as is
 * without weights, and scaled by the mean weight with them. An empty batch gives 0.
 *
 * Porting note: weights whose shape equals the leading dimensions of the loss
 * (`[batch]` weights for `[batch, time]` sequence losses) weigh every position
 * of an example; Keras would align them with the trailing dimensions instead and
 * fail (or, when batch equals time, silently weigh time steps).
 *
 * @param losses per-example losses, e.g. `[batch]` or `[batch, time]`.
 * @param sampleWeight weights broadcastable to `losses` (`[batch]`, `[batch, 1]`, a scalar, ...).
 * @throws ValueError when `sampleWeight` would broadcast `losses` to a larger shape.
 * @example
 * ```ts
 * // (1*1 + 3*0) / 2 = 0.5
 * const loss = reduceWeightedLoss(tf.tensor1d([1, 3]), tf.tensor1d([1, 0]));
 * ```
 */
export function reduceWeightedLoss(losses: tf.Tensor, sampleWeight?: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    let values = toFloat(losses);
    if (sampleWeight !== undefined) {
      const [v, w0] = squeezeOrExpandToSameRank(values, toFloat(sampleWeight));
      const w = alignLeadingDims(w0, v);
      const weighted = weightedProduct(v, w);
      if (values.rank > 0 && !tf.util.arraysEqual(weighted.shape, v.shape)) {
        throw new ValueError(
          `sampleWeight of shape [${sampleWeight.shape.join(', ')}] does not broadcast to the per-example loss of ` +
            `shape [${losses.shape.join(', ')}]; it would give [${weighted.shape.join(', ')}]. ` +
            `Pass one weight per example ([batch] or [batch, 1]) or a scalar.`,
        );
      }
      values = weighted;
    }
    const total = tf.sum(values);
    // The sum of an empty tensor is already 0; dividing by 0 would give NaN.
    return (values.size === 0 ? total : tf.div(total, values.size)) as tf.Scalar;
  });
}

function alignLeadingDims(weights: tf.Tensor, values: tf.Tensor): tf.Tensor {
  if (weights.rank === 0 || weights.rank >= values.rank) return weights;
  if (!tf.util.arraysEqual(weights.shape, values.shape.slice(0, weights.rank))) return weights;
  return tf.reshape(weights, [...weights.shape, ...new Array<number>(values.rank - weights.rank).fill(1)]);
}

function weightedProduct(values: tf.Tensor, weights: tf.Tensor): tf.Tensor {
  try {
    return tf.mul(values, weights);
  } catch (cause) {
    throw new ValueError(
      `sampleWeight of shape [${weights.shape.join(', ')}] does not broadcast to the per-example loss of shape ` +
        `[${values.shape.join(', ')}]. Pass one weight per example ([batch] or [batch, 1]) or a scalar.`,
      { cause },
    );
  }
}
