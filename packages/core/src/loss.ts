import type * as tf from '@tensorflow/tfjs';

/**
 * A loss as a plain function: labels first, predictions second (Keras order),
 * returning a scalar. Labels keep their dtype: an integer-label loss receives
 * int32 labels.
 */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/**
 * A named loss object, the counterpart of `tf.keras.losses.Loss`.
 * Implementations must not leak tensors: everything but the returned scalar is
 * disposed (run the body inside `tf.tidy`).
 */
export interface Loss {
  /** Keras snake_case name, e.g. `mean_squared_error`. */
  readonly name: string;
  /**
   * Computes the loss of one batch.
   * @param sampleWeight optional per-example weights, broadcastable to the per-example loss.
   */
  call(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): tf.Scalar;
  /**
   * Optional: the same loss computed from the logits of a softmax output, for
   * models whose output layer ends in a softmax over the last axis (what Keras
   * does when the output tensor carries `_keras_logits`): the softmax and the
   * log fuse, which is cheaper and avoids clipping the probabilities.
   * Undefined when this loss has no such form.
   */
  fromSoftmaxLogits?(): Loss | undefined;
}
