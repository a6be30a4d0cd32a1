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
  return reduceWeightedValues(losses, sampleWeight, 'sum_over_batch_size') as tf.Scalar;
}

/**
 * Keras 3's loss reductions (`Loss(reduction=...)`): `sum_over_batch_size` (the
 * default; `mean` is its alias) and `sum` as {@link reduceWeightedLoss} describes;
 * `mean_with_sample_weight` divides the weighted sum by the sum of the weights
 * (of the number of elements without weights); `none` returns the weighted
 * per-example losses.
 */
export type LossReduction = 'sum_over_batch_size' | 'mean' | 'sum' | 'mean_with_sample_weight' | 'none';

/** Every accepted {@link LossReduction}. */
export const LOSS_REDUCTIONS: readonly LossReduction[] = ['sum_over_batch_size', 'mean', 'sum', 'mean_with_sample_weight', 'none'];

/**
 * Weighs per-example losses and reduces them (Keras's `reduce_weighted_values`).
 *
 * `mask` (1 keeps an element, 0 drops it; e.g. `ignoreClass` positions) merges
 * into the weights as Keras does: for `sum_over_batch_size`/`mean` the kept
 * elements are scaled by `total / kept`, so the mean runs over kept elements only.
 *
 * @returns a scalar, or the weighted per-example losses for `none`.
 * @throws ValueError when `sampleWeight` would broadcast `losses` to a larger shape.
 * @example
 * ```ts
 * reduceWeightedValues(tf.tensor1d([1, 3]), tf.tensor1d([1, 3]), 'mean_with_sample_weight'); // (1 + 9) / 4 = 2.5
 * ```
 */
export function reduceWeightedValues(
  losses: tf.Tensor,
  sampleWeight: tf.Tensor | undefined,
  reduction: LossReduction,
  mask?: tf.Tensor,
): tf.Tensor {
  return tf.tidy(() => {
    let values = toFloat(losses);
    let weights = sampleWeight === undefined ? undefined : toFloat(sampleWeight);
    if (mask !== undefined) {
      let m = toFloat(mask);
      if (reduction === 'sum_over_batch_size' || reduction === 'mean') {
        const kept = tf.sum(m);
        m = tf.mul(m, tf.where(tf.greater(kept, 0), tf.div(m.size, tf.maximum(kept, 1)), tf.scalar(0)));
      }
      weights = weights === undefined ? m : weightedProduct(...squeezeOrExpandToSameRank(m, weights));
    }
    let weightSum: tf.Tensor | undefined;
    if (weights !== undefined) {
      const [v, w0] = squeezeOrExpandToSameRank(values, weights);
      const w = alignLeadingDims(w0, v);
      const weighted = weightedProduct(v, w);
      if (values.rank > 0 && !tf.util.arraysEqual(weighted.shape, v.shape)) {
        throw new ValueError(
          `sampleWeight of shape [${weights.shape.join(', ')}] does not broadcast to the per-example loss of ` +
            `shape [${losses.shape.join(', ')}]; it would give [${weighted.shape.join(', ')}]. ` +
            `Pass one weight per example ([batch] or [batch, 1]) or a scalar.`,
        );
      }
      // Porting note: Keras divides by sum(sample_weight) as given; the weights broadcast to the
      // losses' shape give the same divisor whenever Keras's shapes match, and a true mean otherwise.
      if (reduction === 'mean_with_sample_weight') weightSum = tf.sum(tf.mul(tf.onesLike(v), w));
      values = weighted;
    }
    if (reduction === 'none') return values;
    const total = tf.sum(values);
    if (reduction === 'sum') return total;
    // The sum of an empty tensor is already 0; dividing by 0 would give NaN (Keras's divide_no_nan).
    if (values.size === 0) return total;
    if (weightSum === undefined) return tf.div(total, values.size);
    return tf.where(tf.equal(weightSum, 0), tf.zerosLike(total), tf.div(total, weightSum));
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
