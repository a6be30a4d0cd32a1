/**
 * Generalized cross entropy: Zhang, Sabuncu, "Generalized Cross Entropy Loss
 * for Training Deep Neural Networks with Noisy Labels", NeurIPS 2018
 * (arXiv:1805.07836), as Keras 3's `keras.losses.CategoricalGeneralizedCrossEntropy`
 * computes it.
 */
import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, reductionOf, type BaseLossOptions } from './options.js';
import { toFloat } from './shapes.js';

/** Options of {@link CategoricalGeneralizedCrossEntropy}. */
export interface CategoricalGeneralizedCrossEntropyOptions extends BaseLossOptions {
  /** The noise parameter in (0, 1): towards 0 the loss behaves like crossentropy, towards 1 like MAE. Default 0.5. */
  q?: number;
}

/**
 * Per-example generalized cross entropy `(1 - p^q) / q`, with `p` the predicted
 * probability of the true class. Labels are integer class ids (`[...dims]` or
 * `[...dims, 1]`) for probabilities `[...dims, classes]`, as in Keras.
 *
 * @throws ValueError when the label shape does not match the predictions.
 * @example
 * ```ts
 * // (1 - sqrt(0.8)) / 0.5 = 0.2111
 * categoricalGeneralizedCrossEntropy(tf.tensor1d([1], 'int32'), tf.tensor2d([[0.2, 0.8]]), 0.5);
 * ```
 */
export function categoricalGeneralizedCrossEntropy(yTrue: tf.Tensor, yPred: tf.Tensor, q = 0.5): tf.Tensor {
  return tf.tidy(() => {
    const labels = yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? tf.squeeze(yTrue, [yTrue.rank - 1]) : yTrue;
    const outerShape = yPred.shape.slice(0, -1);
    if (yPred.rank < 1 || !tf.util.arraysEqual(labels.shape, outerShape)) {
      throw new ValueError(
        `categorical_generalized_cross_entropy: expected integer labels of shape [${outerShape.join(', ')}] or ` +
          `[${[...outerShape, 1].join(', ')}] for predictions of shape [${yPred.shape.join(', ')}], found [${yTrue.shape.join(', ')}].`,
      );
    }
    const numClasses = yPred.shape[yPred.rank - 1] ?? 0;
    const classIds = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
    const mask = tf.cast(tf.equal(tf.expandDims(classIds, -1), tf.range(0, numClasses, 1, 'int32')), 'float32');
    const p = tf.sum(tf.mul(toFloat(yPred), mask), -1);
    return tf.div(tf.sub(1, tf.pow(p, q)), q);
  });
}

/**
 * Noise-robust crossentropy for integer labels (Keras
 * `CategoricalGeneralizedCrossEntropy`, plugin name `categorical_generalized_cross_entropy`).
 *
 * @throws ValueError when `q` is not in (0, 1).
 * @example
 * ```ts
 * const gce = new CategoricalGeneralizedCrossEntropy({ q: 0.5 });
 * gce.call(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0.7, 0.3], [0.2, 0.8]]));
 * ```
 */
export class CategoricalGeneralizedCrossEntropy extends LossFunctionWrapper {
  readonly q: number;

  constructor(options: CategoricalGeneralizedCrossEntropyOptions = {}) {
    checkOptions(options, { ...BASE_OPTION_TYPES, q: 'number' }, 'CategoricalGeneralizedCrossEntropy');
    const q = options?.q ?? 0.5;
    if (!(q > 0 && q < 1)) {
      throw new ValueError(`CategoricalGeneralizedCrossEntropy: q must lie in the open interval (0, 1), found ${q}. Use e.g. { q: 0.5 }.`);
    }
    super(
      options?.name ?? 'categorical_generalized_cross_entropy',
      (t, p) => categoricalGeneralizedCrossEntropy(t, p, q),
      reductionOf(options, 'CategoricalGeneralizedCrossEntropy'),
    );
    this.q = q;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), q: this.q };
  }
}
