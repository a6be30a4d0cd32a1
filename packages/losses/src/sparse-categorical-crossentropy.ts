import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { EPSILON } from './epsilon.js';
import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, type FromLogitsOptions } from './options.js';
import { toFloat } from './shapes.js';

/**
 * Per-example crossentropy between integer class labels and predicted class
 * probabilities or logits.
 *
 * `yPred` has shape `[...dims, numClasses]`; `yTrue` has shape `[...dims]` or
 * `[...dims, 1]`, so `[batch]`, `[batch, 1]` and sequence labels `[batch, time]`
 * against `[batch, time, vocab]` all work; the result has shape `[...dims]`.
 * Labels may be int32 (the usual case) or whole-valued floats. Probabilities
 * are clipped to `[1e-7, 1 - 1e-7]` and renormalised, as in Keras.
 *
 * Porting note: TensorFlow raises on CPU for a label outside `[0, numClasses)`;
 * checking that here would force a device read on every call, so the loss of
 * such an example is NaN instead (as on TensorFlow's GPU kernels), which shows
 * up in the reported loss rather than training silently on a zero loss.
 *
 * @throws ValueError when the label shape does not match the predictions.
 * @example
 * ```ts
 * sparseCategoricalCrossentropy(tf.tensor1d([1], 'int32'), tf.tensor2d([[0.5, 0.5]])); // [log 2]
 * ```
 */
export function sparseCategoricalCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor, fromLogits = false): tf.Tensor {
  return tf.tidy(() => {
    const labels =
      yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? tf.squeeze(yTrue, [yTrue.rank - 1]) : yTrue;
    const outerShape = yPred.shape.slice(0, -1);
    if (yPred.rank < 1 || !tf.util.arraysEqual(labels.shape, outerShape)) {
      throw new ValueError(
        `sparse_categorical_crossentropy: expected integer labels of shape [${outerShape.join(', ')}] or ` +
          `[${[...outerShape, 1].join(', ')}] for predictions of shape [${yPred.shape.join(', ')}], found ` +
          `[${yTrue.shape.join(', ')}]. For one-hot labels use categorical_crossentropy.`,
      );
    }
    const numClasses = yPred.shape[yPred.rank - 1] ?? 0;
    const pred = toFloat(yPred);
    const logProbs = fromLogits
      ? tf.logSoftmax(pred, -1)
      : tf.logSoftmax(tf.log(tf.clipByValue(pred, EPSILON, 1 - EPSILON)), -1);
    const classIds = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
    // A [..., numClasses] mask instead of tf.oneHot, which refuses a depth below 2.
    const mask = tf.equal(tf.expandDims(classIds, -1), tf.range(0, numClasses, 1, 'int32'));
    const nll = tf.neg(tf.sum(tf.mul(tf.cast(mask, 'float32'), logProbs), -1));
    const inRange = tf.logicalAnd(tf.greaterEqual(classIds, 0), tf.less(classIds, numClasses));
    return tf.where(inRange, nll, tf.fill(nll.shape, Number.NaN));
  });
}

/**
 * Crossentropy for integer class labels (Keras `SparseCategoricalCrossentropy`,
 * plugin name `sparse_categorical_crossentropy`). Labels keep their dtype up to
 * here: int32 labels are used as class ids directly.
 *
 * @example
 * ```ts
 * const scce = new SparseCategoricalCrossentropy({ fromLogits: true });
 * const loss = scce.call(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0, 0], [0, 0]])); // log 2
 * ```
 */
export class SparseCategoricalCrossentropy extends LossFunctionWrapper {
  /** Whether predictions are logits. */
  readonly fromLogits: boolean;

  constructor(options: FromLogitsOptions = {}) {
    checkOptions(options, { ...BASE_OPTION_TYPES, fromLogits: 'boolean' }, 'SparseCategoricalCrossentropy');
    const fromLogits = options?.fromLogits ?? false;
    super(options?.name ?? 'sparse_categorical_crossentropy', (t, p) =>
      sparseCategoricalCrossentropy(t, p, fromLogits),
    );
    this.fromLogits = fromLogits;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}
