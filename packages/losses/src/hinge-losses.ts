import * as tf from '@tensorflow/tfjs';

import { KerasLoss, type LossOptions } from './keras-loss.js';

/**
 * Labels in {0, 1} are turned into {-1, 1}, as Keras does; labels already in
 * {-1, 1} are kept.
 */
function signedLabels(yTrue: tf.Tensor): tf.Tensor {
  const y = yTrue.toFloat();
  const isBinary = tf.all(tf.logicalOr(tf.equal(y, 0), tf.equal(y, 1))).dataSync()[0] === 1;
  return isBinary ? tf.sub(tf.mul(y, 2), 1) : y;
}

/** `mean(max(1 - y * p, 0), axis=-1)` with labels in {-1, 1} (or {0, 1}, converted). */
export class Hinge extends KerasLoss {
  constructor(options: LossOptions = {}) {
    super('hinge', options);
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.mean(tf.relu(tf.sub(1, tf.mul(signedLabels(yTrue), yPred))), -1);
  }
}

/** `mean(square(max(1 - y * p, 0)), axis=-1)`. */
export class SquaredHinge extends KerasLoss {
  constructor(options: LossOptions = {}) {
    super('squared_hinge', options);
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.mean(tf.square(tf.relu(tf.sub(1, tf.mul(signedLabels(yTrue), yPred)))), -1);
  }
}

/** `max(0, max((1 - y) * p) - sum(y * p) + 1)` over one-hot labels. */
export class CategoricalHinge extends KerasLoss {
  constructor(options: LossOptions = {}) {
    super('categorical_hinge', options);
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const y = yTrue.toFloat();
    const pos = tf.sum(tf.mul(y, yPred), -1);
    const neg = tf.max(tf.mul(tf.sub(1, y), yPred), -1);
    return tf.relu(tf.add(tf.sub(neg, pos), 1));
  }
}
