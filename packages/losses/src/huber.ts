import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, type BaseLossOptions, reductionOf } from './options.js';
import { alignLabels } from './shapes.js';

/** Options of {@link Huber}. */
export interface HuberOptions extends BaseLossOptions {
  /** Where the loss turns from quadratic to linear; a positive number, default 1. */
  delta?: number;
}

/**
 * Per-example Huber loss with error `e = yPred - yTrue`:
 * `mean(|e| <= delta ? e^2 / 2 : delta * |e| - delta^2 / 2, axis=-1)`.
 *
 * @example
 * ```ts
 * huber(tf.tensor2d([[0, 0]]), tf.tensor2d([[0.5, 3]])); // [(0.125 + 2.5) / 2] = [1.3125]
 * ```
 */
export function huber(yTrue: tf.Tensor, yPred: tf.Tensor, delta = 1): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignLabels(yTrue, yPred, 'huber');
    const error = tf.sub(p, t);
    const absError = tf.abs(error);
    const quadratic = tf.mul(tf.square(error), 0.5);
    const linear = tf.sub(tf.mul(absError, delta), 0.5 * delta * delta);
    return tf.mean(tf.where(tf.lessEqual(absError, delta), quadratic, linear), -1);
  });
}

/**
 * Huber loss (Keras `Huber`, plugin name `huber`), quadratic for small errors
 * and linear for large ones.
 *
 * @throws ValueError when `delta` is not a positive finite number.
 * @example
 * ```ts
 * const loss = new Huber({ delta: 1 }).call(tf.tensor2d([[0, 0]]), tf.tensor2d([[0.5, 3]])); // 1.3125
 * ```
 */
export class Huber extends LossFunctionWrapper {
  /** The switch point between the quadratic and the linear part. */
  readonly delta: number;

  constructor(options: HuberOptions = {}) {
    checkOptions(options, { ...BASE_OPTION_TYPES, delta: 'number' }, 'Huber');
    const delta = options?.delta ?? 1;
    if (!(Number.isFinite(delta) && delta > 0)) {
      throw new ValueError(`Huber: delta must be a positive finite number, found ${delta}. Use e.g. { delta: 1 }.`);
    }
    super(options?.name ?? 'huber', (t, p) => huber(t, p, delta), reductionOf(options, 'Huber'));
    this.delta = delta;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), delta: this.delta };
  }
}
