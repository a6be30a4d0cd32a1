import * as tf from '@tensorflow/tfjs';

/**
 * Keras's default reduction, `SUM_OVER_BATCH_SIZE`: per-example losses times
 * their sample weights, summed, divided by the number of per-example elements
 * (weighted or not, as Keras does).
 */
export function reduceSumOverBatchSize(perExample: tf.Tensor, sampleWeight?: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const losses = perExample.toFloat();
    if (sampleWeight === undefined) return tf.mean(losses) as tf.Scalar;
    let w = sampleWeight.toFloat();
    // A [batch, 1] weight for [batch] losses (Keras squeezes it the same way).
    if (w.rank === losses.rank + 1 && w.shape[w.rank - 1] === 1) w = w.squeeze([w.rank - 1]);
    const weighted = tf.mul(losses, w);
    return tf.div(tf.sum(weighted), tf.scalar(Math.max(losses.size, 1))) as tf.Scalar;
  });
}
