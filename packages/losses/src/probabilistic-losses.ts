import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { EPSILON, KerasLoss, type LossOptions } from './keras-loss.js';

/** Options of the crossentropy losses. */
export interface CrossentropyOptions extends LossOptions {
  /** True when predictions are logits rather than probabilities; default false. */
  fromLogits?: boolean;
  /** Squeezes labels towards 0.5 (binary) or 1/numClasses (categorical); default 0. */
  labelSmoothing?: number;
}

/**
 * Binary crossentropy, averaged over the last axis. Probabilities are clipped
 * to [eps, 1 - eps] as in Keras; with `fromLogits` the stable
 * `max(x, 0) - x z + log(1 + exp(-|x|))` form is used.
 * @example
 * ```ts
 * new BinaryCrossentropy({ fromLogits: true }).call(tf.tensor2d([[1]]), tf.tensor2d([[0]])); // ln 2
 * ```
 */
export class BinaryCrossentropy extends KerasLoss {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(options: CrossentropyOptions = {}) {
    super('binary_crossentropy', options);
    this.fromLogits = options.fromLogits ?? false;
    this.labelSmoothing = checkSmoothing(options.labelSmoothing ?? 0);
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    let y = yTrue.toFloat();
    if (this.labelSmoothing > 0) y = tf.add(tf.mul(y, 1 - this.labelSmoothing), 0.5 * this.labelSmoothing);
    if (this.fromLogits) {
      const x = yPred;
      const ce = tf.add(tf.sub(tf.relu(x), tf.mul(x, y)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
      return tf.mean(ce, -1);
    }
    const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
    const ce = tf.add(tf.mul(y, tf.log(tf.add(p, EPSILON))), tf.mul(tf.sub(1, y), tf.log(tf.add(tf.sub(1, p), EPSILON))));
    return tf.mean(tf.neg(ce), -1);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

/**
 * Categorical crossentropy over one-hot labels. Probabilities are renormalized
 * to sum to 1 and clipped to [eps, 1 - eps] as in Keras.
 */
export class CategoricalCrossentropy extends KerasLoss {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(options: CrossentropyOptions = {}) {
    super('categorical_crossentropy', options);
    this.fromLogits = options.fromLogits ?? false;
    this.labelSmoothing = checkSmoothing(options.labelSmoothing ?? 0);
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    let y = yTrue.toFloat();
    if (this.labelSmoothing > 0) {
      const classes = yPred.shape[yPred.rank - 1]!;
      y = tf.add(tf.mul(y, 1 - this.labelSmoothing), this.labelSmoothing / classes);
    }
    return tf.neg(tf.sum(tf.mul(y, logProbabilities(yPred, this.fromLogits)), -1));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

/**
 * Crossentropy with integer class labels: labels of shape [batch] or [batch, 1]
 * for predictions [batch, classes], and labels [batch, time] (or [batch, time, 1])
 * for predictions [batch, time, classes] as an Embedding→Softmax model makes.
 * Labels may be int32 or float32 holding integers.
 */
export class SparseCategoricalCrossentropy extends KerasLoss {
  readonly fromLogits: boolean;
  constructor(options: Omit<CrossentropyOptions, 'labelSmoothing'> = {}) {
    super('sparse_categorical_crossentropy', options);
    this.fromLogits = options.fromLogits ?? false;
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const classes = yPred.shape[yPred.rank - 1]!;
    const labels = sparseLabels(yTrue, yPred);
    const oneHot = tf.oneHot(labels, classes).toFloat();
    return tf.neg(tf.sum(tf.mul(oneHot, logProbabilities(yPred, this.fromLogits)), -1));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}

/** `sum(y * log(y / p), axis=-1)` with both clipped to [eps, 1]. */
export class KLDivergence extends KerasLoss {
  constructor(options: LossOptions = {}) {
    super('kl_divergence', options);
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const y = tf.clipByValue(yTrue.toFloat(), EPSILON, 1);
    const p = tf.clipByValue(yPred, EPSILON, 1);
    return tf.sum(tf.mul(y, tf.log(tf.div(y, p))), -1);
  }
}

/** `mean(yPred - yTrue * log(yPred + eps), axis=-1)`. */
export class Poisson extends KerasLoss {
  constructor(options: LossOptions = {}) {
    super('poisson', options);
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.mean(tf.sub(yPred, tf.mul(yTrue.toFloat(), tf.log(tf.add(yPred, EPSILON)))), -1);
  }
}

/** Integer class indices of shape `yPred.shape` without its last axis. */
export function sparseLabels(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  let labels = yTrue;
  if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1) labels = labels.squeeze([labels.rank - 1]);
  if (labels.rank !== yPred.rank - 1) {
    throw new ValueError(
      `Sparse labels must have shape [${yPred.shape.slice(0, -1).join(',')}] or [${yPred.shape.slice(0, -1).join(',')},1] ` +
        `for predictions of shape [${yPred.shape.join(',')}], found [${yTrue.shape.join(',')}].`,
    );
  }
  return labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
}

/** log-probabilities: logSoftmax of logits, or log of renormalized, clipped probabilities. */
function logProbabilities(yPred: tf.Tensor, fromLogits: boolean): tf.Tensor {
  if (fromLogits) return tf.logSoftmax(yPred);
  const p = tf.div(yPred, tf.sum(yPred, -1, true));
  return tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON));
}

function checkSmoothing(value: number): number {
  if (!(value >= 0 && value <= 1)) {
    throw new ValueError(`labelSmoothing must be in [0, 1], found ${value}.`);
  }
  return value;
}
