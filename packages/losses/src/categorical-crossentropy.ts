import * as tf from '@tensorflow/tfjs';

import { EPSILON } from './epsilon.js';
import { LossFunctionWrapper } from './loss-function-wrapper.js';
import {
  BASE_OPTION_TYPES,
  axisOf,
  checkOptions,
  labelSmoothingOf,
  reductionOf,
  type SmoothedCrossentropyOptions,
} from './options.js';
import { alignLabels, moveAxisToLast } from './shapes.js';

/**
 * Per-example categorical crossentropy over the last axis, for one-hot (or
 * soft) labels.
 *
 * With probabilities (`fromLogits` false) they are renormalised to sum to 1 and
 * clipped to `[1e-7, 1 - 1e-7]`, as Keras does; with logits a log-softmax is
 * used. Label smoothing mixes the labels with the uniform distribution:
 * `y (1 - s) + s / numClasses`.
 *
 * @example
 * ```ts
 * categoricalCrossentropy(tf.tensor2d([[0, 1]]), tf.tensor2d([[0.5, 0.5]])); // [log 2]
 * ```
 */
export function categoricalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  fromLogits = false,
  labelSmoothing = 0,
  axis = -1,
): tf.Tensor {
  return tf.tidy(() => {
    const [aligned, alignedPred] = alignLabels(yTrue, yPred, 'categorical_crossentropy');
    const labels = moveAxisToLast(aligned, axis, 'categorical_crossentropy');
    const pred = moveAxisToLast(alignedPred, axis, 'categorical_crossentropy');
    const numClasses = pred.shape[pred.rank - 1] ?? 1;
    const t = labelSmoothing > 0 ? tf.add(tf.mul(labels, 1 - labelSmoothing), labelSmoothing / numClasses) : labels;
    const logProbs = fromLogits
      ? tf.logSoftmax(pred, -1)
      : tf.log(tf.clipByValue(tf.div(pred, tf.sum(pred, -1, true)), EPSILON, 1 - EPSILON));
    return tf.neg(tf.sum(tf.mul(t, logProbs), -1));
  });
}

/**
 * Crossentropy between one-hot labels and predicted class probabilities or
 * logits (Keras `CategoricalCrossentropy`, plugin name `categorical_crossentropy`).
 * For integer labels use {@link SparseCategoricalCrossentropy}.
 *
 * @example
 * ```ts
 * const cce = new CategoricalCrossentropy({ labelSmoothing: 0.1 });
 * const loss = cce.call(tf.tensor2d([[0, 1]]), tf.tensor2d([[0.2, 0.8]]));
 * ```
 */
export class CategoricalCrossentropy extends LossFunctionWrapper {
  /** Whether predictions are logits. */
  readonly fromLogits: boolean;
  /** Amount of label smoothing in [0, 1]. */
  readonly labelSmoothing: number;
  /** The axis the loss reduces. */
  readonly axis: number;

  constructor(options: SmoothedCrossentropyOptions = {}) {
    checkOptions(
      options,
      { ...BASE_OPTION_TYPES, fromLogits: 'boolean', labelSmoothing: 'number', axis: 'number' },
      'CategoricalCrossentropy',
    );
    const fromLogits = options?.fromLogits ?? false;
    const labelSmoothing = labelSmoothingOf(options, 'CategoricalCrossentropy');
    const axis = axisOf(options, 'CategoricalCrossentropy');
    super(
      options?.name ?? 'categorical_crossentropy',
      (t, p) => categoricalCrossentropy(t, p, fromLogits, labelSmoothing, axis),
      reductionOf(options, 'CategoricalCrossentropy'),
    );
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.axis = axis;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      fromLogits: this.fromLogits,
      labelSmoothing: this.labelSmoothing,
      ...(this.axis === -1 ? {} : { axis: this.axis }),
    };
  }
}
