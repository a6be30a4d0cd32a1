import * as tf from '@tensorflow/tfjs';
import { checkLabelRange, type LabelRangeError } from '@fedkit/core';

/**
 * Keras's `squeeze_or_expand_to_same_rank`: when the ranks differ by one, the
 * higher-rank tensor loses a trailing size-1 axis, or else the lower-rank one
 * gains one. So labels `[n]` and predictions `[n, 1]` compare example by example
 * instead of broadcasting to `[n, n]`. Call inside `tf.tidy`.
 */
export function squeezeOrExpandToSameRank(a: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  if (a.rank === b.rank + 1) {
    return a.shape[a.rank - 1] === 1 ? [a.squeeze([a.rank - 1]), b] : [a, b.expandDims(-1)];
  }
  if (b.rank === a.rank + 1) {
    return b.shape[b.rank - 1] === 1 ? [a, b.squeeze([b.rank - 1])] : [a.expandDims(-1), b];
  }
  return [a, b];
}

/**
 * Per-example values from element-wise ones: the mean over the last axis for
 * inputs of rank 2 or more (Keras's `axis=-1` reduction).
 *
 * Porting note: Keras also reduces rank-1 inputs `[n]` to one scalar per batch,
 * which makes the metric depend on how the data is batched (and so breaks the
 * federated contract); here each element of a rank-1 input is one example, as
 * in Keras's documented `update_state([1, 1, 0, 0], [0.98, 1, 0, 0.6])` examples.
 */
export function meanLastAxis(values: tf.Tensor): tf.Tensor {
  return values.rank >= 2 ? tf.mean(values, -1) : values;
}

/**
 * Integer class labels for sparse metrics: `[..., 1]` labels of the same rank as
 * the predictions lose their last axis; float labels are cast to int32.
 * Call inside `tf.tidy`.
 *
 * Porting note: Keras scores a label outside `[0, classes)` as a miss (accuracy)
 * or against a zero one-hot row (crossentropy), silently; here such a label
 * throws {@link LabelRangeError} (`checkLabelRange`: on the cpu and wasm
 * backends, with no added kernel; skipped on GPU backends).
 *
 * @param metricName starts the error message, e.g. `'sparse_categorical_accuracy'`.
 * @throws LabelRangeError for a label outside `[0, classes)`, where `classes` is the predictions' last dimension.
 */
export function sparseLabels(yTrue: tf.Tensor, yPred: tf.Tensor, metricName = 'sparse metric'): tf.Tensor {
  const labels = yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? yTrue.squeeze([yTrue.rank - 1]) : yTrue;
  checkLabelRange(labels, yPred.shape[yPred.rank - 1] ?? 0, metricName);
  return labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
}

/** Float32 view of a tensor (labels may be int32 or bool). Call inside `tf.tidy`. */
export function toFloat(t: tf.Tensor): tf.Tensor {
  return t.dtype === 'float32' ? t : tf.cast(t, 'float32');
}
