import * as tf from '@tensorflow/tfjs';
import { ValueError, type HostValues } from '@fedkit/core';

import { KerasMeanMetric } from './mean-metric-wrapper.js';
import type { ConfigKeys, MetricOptions } from './metric.js';
import { sparseLabels, squeezeOrExpandToSameRank, toFloat } from './shapes.js';

/**
 * How often predictions equal labels, element-wise (`tf.keras.metrics.Accuracy`).
 * @example
 * ```ts
 * const m = new Accuracy();
 * m.updateState(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([0, 2, 3, 4]));
 * m.result(); // 0.75
 * ```
 */
export class Accuracy extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super(
      (yTrue, yPred) => {
        const [y, p] = squeezeOrExpandToSameRank(toFloat(yTrue), toFloat(yPred));
        return tf.equal(y, p);
      },
      options,
      {},
      'accuracy',
    );
  }
}

/** Options of {@link BinaryAccuracy}. */
export interface BinaryAccuracyOptions extends MetricOptions {
  /** A prediction above it counts as 1; default 0.5. */
  threshold?: number;
}

/**
 * How often `yPred > threshold` matches 0/1 labels, element-wise
 * (`keras.metrics.BinaryAccuracy`). A `[n]` weight weighs every value of its
 * example; a `[n, d]` weight weighs each value.
 * @example
 * ```ts
 * const m = new BinaryAccuracy();
 * m.updateState(tf.tensor1d([1, 1, 0, 0]), tf.tensor1d([0.98, 1, 0, 0.6]));
 * m.result(); // 0.75
 * ```
 */
export class BinaryAccuracy extends KerasMeanMetric<BinaryAccuracyOptions> {
  static override readonly configKeys: ConfigKeys = ['threshold'];
  readonly threshold: number;
  constructor(options: BinaryAccuracyOptions = {}) {
    const threshold = options.threshold ?? 0.5;
    super(
      (yTrue, yPred) => {
        const [y, p] = squeezeOrExpandToSameRank(toFloat(yTrue), toFloat(yPred));
        // Element-wise, as Keras 3's binary_accuracy: the weighting then sees every value, so
        // [n, d] sample weights weigh each of the d predictions of an example.
        return tf.equal(y, toFloat(tf.greater(p, threshold)));
      },
      options,
      { threshold },
      'binary_accuracy',
    );
    this.threshold = threshold;
  }
}

/**
 * How often the arg-max of the predictions equals the arg-max of one-hot labels
 * (`tf.keras.metrics.CategoricalAccuracy`).
 */
export class CategoricalAccuracy extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super((y, p) => tf.equal(tf.argMax(y, -1), tf.argMax(p, -1)), options, {}, 'categorical_accuracy');
  }
}

/**
 * How often the arg-max of the predictions equals the integer label
 * (`tf.keras.metrics.SparseCategoricalAccuracy`). Labels are `[n]` or `[n, 1]`,
 * int32 or float; predictions may have middle axes (`[n, t, classes]` with
 * labels `[n, t]` or `[n, t, 1]`).
 * @example
 * ```ts
 * const m = new SparseCategoricalAccuracy();
 * m.updateState(tf.tensor1d([2, 1], 'int32'), tf.tensor2d([[0.1, 0.6, 0.3], [0.05, 0.95, 0]]));
 * m.result(); // 0.5
 * ```
 */
export class SparseCategoricalAccuracy extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super((y, p) => tf.equal(sparseLabels(y, p, 'sparse_categorical_accuracy'), tf.argMax(p, -1)), options, {}, 'sparse_categorical_accuracy');
  }

  /**
   * `[matches, examples]` for int32 labels without sample weights: the number of rows whose first
   * largest prediction is the label (tfjs's `argMax`), and the number of rows. Both are whole numbers
   * below 2^24, so float32 holds them exactly, as it holds the sums of ones and zeros `updateState`
   * makes. `undefined` (use `updateState`) for float labels, sample weights, a NaN prediction, a label
   * outside the classes (`updateState` throws the error for it) or shapes that do not match.
   */
  override batchDelta(yTrue: HostValues, yPred: HostValues, sampleWeight?: HostValues): number[] | undefined {
    const classes = yPred.shape[yPred.shape.length - 1];
    if (sampleWeight !== undefined || !(yTrue.values instanceof Int32Array) || !(yPred.values instanceof Float32Array)) return undefined;
    if (classes === undefined || classes === 0 || !labelsFitRows(yTrue.shape, yPred.shape)) return undefined;
    const labels = yTrue.values;
    const p = yPred.values;
    let matches = 0;
    for (let row = 0; row < labels.length; row++) {
      const label = labels[row]!;
      if (!(label >= 0 && label < classes)) return undefined;
      const at = row * classes;
      let best = 0;
      let max = p[at]!;
      for (let c = 0; c < classes; c++) {
        const v = p[at + c]!;
        // A NaN row: left to the kernels, whose argMax decides what it means.
        if (v !== v) return undefined;
        if (v > max) {
          max = v;
          best = c;
        }
      }
      if (best === label) matches += 1;
    }
    return [matches, labels.length];
  }
}

/** True when sparse labels of `labelShape` (`[n, ...]`, or with a trailing 1) give one label per row of predictions of `predShape`. */
function labelsFitRows(labelShape: readonly number[], predShape: readonly number[]): boolean {
  const rows = predShape.slice(0, -1);
  const labels = labelShape.length === predShape.length && labelShape[labelShape.length - 1] === 1 ? labelShape.slice(0, -1) : labelShape;
  return labels.length === rows.length && labels.every((d, i) => d === rows[i]);
}

/** Options of the top-k accuracies. */
export interface TopKOptions extends MetricOptions {
  /** How many of the highest-scored classes may contain the label; default 5. */
  k?: number;
}

/**
 * TensorFlow's `in_top_k`: true where fewer than `k` classes score strictly
 * higher than the label's class, so classes tied at the boundary all count as
 * in the top k. Labels outside `[0, classes)` are never in the top k.
 */
function inTopK(yPred: tf.Tensor, labels: tf.Tensor, k: number): tf.Tensor {
  const classes = yPred.shape[yPred.rank - 1]!;
  const p = toFloat(yPred);
  const labelScore = tf.sum(tf.mul(p, tf.oneHot(labels, classes).toFloat()), -1, true);
  const higher = tf.sum(toFloat(tf.greater(p, labelScore)), -1);
  const valid = tf.logicalAnd(tf.greaterEqual(labels, 0), tf.less(labels, classes));
  return tf.logicalAnd(valid, tf.less(higher, k));
}

function checkK(k: number): number {
  if (!(Number.isInteger(k) && k >= 1)) throw new ValueError(`k must be an integer >= 1, found ${k}.`);
  return k;
}

/** How often the class of a one-hot label is among the `k` highest predictions (`tf.keras.metrics.TopKCategoricalAccuracy`). */
export class TopKCategoricalAccuracy extends KerasMeanMetric<TopKOptions> {
  static override readonly configKeys: ConfigKeys = ['k'];
  readonly k: number;
  constructor(options: TopKOptions = {}) {
    const k = checkK(options.k ?? 5);
    super((y, p) => inTopK(p, tf.argMax(y, -1), k), options, { k }, 'top_k_categorical_accuracy');
    this.k = k;
  }
}

/**
 * How often an integer label (`[n]` or `[n, 1]`) is among the `k` highest
 * predictions (`tf.keras.metrics.SparseTopKCategoricalAccuracy`).
 */
export class SparseTopKCategoricalAccuracy extends KerasMeanMetric<TopKOptions> {
  static override readonly configKeys: ConfigKeys = ['k'];
  readonly k: number;
  constructor(options: TopKOptions = {}) {
    const k = checkK(options.k ?? 5);
    super((y, p) => inTopK(p, sparseLabels(y, p, 'sparse_top_k_categorical_accuracy'), k), options, { k }, 'sparse_top_k_categorical_accuracy');
    this.k = k;
  }
}
