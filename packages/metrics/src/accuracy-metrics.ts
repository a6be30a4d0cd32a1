import * as tf from '@tensorflow/tfjs';

import { MeanMetricWrapper } from './mean-metric-wrapper.js';
import type { MetricOptions } from './metric.js';

/** Integer labels with the trailing size-1 axis of `[batch, 1]` removed. */
function sparse(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const labels = yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? yTrue.squeeze([yTrue.rank - 1]) : yTrue;
  return labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
}

/** Fraction of predictions equal to the labels, element-wise. */
export class Accuracy extends MeanMetricWrapper {
  constructor(options: MetricOptions = {}) {
    super((y, p) => tf.equal(y.toFloat(), p.toFloat()), options, 'accuracy');
  }
}

/** Options of {@link BinaryAccuracy}. */
export interface BinaryAccuracyOptions extends MetricOptions {
  /** Probability above which a prediction counts as 1; default 0.5. */
  threshold?: number;
}

/** Fraction of `yPred > threshold` matching binary labels, averaged over the last axis. */
export class BinaryAccuracy extends MeanMetricWrapper {
  readonly threshold: number;
  constructor(options: BinaryAccuracyOptions = {}) {
    const threshold = options.threshold ?? 0.5;
    super((y, p) => tf.mean(tf.equal(y.toFloat(), tf.greater(p, threshold).toFloat()).toFloat(), -1), options, 'binary_accuracy');
    this.threshold = threshold;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

/** Fraction of examples whose arg-max prediction equals the arg-max of one-hot labels. */
export class CategoricalAccuracy extends MeanMetricWrapper {
  constructor(options: MetricOptions = {}) {
    super((y, p) => tf.equal(tf.argMax(y, -1), tf.argMax(p, -1)), options, 'categorical_accuracy');
  }
}

/** Fraction of examples whose arg-max prediction equals the integer label ([n] or [n, 1]). */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  constructor(options: MetricOptions = {}) {
    super((y, p) => tf.equal(sparse(y, p), tf.argMax(p, -1)), options, 'sparse_categorical_accuracy');
  }
}

/** Options of the top-k accuracies. */
export interface TopKOptions extends MetricOptions {
  /** How many of the highest predictions may contain the label; default 5. */
  k?: number;
}

/** True where `label` is among the `k` largest entries of the last axis of `yPred`. */
function inTopK(yPred: tf.Tensor, label: tf.Tensor, k: number): tf.Tensor {
  const classes = yPred.shape[yPred.rank - 1]!;
  const { indices } = tf.topk(yPred, Math.min(k, classes));
  return tf.any(tf.equal(indices, label.expandDims(-1)), -1);
}

/** Fraction of examples whose one-hot label is among the top-k predictions. */
export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  readonly k: number;
  constructor(options: TopKOptions = {}) {
    const k = options.k ?? 5;
    super((y, p) => inTopK(p, tf.argMax(y, -1), k), options, 'top_k_categorical_accuracy');
    this.k = k;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), k: this.k };
  }
}

/** Fraction of examples whose integer label is among the top-k predictions. */
export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  readonly k: number;
  constructor(options: TopKOptions = {}) {
    const k = options.k ?? 5;
    super((y, p) => inTopK(p, sparse(y, p), k), options, 'sparse_top_k_categorical_accuracy');
    this.k = k;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), k: this.k };
  }
}
