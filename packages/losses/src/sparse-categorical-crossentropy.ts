import * as tf from '@tensorflow/tfjs';
import { checkLabelRange, ValueError, type LabelRangeError } from '@fedkit/core';

import { EPSILON } from './epsilon.js';
import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, reductionOf, type FromLogitsOptions } from './options.js';
import { canonicalAxis, moveAxisToLast, toFloat } from './shapes.js';
import { sparseSoftmaxCrossEntropyWithLogits } from './sparse-softmax-cross-entropy-with-logits.js';

/** Options of {@link SparseCategoricalCrossentropy}. */
export interface SparseCategoricalCrossentropyOptions extends FromLogitsOptions {
  /**
   * A label value (e.g. -1 or 255, a "void" class in segmentation maps) whose
   * positions get a zero loss and are left out of the mean (Keras's `ignore_class`).
   */
  ignoreClass?: number;
  /** The class axis of the predictions; default -1. */
  axis?: number;
}

/** Labels `[...dims]` (a size-1 class axis squeezed) for predictions with the class axis moved last. */
function squeezeLabels(yTrue: tf.Tensor, yPred: tf.Tensor, axis: number): tf.Tensor {
  if (yTrue.rank !== yPred.rank) return yTrue;
  const a = canonicalAxis(axis, yPred.rank, 'sparse_categorical_crossentropy');
  return yTrue.shape[a] === 1 ? tf.squeeze(yTrue, [a]) : yTrue;
}

/**
 * Per-example crossentropy between integer class labels and predicted class
 * probabilities or logits.
 *
 * `yPred` has shape `[...dims, numClasses]`; `yTrue` has shape `[...dims]` or
 * `[...dims, 1]`, so `[batch]`, `[batch, 1]` and sequence labels `[batch, time]`
 * against `[batch, time, vocab]` all work; the result has shape `[...dims]`.
 * With `axis` the classes lie on that axis of `yPred` instead of the last.
 * Labels may be int32 (the usual case) or whole-valued floats. Probabilities
 * are clipped to `[1e-7, 1 - 1e-7]` and renormalised, as in Keras. Positions
 * whose label is `ignoreClass` get a loss of 0.
 *
 * Porting note: as TensorFlow's CPU kernels, a label outside `[0, numClasses)`
 * throws (a {@link LabelRangeError} naming the label and the range) on the cpu
 * and wasm backends, where the labels are read from host memory with no added
 * kernel (`checkLabelRange`). On GPU backends that read would stall the device
 * every batch, so it is skipped and the loss of such an example is NaN instead
 * (as on TensorFlow's GPU kernels), which shows up in the reported loss.
 *
 * @throws ValueError when the label shape does not match the predictions.
 * @throws LabelRangeError for a label outside `[0, numClasses)` (cpu and wasm backends).
 * @example
 * ```ts
 * sparseCategoricalCrossentropy(tf.tensor1d([1], 'int32'), tf.tensor2d([[0.5, 0.5]])); // [log 2]
 * ```
 */
export function sparseCategoricalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  fromLogits = false,
  ignoreClass?: number,
  axis = -1,
): tf.Tensor {
  return tf.tidy(() => {
    if (yPred.rank < 1) {
      throw new ValueError(`sparse_categorical_crossentropy: expected predictions with a class axis, found a scalar.`);
    }
    const labels = squeezeLabels(yTrue, yPred, axis);
    const pred = toFloat(moveAxisToLast(yPred, axis, 'sparse_categorical_crossentropy'));
    const outerShape = pred.shape.slice(0, -1);
    if (!tf.util.arraysEqual(labels.shape, outerShape)) {
      throw new ValueError(
        `sparse_categorical_crossentropy: expected integer labels of shape [${outerShape.join(', ')}] or ` +
          `[${[...outerShape, 1].join(', ')}] for predictions of shape [${yPred.shape.join(', ')}] (class axis ${axis}), found ` +
          `[${yTrue.shape.join(', ')}]. For one-hot labels use categorical_crossentropy.`,
      );
    }
    const numClasses = pred.shape[pred.rank - 1] ?? 0;
    checkLabelRange(labels, numClasses, 'sparse_categorical_crossentropy', ignoreClass);
    // Probabilities become log-probabilities, which the softmax inside the fused op renormalises (as Keras's
    // `output / sum(output)` does); clipping keeps log finite.
    const logits = fromLogits ? pred : tf.log(tf.clipByValue(pred, EPSILON, 1 - EPSILON));
    let classIds = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
    const valid = ignoreClass === undefined ? undefined : tf.notEqual(classIds, ignoreClass);
    if (valid !== undefined) classIds = tf.where(valid, classIds, tf.zerosLike(classIds));
    const nll = sparseSoftmaxCrossEntropyWithLogits(classIds, logits);
    return valid === undefined ? nll : tf.where(valid, nll, tf.zerosLike(nll));
  });
}

/**
 * Crossentropy for integer class labels (Keras `SparseCategoricalCrossentropy`,
 * plugin name `sparse_categorical_crossentropy`). Labels keep their dtype up to
 * here: int32 labels are used as class ids directly. With `ignoreClass`, the
 * positions holding that label are masked as in Keras: zero loss, and left out
 * of the `sum_over_batch_size` mean.
 *
 * @example
 * ```ts
 * const scce = new SparseCategoricalCrossentropy({ fromLogits: true });
 * const loss = scce.call(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0, 0], [0, 0]])); // log 2
 * // Segmentation with a void label -1: only the second pixel counts.
 * new SparseCategoricalCrossentropy({ ignoreClass: -1 }).call(tf.tensor2d([[-1, 1]], undefined, 'int32'),
 *   tf.tensor3d([[[0.5, 0.5], [0.2, 0.8]]])); // -ln 0.8
 * ```
 */
export class SparseCategoricalCrossentropy extends LossFunctionWrapper {
  /** Whether predictions are logits. */
  readonly fromLogits: boolean;
  /** The label value that is masked out, if any. */
  readonly ignoreClass: number | undefined;
  /** The class axis of the predictions. */
  readonly axis: number;

  constructor(options: SparseCategoricalCrossentropyOptions = {}) {
    checkOptions(
      options,
      { ...BASE_OPTION_TYPES, fromLogits: 'boolean', ignoreClass: 'number', axis: 'number' },
      'SparseCategoricalCrossentropy',
    );
    const fromLogits = options?.fromLogits ?? false;
    const ignoreClass = options?.ignoreClass;
    const axis = options?.axis ?? -1;
    if (ignoreClass !== undefined && !Number.isInteger(ignoreClass)) {
      throw new ValueError(`SparseCategoricalCrossentropy: ignoreClass must be an integer label, found ${ignoreClass}.`);
    }
    if (!Number.isInteger(axis)) {
      throw new ValueError(`SparseCategoricalCrossentropy: axis must be an integer, found ${axis}. Use e.g. { axis: -1 }.`);
    }
    super(
      options?.name ?? 'sparse_categorical_crossentropy',
      (t, p) => sparseCategoricalCrossentropy(t, p, fromLogits, ignoreClass, axis),
      reductionOf(options, 'SparseCategoricalCrossentropy'),
    );
    this.fromLogits = fromLogits;
    this.ignoreClass = ignoreClass;
    this.axis = axis;
  }

  protected override mask(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor | undefined {
    if (this.ignoreClass === undefined) return undefined;
    return tf.notEqual(squeezeLabels(yTrue, yPred, this.axis), this.ignoreClass);
  }

  /**
   * This loss taking the logits of a softmax output (Keras's `_get_logits` in
   * `keras/src/backend/tensorflow/nn.py`): same name, reduction and
   * `ignoreClass`, with `fromLogits`. Undefined when it already takes logits or
   * its class axis is not the last (where a softmax layer normalises).
   */
  fromSoftmaxLogits(): SparseCategoricalCrossentropy | undefined {
    if (this.fromLogits || this.axis !== -1) return undefined;
    return new SparseCategoricalCrossentropy({
      name: this.name,
      fromLogits: true,
      reduction: this.reduction,
      ...(this.ignoreClass === undefined ? {} : { ignoreClass: this.ignoreClass }),
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      fromLogits: this.fromLogits,
      ...(this.ignoreClass === undefined ? {} : { ignoreClass: this.ignoreClass }),
      ...(this.axis === -1 ? {} : { axis: this.axis }),
    };
  }
}
