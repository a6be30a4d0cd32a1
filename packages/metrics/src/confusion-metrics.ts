import * as tf from '@tensorflow/tfjs';

import { checkTopKAndClassId, confusionCounts, NEG_INF, parseThresholds, type ConfusionCounts } from './confusion-matrix.js';
import { divNoNan, Metric, type ConfigKeys, type MetricOptions } from './metric.js';

/** Options of {@link Precision} and {@link Recall}. */
export interface ThresholdsOptions extends MetricOptions {
  /**
   * Thresholds in [0, 1]; a prediction above one counts as positive. Default 0.5
   * (with `topK`: every kept prediction counts). `result()` reports the first.
   */
  thresholds?: number | number[];
  /** Only the `topK` highest predictions of the last axis can count as positive (Keras's `top_k`). */
  topK?: number;
  /** Only column `classId` of `[n, classes]` inputs is counted (Keras's `class_id`). */
  classId?: number;
}

/** Options of {@link TruePositives}, {@link FalsePositives}, {@link TrueNegatives} and {@link FalseNegatives}. */
export interface ConfusionCountOptions extends MetricOptions {
  /** Thresholds in [0, 1]; a prediction above one counts as positive. Default 0.5. `result()` reports the first. */
  thresholds?: number | number[];
}

/**
 * A weighted count of one confusion-matrix cell per threshold (Keras's
 * `_ConfusionMatrixConditionCount`). State: one count per threshold, which sums
 * across clients.
 *
 * Porting note: with several thresholds Keras's `result()` returns one count
 * per threshold; here `result()` gives the FIRST and `resultAt(i)` the others.
 */
export abstract class ConfusionMatrixConditionCount extends Metric {
  static readonly configKeys: ConfigKeys = ['thresholds'];
  readonly thresholds: number[];
  private readonly count: tf.Variable;

  constructor(
    defaultName: string,
    private readonly cell: keyof ConfusionCounts,
    options: ConfusionCountOptions,
  ) {
    super(defaultName, options);
    this.thresholds = parseThresholds(options.thresholds);
    const names = { tp: 'true_positives', fp: 'false_positives', tn: 'true_negatives', fn: 'false_negatives' };
    this.count = this.addWeight(names[cell], [this.thresholds.length]);
  }

  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => this.accumulate(this.count, confusionCounts(yTrue, yPred, this.thresholds, { sampleWeight })[this.cell]));
  }

  /** The count at the first threshold. */
  finalize(state: number[]): number {
    return state[0]!;
  }

  /** The count at threshold number `i` of a (possibly summed) state. */
  finalizeAt(state: number[], i: number): number {
    return state[i]!;
  }

  /** The count at threshold number `i` of the local state. */
  resultAt(i: number): number {
    return this.finalizeAt(this.unfinalizedState(), i);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: [...this.thresholds] };
  }
}

/**
 * Weighted number of true positives (`keras.metrics.TruePositives`).
 * @example
 * ```ts
 * const m = new TruePositives();
 * m.updateState(tf.tensor1d([0, 1, 1, 1]), tf.tensor1d([1, 0, 1, 1]));
 * m.result(); // 2
 * ```
 */
export class TruePositives extends ConfusionMatrixConditionCount {
  constructor(options: ConfusionCountOptions = {}) {
    super('true_positives', 'tp', options);
  }
}

/** Weighted number of false positives (`keras.metrics.FalsePositives`). */
export class FalsePositives extends ConfusionMatrixConditionCount {
  constructor(options: ConfusionCountOptions = {}) {
    super('false_positives', 'fp', options);
  }
}

/** Weighted number of true negatives (`keras.metrics.TrueNegatives`). */
export class TrueNegatives extends ConfusionMatrixConditionCount {
  constructor(options: ConfusionCountOptions = {}) {
    super('true_negatives', 'tn', options);
  }
}

/** Weighted number of false negatives (`keras.metrics.FalseNegatives`). */
export class FalseNegatives extends ConfusionMatrixConditionCount {
  constructor(options: ConfusionCountOptions = {}) {
    super('false_negatives', 'fn', options);
  }
}

/**
 * `tp / (tp + other)` per threshold, where `other` is the false positives
 * (precision) or the false negatives (recall): the state and maths the two share.
 */
export abstract class TruePositiveRatio extends Metric {
  static readonly configKeys: ConfigKeys = ['thresholds', 'topK', 'classId'];
  readonly thresholds: number[];
  readonly topK: number | undefined;
  readonly classId: number | undefined;
  private readonly explicitThresholds: boolean;
  private readonly tp: tf.Variable;
  private readonly other: tf.Variable;

  constructor(
    defaultName: string,
    private readonly otherCount: 'fp' | 'fn',
    options: ThresholdsOptions,
  ) {
    super(defaultName, options);
    checkTopKAndClassId(options.topK, options.classId);
    this.topK = options.topK;
    this.classId = options.classId;
    this.explicitThresholds = options.thresholds !== undefined;
    // Keras: with top_k and no thresholds, every kept prediction counts (threshold NEG_INF).
    this.thresholds = parseThresholds(options.thresholds, options.topK === undefined ? 0.5 : NEG_INF);
    this.tp = this.addWeight('true_positives', [this.thresholds.length]);
    this.other = this.addWeight(otherCount === 'fp' ? 'false_positives' : 'false_negatives', [this.thresholds.length]);
  }

  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      const c = confusionCounts(yTrue, yPred, this.thresholds, { sampleWeight, topK: this.topK, classId: this.classId });
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
    return {
      ...super.getConfig(),
      ...(this.explicitThresholds || this.topK === undefined ? { thresholds: [...this.thresholds] } : {}),
      ...(this.topK === undefined ? {} : { topK: this.topK }),
      ...(this.classId === undefined ? {} : { classId: this.classId }),
    };
  }
}

/**
 * Precision `tp / (tp + fp)` (`keras.metrics.Precision`). State: `[tp..., fp...]`,
 * one count per threshold, which sums across clients. `topK` counts only the k
 * highest predictions of each row as positive; `classId` scores one class of
 * `[n, classes]` inputs.
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
 * const top3 = new Precision({ topK: 3 }); // Keras's test_unweighted_top_k: 1/3
 * top3.updateState(tf.tensor1d([0, 1, 1, 0, 0]), tf.tensor1d([0.2, 0.1, 0.5, 0, 0.2]));
 * ```
 */
export class Precision extends TruePositiveRatio {
  constructor(options: ThresholdsOptions = {}) {
    super('precision', 'fp', options);
  }
}

/**
 * Recall `tp / (tp + fn)` (`keras.metrics.Recall`). State: `[tp..., fn...]`,
 * one count per threshold. As for {@link Precision}, `result()` and `finalize`
 * give the value at the first threshold; `resultAt(i)` gives the others;
 * `topK` and `classId` work as there.
 */
export class Recall extends TruePositiveRatio {
  constructor(options: ThresholdsOptions = {}) {
    super('recall', 'fn', options);
  }
}
