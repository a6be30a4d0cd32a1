import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, type BaseLossOptions, reductionOf } from './options.js';
import { alignLabels } from './shapes.js';

/** Options of {@link CosineSimilarity}. */
export interface CosineSimilarityOptions extends BaseLossOptions {
  /** The axis along which the similarity is computed; default -1. */
  axis?: number;
}

/**
 * Per-example negative cosine similarity `-sum(l2normalize(y) * l2normalize(p), axis)`:
 * -1 for vectors pointing the same way, 0 for orthogonal ones (or a zero vector),
 * 1 for opposite ones. Minimising it maximises the similarity, as in Keras.
 *
 * @example
 * ```ts
 * cosineSimilarity(tf.tensor2d([[1, 0]]), tf.tensor2d([[2, 0]])); // [-1]
 * ```
 */
export function cosineSimilarity(yTrue: tf.Tensor, yPred: tf.Tensor, axis = -1): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignLabels(yTrue, yPred, 'cosine_similarity');
    return tf.neg(tf.sum(tf.mul(l2Normalize(t, axis), l2Normalize(p, axis)), axis));
  });
}

/** `x / sqrt(max(sum(x^2, axis), 1e-12))`, TensorFlow's `l2_normalize`. */
function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-12)));
}

/**
 * Negative cosine similarity between labels and predictions (Keras
 * `CosineSimilarity`, plugin name `cosine_similarity`).
 *
 * @throws ValueError when `axis` is not an integer.
 * @example
 * ```ts
 * const loss = new CosineSimilarity().call(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 1]])); // 0
 * ```
 */
export class CosineSimilarity extends LossFunctionWrapper {
  /** The axis the similarity is taken along. */
  readonly axis: number;

  constructor(options: CosineSimilarityOptions = {}) {
    checkOptions(options, { ...BASE_OPTION_TYPES, axis: 'number' }, 'CosineSimilarity');
    const axis = options?.axis ?? -1;
    if (!Number.isInteger(axis)) {
      throw new ValueError(`CosineSimilarity: axis must be an integer, found ${axis}. Use e.g. { axis: -1 }.`);
    }
    super(options?.name ?? 'cosine_similarity', (t, p) => cosineSimilarity(t, p, axis), reductionOf(options, 'CosineSimilarity'));
    this.axis = axis;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
