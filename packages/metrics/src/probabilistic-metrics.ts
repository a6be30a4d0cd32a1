import * as tf from '@tensorflow/tfjs';

import { MeanMetricWrapper } from './mean-metric-wrapper.js';
import type { MetricOptions } from './metric.js';

// Porting note: metrics depend on @fedkit/core only (plugin rule), so the crossentropy maths is
// written here rather than taken from @fedkit/losses; both follow Keras's backend formulas.
const EPSILON = 1e-7;

/** Options of the crossentropy metrics. */
export interface CrossentropyMetricOptions extends MetricOptions {
  /** True when predictions are logits; default false. */
  fromLogits?: boolean;
}

function logProbabilities(yPred: tf.Tensor, fromLogits: boolean): tf.Tensor {
  if (fromLogits) return tf.logSoftmax(yPred);
  return tf.log(tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON));
}

/** Mean binary crossentropy (per example averaged over the last axis). */
export class BinaryCrossentropy extends MeanMetricWrapper {
  readonly fromLogits: boolean;
  constructor(options: CrossentropyMetricOptions = {}) {
    const fromLogits = options.fromLogits ?? false;
    super(
      (yTrue, yPred) => {
        const y = yTrue.toFloat();
        if (fromLogits) {
          return tf.mean(tf.add(tf.sub(tf.relu(yPred), tf.mul(yPred, y)), tf.log1p(tf.exp(tf.neg(tf.abs(yPred))))), -1);
        }
        const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
        const ll = tf.add(tf.mul(y, tf.log(tf.add(p, EPSILON))), tf.mul(tf.sub(1, y), tf.log(tf.add(tf.sub(1, p), EPSILON))));
        return tf.neg(tf.mean(ll, -1));
      },
      options,
      'binary_crossentropy',
    );
    this.fromLogits = fromLogits;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}

/** Mean categorical crossentropy over one-hot labels. */
export class CategoricalCrossentropy extends MeanMetricWrapper {
  readonly fromLogits: boolean;
  constructor(options: CrossentropyMetricOptions = {}) {
    const fromLogits = options.fromLogits ?? false;
    super((y, p) => tf.neg(tf.sum(tf.mul(y.toFloat(), logProbabilities(p, fromLogits)), -1)), options, 'categorical_crossentropy');
    this.fromLogits = fromLogits;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}

/** Mean crossentropy with integer labels ([n] or [n, 1]). */
export class SparseCategoricalCrossentropy extends MeanMetricWrapper {
  readonly fromLogits: boolean;
  constructor(options: CrossentropyMetricOptions = {}) {
    const fromLogits = options.fromLogits ?? false;
    super(
      (yTrue, yPred) => {
        let labels = yTrue;
        if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1) labels = labels.squeeze([labels.rank - 1]);
        const oneHot = tf.oneHot(labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32'), yPred.shape[yPred.rank - 1]!);
        return tf.neg(tf.sum(tf.mul(oneHot.toFloat(), logProbabilities(yPred, fromLogits)), -1));
      },
      options,
      'sparse_categorical_crossentropy',
    );
    this.fromLogits = fromLogits;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}
