import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

/**
 * Keras's `squeeze_or_expand_to_same_rank`: when two tensors differ in rank by
 * one and the longer one ends in a dimension of size 1, either squeezes that
 * dimension or, when the shorter one has rank 1, expands the shorter one.
 * Anything else is returned unchanged, so that `[batch]` labels meet
 * `[batch, 1]` predictions without broadcasting to `[batch, batch]`.
 *
 * Call it inside `tf.tidy`: it may create tensors.
 *
 * @example
 * ```ts
 * const [t, p] = squeezeOrExpandToSameRank(tf.tensor1d([1, 2]), tf.tensor2d([[1], [2]])); // both [2, 1]
 * ```
 */
export function squeezeOrExpandToSameRank(a: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  if (a.rank === b.rank) return [a, b];
  if (a.rank === b.rank + 1 && a.shape[a.rank - 1] === 1) {
    return b.rank === 1 ? [a, tf.expandDims(b, -1)] : [tf.squeeze(a, [a.rank - 1]), b];
  }
  if (b.rank === a.rank + 1 && b.shape[b.rank - 1] === 1) {
    return a.rank === 1 ? [tf.expandDims(a, -1), b] : [a, tf.squeeze(b, [b.rank - 1])];
  }
  return [a, b];
}

/**
 * Brings `yTrue` to the rank of `yPred` (see {@link squeezeOrExpandToSameRank}),
 * then requires equal shapes, and returns both as float32.
 *
 * Porting note: Keras lets mismatched shapes broadcast (labels `[b, 1]` against
 * predictions `[b, 3]` silently compare every label with every column); fedkit
 * throws instead, because the broadcast result is never the intended loss.
 *
 * @throws ValueError when the shapes still differ after rank matching.
 */
export function alignLabels(yTrue: tf.Tensor, yPred: tf.Tensor, lossName: string): [tf.Tensor, tf.Tensor] {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  if (!tf.util.arraysEqual(t.shape, p.shape)) {
    throw new ValueError(
      `${lossName}: expected yTrue and yPred of the same shape, found yTrue [${yTrue.shape.join(', ')}] and ` +
        `yPred [${yPred.shape.join(', ')}]. Reshape the labels to the predictions' shape ` +
        `(for integer class labels use sparse_categorical_crossentropy).`,
    );
  }
  return [toFloat(t), toFloat(p)];
}

/** `x` as float32 (a no-op for float32 input). Labels are cast here, inside the loss, never before. */
export function toFloat(x: tf.Tensor): tf.Tensor {
  return x.dtype === 'float32' ? x : tf.cast(x, 'float32');
}

/**
 * `x` with axis `axis` (negative counts from the end) moved to the last place,
 * the other axes keeping their order: how the losses that take a class `axis`
 * (Keras's `axis` option) reuse their last-axis maths. Call inside `tf.tidy`.
 *
 * @throws ValueError when `axis` is not an integer in `[-rank, rank)`.
 */
export function moveAxisToLast(x: tf.Tensor, axis: number, lossName: string): tf.Tensor {
  const a = canonicalAxis(axis, x.rank, lossName);
  if (a === x.rank - 1) return x;
  const perm = [...Array.from({ length: x.rank }, (_, i) => i).filter((i) => i !== a), a];
  return tf.transpose(x, perm);
}

/**
 * `axis` as a non-negative index into a tensor of rank `rank`.
 * @throws ValueError when it is not an integer in `[-rank, rank)`.
 */
export function canonicalAxis(axis: number, rank: number, lossName: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ValueError(`${lossName}: axis must be an integer in [${-rank}, ${rank}) for inputs of rank ${rank}, found ${axis}.`);
  }
  return axis < 0 ? axis + rank : axis;
}
