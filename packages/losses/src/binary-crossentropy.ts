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
import { alignLabels, canonicalAxis } from './shapes.js';

/**
 * Per-example binary crossentropy, averaged over the last axis.
 *
 * With probabilities (`fromLogits` false) they are first clipped to
 * `[1e-7, 1 - 1e-7]`, as Keras does: `-(y log p + (1 - y) log(1 - p))`. With
 * logits the stable form `max(x, 0) - x y + log(1 + exp(-|x|))` is used. Label
 * smoothing moves the labels towards 0.5: `y (1 - s) + s / 2`.
 *
 * @example
 * ```ts
 * binaryCrossentropy(tf.tensor2d([[1]]), tf.tensor2d([[0.5]])); // [log 2] = [0.6931]
 * ```
 */
export function binaryCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  fromLogits = false,
  labelSmoothing = 0,
  axis = -1,
): tf.Tensor {
  return tf.tidy(() => {
    const [labels, pred] = alignLabels(yTrue, yPred, 'binary_crossentropy');
    const t = labelSmoothing > 0 ? tf.add(tf.mul(labels, 1 - labelSmoothing), 0.5 * labelSmoothing) : labels;
    let perElement: tf.Tensor;
    if (fromLogits) {
      perElement = tf.add(tf.sub(tf.relu(pred), tf.mul(pred, t)), tf.softplus(tf.neg(tf.abs(pred))));
    } else {
      const p = tf.clipByValue(pred, EPSILON, 1 - EPSILON);
      perElement = tf.neg(tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p)))));
    }
    return tf.mean(perElement, canonicalAxis(axis, perElement.rank, 'binary_crossentropy'));
  });
}

/**
 * Crossentropy between binary labels and predicted probabilities or logits
 * (Keras `BinaryCrossentropy`, plugin name `binary_crossentropy`).
 *
 * @example
 * ```ts
 * const bce = new BinaryCrossentropy({ fromLogits: true });
 * const loss = bce.call(tf.tensor2d([[1], [0]]), tf.tensor2d([[0], [0]])); // log 2
 * ```
 */
export class BinaryCrossentropy extends LossFunctionWrapper {
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
      'BinaryCrossentropy',
    );
    const fromLogits = options?.fromLogits ?? false;
    const labelSmoothing = labelSmoothingOf(options, 'BinaryCrossentropy');
    const axis = axisOf(options, 'BinaryCrossentropy');
    super(
      options?.name ?? 'binary_crossentropy',
      (t, p) => binaryCrossentropy(t, p, fromLogits, labelSmoothing, axis),
      reductionOf(options, 'BinaryCrossentropy'),
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
