import * as tf from '@tensorflow/tfjs';

import { EPSILON, KerasLoss, type LossOptions } from './keras-loss.js';

/**
 * `mean(square(yPred - yTrue), axis=-1)`, then the mean over the batch.
 * @example
 * ```ts
 * new MeanSquaredError().call(tf.tensor2d([[0], [1]]), tf.tensor2d([[1], [1]])).dataSync(); // [0.5]
 * ```
 */
export class MeanSquaredError extends KerasLoss {
  constructor(options: LossOptions = {}) {
    super('mean_squared_error', options);
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.mean(tf.squaredDifference(yPred, yTrue.toFloat()), -1);
  }
}

/** `mean(abs(yPred - yTrue), axis=-1)`. */
export class MeanAbsoluteError extends KerasLoss {
  constructor(options: LossOptions = {}) {
    super('mean_absolute_error', options);
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.mean(tf.abs(tf.sub(yPred, yTrue.toFloat())), -1);
  }
}

/** `100 * mean(abs((yTrue - yPred) / max(abs(yTrue), eps)), axis=-1)`. */
export class MeanAbsolutePercentageError extends KerasLoss {
  constructor(options: LossOptions = {}) {
    super('mean_absolute_percentage_error', options);
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const y = yTrue.toFloat();
    const diff = tf.abs(tf.div(tf.sub(y, yPred), tf.maximum(tf.abs(y), EPSILON)));
    return tf.mul(100, tf.mean(diff, -1));
  }
}

/** `mean(square(log(max(yPred, eps) + 1) - log(max(yTrue, eps) + 1)), axis=-1)`. */
export class MeanSquaredLogarithmicError extends KerasLoss {
  constructor(options: LossOptions = {}) {
    super('mean_squared_logarithmic_error', options);
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const first = tf.log1p(tf.maximum(yPred, EPSILON));
    const second = tf.log1p(tf.maximum(yTrue.toFloat(), EPSILON));
    return tf.mean(tf.squaredDifference(first, second), -1);
  }
}

/** Options of {@link Huber}. */
export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear; default 1. */
  delta?: number;
}

/** Quadratic for `|error| <= delta`, linear beyond: `0.5 e²` or `delta (|e| - 0.5 delta)`. */
export class Huber extends KerasLoss {
  readonly delta: number;
  constructor(options: HuberOptions = {}) {
    super('huber_loss', options);
    this.delta = options.delta ?? 1;
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const abs = tf.abs(tf.sub(yPred, yTrue.toFloat()));
    const quadratic = tf.mul(0.5, tf.square(abs));
    const linear = tf.sub(tf.mul(this.delta, abs), 0.5 * this.delta * this.delta);
    return tf.mean(tf.where(tf.lessEqual(abs, this.delta), quadratic, linear), -1);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), delta: this.delta };
  }
}

/** `mean(log(cosh(yPred - yTrue)), axis=-1)`, computed stably as `x + softplus(-2x) - log 2`. */
export class LogCosh extends KerasLoss {
  constructor(options: LossOptions = {}) {
    super('log_cosh', options);
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const x = tf.sub(yPred, yTrue.toFloat());
    return tf.mean(tf.sub(tf.add(x, tf.softplus(tf.mul(-2, x))), Math.LN2), -1);
  }
}

/** Negative cosine similarity along the last axis: `-sum(l2norm(yTrue) * l2norm(yPred), -1)`. */
export class CosineSimilarity extends KerasLoss {
  constructor(options: LossOptions = {}) {
    super('cosine_similarity', options);
  }
  protected perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const a = l2Normalize(yTrue.toFloat());
    const b = l2Normalize(yPred);
    return tf.neg(tf.sum(tf.mul(a, b), -1));
  }
}

function l2Normalize(x: tf.Tensor): tf.Tensor {
  // tf.math.l2_normalize: x / sqrt(max(sum(x²), 1e-12)).
  return tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), -1, true), 1e-12)));
}
