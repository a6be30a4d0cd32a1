import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { divNoNan, Metric, type ConfigKeys, type MetricOptions } from './metric.js';
import { squeezeOrExpandToSameRank, toFloat } from './shapes.js';

/** Weighted confusion counts per threshold, each of shape `[thresholds]`. */
interface ConfusionCounts {
  tp: tf.Tensor;
  fp: tf.Tensor;
  tn: tf.Tensor;
  fn: tf.Tensor;
}

/**
 * Keras's `update_confusion_matrix_variables` without its `top_k`/`class_id`
 * options: every prediction is one decision, positive when above a threshold;
 * a label is positive when non-zero. A sample weight is broadcast to the
 * predictions' shape (`[n]` weights repeat over the classes of `[n, c]`
 * predictions). Call inside `tf.tidy`.
 *
 * @throws ValueError when labels and predictions hold different numbers of values.
 */
function confusionCounts(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  thresholds: readonly number[],
  sampleWeight?: tf.Tensor,
): ConfusionCounts {
  if (yTrue.size !== yPred.size) {
    throw new ValueError(
      `Labels of shape [${yTrue.shape.join(', ')}] and predictions of shape [${yPred.shape.join(', ')}] ` +
        'must hold the same number of values (one 0/1 label per predicted probability).',
    );
  }
  const p = toFloat(yPred);
  const pred = p.reshape([1, -1]);
  const positive = toFloat(tf.notEqual(yTrue, 0)).reshape([1, -1]);
  let weight: tf.Tensor = tf.onesLike(pred);
  if (sampleWeight !== undefined) {
    const [pp, w] = squeezeOrExpandToSameRank(p, toFloat(sampleWeight));
    weight = tf.mul(tf.onesLike(pp), w).reshape([1, -1]);
  }
  const above = toFloat(tf.greater(pred, tf.tensor2d(thresholds as number[], [thresholds.length, 1])));
  // One [thresholds, n] x [n, 2] product gives the weighted positives and negatives above each
  // threshold; those below are the totals minus those above.
  const posNeg = tf.concat([tf.mul(positive, weight), tf.mul(tf.sub(1, positive), weight)], 0); // [2, n]
  const aboveCounts = tf.matMul(above, posNeg, false, true); // [thresholds, 2]
  const totals = tf.sum(posNeg, 1); // [2]
  const [tp, fp] = tf.split(aboveCounts, 2, 1) as [tf.Tensor, tf.Tensor];
  const [pos, neg] = tf.split(totals, 2) as [tf.Tensor, tf.Tensor];
  return { tp, fp, fn: tf.sub(pos, tp), tn: tf.sub(neg, fp) };
}

/** Options of {@link Precision} and {@link Recall}. */
export interface ThresholdsOptions extends MetricOptions {
  /** Thresholds in [0, 1]; a prediction above one counts as positive. Default 0.5. `result()` reports the first. */
  thresholds?: number | number[];
}

function toThresholds(t: number | number[] | undefined): number[] {
  const list = t === undefined ? [0.5] : Array.isArray(t) ? [...t] : [t];
  if (list.length === 0 || list.some((x) => !(typeof x === 'number' && x >= 0 && x <= 1))) {
    throw new ValueError(`thresholds must be one or more numbers in [0, 1], found ${JSON.stringify(t)}.`);
  }
  return list;
}

/**
 * `tp / (tp + other)` per threshold, where `other` is the false positives
 * (precision) or the false negatives (recall): the state and maths the two share.
 */
export abstract class TruePositiveRatio extends Metric {
  static readonly configKeys: ConfigKeys = ['thresholds'];
  readonly thresholds: number[];
  private readonly tp: tf.Variable;
  private readonly other: tf.Variable;

  constructor(
    defaultName: string,
    private readonly otherCount: 'fp' | 'fn',
    options: ThresholdsOptions,
  ) {
    super(defaultName, options);
    this.thresholds = toThresholds(options.thresholds);
    this.tp = this.addWeight('true_positives', [this.thresholds.length]);
    this.other = this.addWeight(otherCount === 'fp' ? 'false_positives' : 'false_negatives', [this.thresholds.length]);
  }

  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      const c = confusionCounts(yTrue, yPred, this.thresholds, sampleWeight);
      this.accumulate(this.tp, c.tp);
      this.accumulate(this.other, c[this.otherCount]);
    });
  }

  /** The value at the first threshold. */
  finalize(state: number[]): number {
    return this.finalizeAt(state, 0);
  }

  /** The value at threshold number `i` of a (possibly summed) state. */
  finalizeAt(state: number[], i: number): number {
    const n = this.thresholds.length;
    return divNoNan(state[i]!, state[i]! + state[n + i]!);
  }

  /** The value at threshold number `i` of the local state. */
  resultAt(i: number): number {
    return this.finalizeAt(this.unfinalizedState(), i);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: [...this.thresholds] };
  }
}

/**
 * Precision `tp / (tp + fp)` (`tf.keras.metrics.Precision`). State: `[tp..., fp...]`,
 * one count per threshold, which sums across clients.
 *
 * Porting note: with several thresholds Keras's `result()` returns one value
 * per threshold; `result()` and `finalize` here must return one number, so they
 * give the value at the FIRST threshold. The counts for the others stay in the
 * state; {@link Precision.resultAt} reads them.
 * @example
 * ```ts
 * const m = new Precision({ thresholds: [0.5, 0.8] });
 * m.updateState(tf.tensor1d([1, 0, 1]), tf.tensor1d([0.9, 0.6, 0.2]));
 * m.result(); // 0.5 (at 0.5: tp 1, fp 1)
 * m.resultAt(1); // 1 (at 0.8: tp 1, fp 0)
 * ```
 */
export class Precision extends TruePositiveRatio {
  constructor(options: ThresholdsOptions = {}) {
    super('precision', 'fp', options);
  }
}

/**
 * Recall `tp / (tp + fn)` (`tf.keras.metrics.Recall`). State: `[tp..., fn...]`,
 * one count per threshold. As for {@link Precision}, `result()` and `finalize`
 * give the value at the first threshold; `resultAt(i)` gives the others.
 */
export class Recall extends TruePositiveRatio {
  constructor(options: ThresholdsOptions = {}) {
    super('recall', 'fn', options);
  }
}

/** How {@link AUC} sums the area between two thresholds (Keras's `summation_method`). */
export type AucSummationMethod = 'interpolation' | 'minoring' | 'majoring';

/** Options of {@link AUC}. */
export interface AucOptions extends MetricOptions {
  /** Number of thresholds of the discretized ROC curve, > 1; default 200. */
  numThresholds?: number;
  /** `interpolation` (trapezoids, default), `minoring` (lower bars) or `majoring` (upper bars). */
  summationMethod?: AucSummationMethod;
}

const SUMMATION_METHODS: readonly AucSummationMethod[] = ['interpolation', 'minoring', 'majoring'];

/**
 * Area under the ROC curve as Keras approximates it (`tf.keras.metrics.AUC`,
 * `curve='ROC'`): confusion counts at `numThresholds` thresholds
 * (`-1e-7`, `i / (numThresholds - 1)` for i = 1..n-2, `1 + 1e-7`), then a
 * Riemann sum of recall over the false-positive rate. State (Keras's variable
 * order) `[tp..., tn..., fp..., fn...]`, `numThresholds` each: counts, so
 * clients' states sum exactly.
 *
 * Porting note: only the ROC curve is offered (Keras's default); `curve='PR'`,
 * explicit `thresholds` and `multi_label` are not ported.
 * @example
 * ```ts
 * const m = new AUC({ numThresholds: 3 });
 * m.updateState(tf.tensor1d([1, 1, 0, 0]), tf.tensor1d([0.9, 0.6, 0.7, 0.1]));
 * m.result(); // 0.75
 * ```
 */
export class AUC extends Metric {
  static readonly configKeys: ConfigKeys = ['numThresholds', 'summationMethod'];
  readonly numThresholds: number;
  readonly summationMethod: AucSummationMethod;
  /** The thresholds of the discretized curve, ascending. */
  readonly thresholds: readonly number[];
  private readonly counts: { tp: tf.Variable; tn: tf.Variable; fp: tf.Variable; fn: tf.Variable };

  constructor(options: AucOptions = {}) {
    super('auc', options);
    const n = options.numThresholds ?? 200;
    if (!(Number.isInteger(n) && n > 1)) throw new ValueError(`AUC numThresholds must be an integer > 1, found ${n}.`);
    const method = options.summationMethod ?? 'interpolation';
    if (!SUMMATION_METHODS.includes(method)) {
      throw new ValueError(`AUC summationMethod must be one of ${SUMMATION_METHODS.join(', ')}, found "${String(method)}".`);
    }
    this.numThresholds = n;
    this.summationMethod = method;
    this.thresholds = [-1e-7, ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)), 1 + 1e-7];
    this.counts = {
      tp: this.addWeight('true_positives', [n]),
      tn: this.addWeight('true_negatives', [n]),
      fp: this.addWeight('false_positives', [n]),
      fn: this.addWeight('false_negatives', [n]),
    };
  }

  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      const c = confusionCounts(yTrue, yPred, this.thresholds, sampleWeight);
      this.accumulate(this.counts.tp, c.tp);
      this.accumulate(this.counts.tn, c.tn);
      this.accumulate(this.counts.fp, c.fp);
      this.accumulate(this.counts.fn, c.fn);
    });
  }

  finalize(state: number[]): number {
    const n = this.numThresholds;
    // Offsets of tp, tn, fp, fn in the flattened state.
    const tp = (i: number) => state[i]!;
    const tn = (i: number) => state[n + i]!;
    const fp = (i: number) => state[2 * n + i]!;
    const fn = (i: number) => state[3 * n + i]!;
    const recall = (i: number) => divNoNan(tp(i), tp(i) + fn(i));
    const fpRate = (i: number) => divNoNan(fp(i), fp(i) + tn(i));
    let area = 0;
    for (let i = 0; i < n - 1; i++) {
      const [a, b] = [recall(i), recall(i + 1)];
      const height = this.summationMethod === 'interpolation' ? (a + b) / 2 : this.summationMethod === 'minoring' ? Math.min(a, b) : Math.max(a, b);
      area += (fpRate(i) - fpRate(i + 1)) * height;
    }
    return area;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numThresholds: this.numThresholds, summationMethod: this.summationMethod };
  }
}
