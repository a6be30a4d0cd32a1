import * as tf from '@tensorflow/tfjs';

import type { LossFunctionWrapper } from '../loss-function-wrapper.js';

/**
 * `loss.compute` on plain arrays, as plain numbers (the per-example losses for
 * reduction `none`); every tensor made here is disposed.
 */
export function computeLoss(
  loss: LossFunctionWrapper,
  y: tf.TensorLike,
  p: tf.TensorLike,
  w?: tf.TensorLike,
  labelDtype: 'float32' | 'int32' = 'float32',
): number[] {
  return tf.tidy(() =>
    Array.from(loss.compute(tf.tensor(y, undefined, labelDtype), tf.tensor(p), w === undefined ? undefined : tf.tensor(w)).dataSync()),
  );
}
