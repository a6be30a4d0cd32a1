import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { KerasMeanMetric } from './mean-metric-wrapper.js';
import type { ConfigKeys, MetricOptions } from './metric.js';
import { meanLastAxis, sparseLabels, squeezeOrExpandToSameRank, toFloat } from './shapes.js';

// Porting note: metrics depend on @fedkit/core only (plugin rule), so the crossentropy maths is
// written here rather than taken from @fedkit/losses; both follow Keras's backend formulas.

/** Keras's fuzz factor `backend.epsilon()`. */
const EPSILON = 1e-7;

/** Options of {@link SparseCategoricalCrossentropy}. */
export interface CrossentropyMetricOptions extends MetricOptions {
  /** True when predictions are logits rather than probabilities; default false. */
  fromLogits?: boolean;
}

/** Options of {@link BinaryCrossentropy} and {@link CategoricalCrossentropy}. */
export interface SmoothedCrossentropyMetricOptions extends CrossentropyMetricOptions {
  /** Keras's `label_smoothing` in [0, 1]: labels move towards the uniform distribution; default 0. */
  labelSmoothing?: number;
}

function checkSmoothing(labelSmoothing: number): number {
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new ValueError(`labelSmoothing must be in [0, 1], found ${labelSmoothing}.`);
  }
  return labelSmoothing;
}

/** Log-probabilities over the last axis: log-softmax of logits, or log of clipped, renormalized probabilities. */
function logProbabilities(yPred: tf.Tensor, fromLogits: boolean): tf.Tensor {
  const p = toFloat(yPred);
  if (fromLogits) return tf.logSoftmax(p);
  return tf.log(tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), EPSILON, 1 - EPSILON));
}

/**
 * Weighted mean over examples of the binary crossentropy averaged over the last
 * axis (`tf.keras.metrics.BinaryCrossentropy`).
 * @example
 * ```ts
 * const m = new BinaryCrossentropy({ fromLogits: true });
 * m.updateState(tf.tensor2d([[1]]), tf.tensor2d([[0]]));
 * m.result(); // ln 2 = 0.6931
 * ```
 */
export class BinaryCrossentropy extends KerasMeanMetric<SmoothedCrossentropyMetricOptions> {
  static override readonly configKeys: ConfigKeys = ['fromLogits', 'labelSmoothing'];
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(options: SmoothedCrossentropyMetricOptions = {}) {
    const fromLogits = options.fromLogits ?? false;
    const labelSmoothing = checkSmoothing(options.labelSmoothing ?? 0);
    super(
      (yTrue, yPred) => {
        let [y, x] = squeezeOrExpandToSameRank(toFloat(yTrue), toFloat(yPred));
        if (labelSmoothing > 0) y = tf.add(tf.mul(y, 1 - labelSmoothing), 0.5 * labelSmoothing);
        if (fromLogits) {
          // max(x, 0) - x·y + log(1 + e^-|x|): the stable form of -[y·log σ(x) + (1 - y)·log(1 - σ(x))].
          return meanLastAxis(tf.add(tf.sub(tf.relu(x), tf.mul(x, y)), tf.log1p(tf.exp(tf.neg(tf.abs(x))))));
        }
        // Keras 3 (and @fedkit/losses): log of the clipped probability. tf.keras 2's log(p + eps)
        // gave 15.33 instead of 15.94 for a confident miss, so metric and loss disagreed.
        const p = tf.clipByValue(x, EPSILON, 1 - EPSILON);
        const ll = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))));
        return tf.neg(meanLastAxis(ll));
      },
      options,
      { fromLogits, labelSmoothing },
      'binary_crossentropy',
    );
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }
}

/** Weighted mean over examples of the crossentropy with one-hot labels (`tf.keras.metrics.CategoricalCrossentropy`). */
export class CategoricalCrossentropy extends KerasMeanMetric<SmoothedCrossentropyMetricOptions> {
  static override readonly configKeys: ConfigKeys = ['fromLogits', 'labelSmoothing'];
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(options: SmoothedCrossentropyMetricOptions = {}) {
    const fromLogits = options.fromLogits ?? false;
    const labelSmoothing = checkSmoothing(options.labelSmoothing ?? 0);
    super(
      (yTrue, yPred) => {
        let y = toFloat(yTrue);
        if (labelSmoothing > 0) {
          const classes = yPred.shape[yPred.rank - 1]!;
          y = tf.add(tf.mul(y, 1 - labelSmoothing), labelSmoothing / classes);
        }
        return tf.neg(tf.sum(tf.mul(y, logProbabilities(yPred, fromLogits)), -1));
      },
      options,
      { fromLogits, labelSmoothing },
      'categorical_crossentropy',
    );
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }
}

/**
 * Weighted mean over examples of the crossentropy with integer labels
 * (`tf.keras.metrics.SparseCategoricalCrossentropy`). Labels are `[n]` or
 * `[n, 1]`, int32 or float; predictions may have middle axes. A label outside
 * `[0, classes)` contributes 0.
 * @example
 * ```ts
 * const m = new SparseCategoricalCrossentropy();
 * m.updateState(tf.tensor1d([1], 'int32'), tf.tensor2d([[0.2, 0.8]]));
 * m.result(); // -ln 0.8 = 0.2231
 * ```
 */
export class SparseCategoricalCrossentropy extends KerasMeanMetric<CrossentropyMetricOptions> {
  static override readonly configKeys: ConfigKeys = ['fromLogits'];
  readonly fromLogits: boolean;
  constructor(options: CrossentropyMetricOptions = {}) {
    const fromLogits = options.fromLogits ?? false;
    super(
      (yTrue, yPred) => {
        const oneHot = tf.oneHot(sparseLabels(yTrue, yPred, 'sparse_categorical_crossentropy'), yPred.shape[yPred.rank - 1]!);
        return tf.neg(tf.sum(tf.mul(toFloat(oneHot), logProbabilities(yPred, fromLogits)), -1));
      },
      options,
      { fromLogits },
      'sparse_categorical_crossentropy',
    );
    this.fromLogits = fromLogits;
  }
}

/**
 * Weighted mean over examples of `sum(y log(y / p), -1)`, with `y` and `p`
 * clipped to `[1e-7, 1]` (`keras.metrics.KLDivergence`).
 * @example
 * ```ts
 * const m = new KLDivergence();
 * m.updateState(tf.tensor2d([[0.5, 0.5]]), tf.tensor2d([[0.25, 0.75]]));
 * m.result(); // 0.5 ln 2 + 0.5 ln(2/3) = 0.1438
 * ```
 */
export class KLDivergence extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super(
      (yTrue, yPred) => {
        const [y0, p0] = squeezeOrExpandToSameRank(toFloat(yTrue), toFloat(yPred));
        const y = tf.clipByValue(y0, EPSILON, 1);
        const p = tf.clipByValue(p0, EPSILON, 1);
        const terms = tf.mul(y, tf.log(tf.div(y, p)));
        return terms.rank >= 2 ? tf.sum(terms, -1) : terms;
      },
      options,
      {},
      'kl_divergence',
    );
  }
}

/** Weighted mean over examples of `mean(p - y log(p + 1e-7), -1)` (`keras.metrics.Poisson`). */
export class Poisson extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super(
      (yTrue, yPred) => {
        const [y, p] = squeezeOrExpandToSameRank(toFloat(yTrue), toFloat(yPred));
        return meanLastAxis(tf.sub(p, tf.mul(y, tf.log(tf.add(p, EPSILON)))));
      },
      options,
      {},
      'poisson',
    );
  }
}
