import * as tf from '@tensorflow/tfjs';

import { divNoNan, Metric, type MetricOptions } from './metric.js';

/**
 * Per threshold, the (weighted) counts of predictions above it among positive
 * and negative labels: `[T]` tensors `aboveAndPositive`, `aboveAndNegative`,
 * `belowAndPositive`, `belowAndNegative`. Labels are 0/1; predictions are
 * flattened with the labels.
 */
function confusionCounts(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  thresholds: readonly number[],
  sampleWeight?: tf.Tensor,
): { tp: tf.Tensor; fp: tf.Tensor; fn: tf.Tensor; tn: tf.Tensor } {
  const pred = yPred.toFloat().reshape([1, -1]);
  const label = yTrue.toFloat().reshape([1, -1]);
  let weight: tf.Tensor = tf.onesLike(label);
  if (sampleWeight !== undefined) {
    // One weight per example, repeated over the example's predictions.
    const perExample = sampleWeight.toFloat().reshape([-1, 1]);
    weight = tf.mul(tf.ones([perExample.shape[0]!, pred.shape[1]! / perExample.shape[0]!]), perExample).reshape([1, -1]);
  }
  const above = tf.greater(pred, tf.tensor1d(thresholds as number[]).reshape([-1, 1])).toFloat();
  const below = tf.sub(1, above);
  const pos = tf.mul(label, weight);
  const neg = tf.mul(tf.sub(1, label), weight);
  return {
    tp: tf.sum(tf.mul(above, pos), 1),
    fp: tf.sum(tf.mul(above, neg), 1),
    fn: tf.sum(tf.mul(below, pos), 1),
    tn: tf.sum(tf.mul(below, neg), 1),
  };
}

/** Options of {@link Precision} and {@link Recall}. */
export interface ThresholdsOptions extends MetricOptions {
  /** Probability thresholds; default [0.5]. `result()` reports the first. */
  thresholds?: number | number[];
}

function toThresholds(t: number | number[] | undefined): number[] {
  if (t === undefined) return [0.5];
  return Array.isArray(t) ? [...t] : [t];
}

/**
 * tp / (tp + fp) at each threshold; state `[tp..., fp...]` (confusion counts,
 * which sum across clients). With several thresholds, `result()` and
 * `finalize` give the value at the first one.
 */
export class Precision extends Metric {
  readonly thresholds: number[];
  private readonly tp: tf.Variable;
  private readonly fp: tf.Variable;
  constructor(options: ThresholdsOptions = {}) {
    super('precision', options);
    this.thresholds = toThresholds(options.thresholds);
    this.tp = this.addWeight('true_positives', [this.thresholds.length]);
    this.fp = this.addWeight('false_positives', [this.thresholds.length]);
  }
  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      const c = confusionCounts(yTrue, yPred, this.thresholds, sampleWeight);
      this.accumulate(this.tp, c.tp);
      this.accumulate(this.fp, c.fp);
    });
  }
  finalize(state: number[]): number {
    const n = this.thresholds.length;
    return divNoNan(state[0]!, state[0]! + state[n]!);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.thresholds };
  }
}

/** tp / (tp + fn) at each threshold; state `[tp..., fn...]`. */
export class Recall extends Metric {
  readonly thresholds: number[];
  private readonly tp: tf.Variable;
  private readonly fn: tf.Variable;
  constructor(options: ThresholdsOptions = {}) {
    super('recall', options);
    this.thresholds = toThresholds(options.thresholds);
    this.tp = this.addWeight('true_positives', [this.thresholds.length]);
    this.fn = this.addWeight('false_negatives', [this.thresholds.length]);
  }
  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      const c = confusionCounts(yTrue, yPred, this.thresholds, sampleWeight);
      this.accumulate(this.tp, c.tp);
      this.accumulate(this.fn, c.fn);
    });
  }
  finalize(state: number[]): number {
    const n = this.thresholds.length;
    return divNoNan(state[0]!, state[0]! + state[n]!);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.thresholds };
  }
}

/** Options of {@link AUC}. */
export interface AucOptions extends MetricOptions {
  /** Number of thresholds of the discretized ROC curve; default 200. */
  numThresholds?: number;
}

/**
 * Area under the ROC curve, approximated as Keras does: confusion counts at
 * `numThresholds` thresholds (`-eps`, `i / (n - 1)`, `1 + eps`), then a
 * trapezoidal sum of recall over false-positive rate. State
 * `[tp..., fp..., tn..., fn...]`, which sums across clients.
 */
export class AUC extends Metric {
  readonly numThresholds: number;
  private readonly thresholds: number[];
  private readonly counts: tf.Variable[];
  constructor(options: AucOptions = {}) {
    super('auc', options);
    this.numThresholds = options.numThresholds ?? 200;
    if (!(Number.isInteger(this.numThresholds) && this.numThresholds > 1)) {
      throw new TypeError(`AUC numThresholds must be an integer > 1, found ${this.numThresholds}.`);
    }
    const n = this.numThresholds;
    this.thresholds = [-1e-7, ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)), 1 + 1e-7];
    this.counts = ['true_positives', 'false_positives', 'true_negatives', 'false_negatives'].map((name) => this.addWeight(name, [n]));
  }
  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      const c = confusionCounts(yTrue, yPred, this.thresholds, sampleWeight);
      [c.tp, c.fp, c.tn, c.fn].forEach((delta, i) => this.accumulate(this.counts[i]!, delta));
    });
  }
  finalize(state: number[]): number {
    const n = this.numThresholds;
    const at = (k: number, i: number) => state[k * n + i]!;
    const recall = (i: number) => divNoNan(at(0, i), at(0, i) + at(3, i));
    const fpRate = (i: number) => divNoNan(at(1, i), at(1, i) + at(2, i));
    let area = 0;
    for (let i = 0; i < n - 1; i++) area += (fpRate(i) - fpRate(i + 1)) * ((recall(i) + recall(i + 1)) / 2);
    return area;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numThresholds: this.numThresholds };
  }
}
