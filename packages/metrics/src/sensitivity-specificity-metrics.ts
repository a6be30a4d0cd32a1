import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { checkTopKAndClassId, confusionCounts } from './confusion-matrix.js';
import { divNoNan, Metric, type ConfigKeys, type MetricOptions } from './metric.js';

/** Options shared by the four metrics at a fixed operating point. */
export interface SensitivitySpecificityOptions extends MetricOptions {
  /** Number of thresholds (`0, 1/(n-1), ..., 1`; a single 0.5 when 1), > 0; default 200. */
  numThresholds?: number;
  /** Only column `classId` of `[n, classes]` inputs is counted. */
  classId?: number;
}

/** The four counts of one threshold, from a (possibly summed) state. */
export interface ThresholdCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/**
 * Keras's `SensitivitySpecificityBase`: confusion counts at `numThresholds`
 * evenly spaced thresholds, state `[tp..., fp..., tn..., fn...]` (Keras's
 * variable order), which sums across clients; `finalize` picks the best
 * `dependent` value among the thresholds whose `constrained` value reaches the
 * target (0 when none does).
 */
export abstract class SensitivitySpecificityBase extends Metric {
  static readonly configKeys: ConfigKeys = ['numThresholds', 'classId'];
  readonly numThresholds: number;
  readonly classId: number | undefined;
  readonly thresholds: readonly number[];
  private readonly counts: { tp: tf.Variable; fp: tf.Variable; tn: tf.Variable; fn: tf.Variable };

  constructor(
    defaultName: string,
    /** The target the constrained quantity must reach. */
    protected readonly value: number,
    valueName: string,
    options: SensitivitySpecificityOptions,
  ) {
    super(defaultName, options);
    if (!(typeof value === 'number' && value >= 0 && value <= 1)) {
      throw new ValueError(`${valueName} must be in the range [0, 1], found ${value}. Pass it as { ${valueName}: 0.5 }.`);
    }
    const n = options.numThresholds ?? 200;
    if (!(Number.isInteger(n) && n > 0)) throw new ValueError(`numThresholds must be an integer > 0, found ${n}.`);
    checkTopKAndClassId(undefined, options.classId);
    this.numThresholds = n;
    this.classId = options.classId;
    this.thresholds = n === 1 ? [0.5] : [0, ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)), 1];
    const len = this.thresholds.length;
    this.counts = {
      tp: this.addWeight('true_positives', [len]),
      fp: this.addWeight('false_positives', [len]),
      tn: this.addWeight('true_negatives', [len]),
      fn: this.addWeight('false_negatives', [len]),
    };
  }

  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      const c = confusionCounts(yTrue, yPred, this.thresholds, {
        sampleWeight,
        classId: this.classId,
        evenlySpaced: this.numThresholds > 1 ? { withEpsilon: false } : undefined,
      });
      this.accumulate(this.counts.tp, c.tp);
      this.accumulate(this.counts.fp, c.fp);
      this.accumulate(this.counts.tn, c.tn);
      this.accumulate(this.counts.fn, c.fn);
    });
  }

  finalize(state: number[]): number {
    const len = this.thresholds.length;
    let best = 0;
    for (let i = 0; i < len; i++) {
      const c = { tp: state[i]!, fp: state[len + i]!, tn: state[2 * len + i]!, fn: state[3 * len + i]! };
      if (this.constrained(c) >= this.value) best = Math.max(best, this.dependent(c));
    }
    return best;
  }

  /** The quantity that must reach `value`. */
  protected abstract constrained(c: ThresholdCounts): number;
  /** The quantity reported: its maximum over the feasible thresholds. */
  protected abstract dependent(c: ThresholdCounts): number;

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numThresholds: this.numThresholds, ...(this.classId === undefined ? {} : { classId: this.classId }) };
  }
}

const sensitivity = (c: ThresholdCounts) => divNoNan(c.tp, c.tp + c.fn);
const specificity = (c: ThresholdCounts) => divNoNan(c.tn, c.tn + c.fp);
const precision = (c: ThresholdCounts) => divNoNan(c.tp, c.tp + c.fp);

/** Options of {@link SensitivityAtSpecificity}. */
export interface SensitivityAtSpecificityOptions extends SensitivitySpecificityOptions {
  /** The specificity to reach, in [0, 1]. */
  specificity: number;
}

/**
 * The best sensitivity (recall) among thresholds whose specificity is at least
 * `specificity` (`keras.metrics.SensitivityAtSpecificity`).
 * @example
 * ```ts
 * const m = new SensitivityAtSpecificity({ specificity: 0.8 });
 * m.updateState(tf.tensor1d([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]), tf.tensor1d([0, 0.1, 0.2, 0.3, 0.4, 0.1, 0.45, 0.5, 0.8, 0.9]));
 * m.result(); // 0.8
 * ```
 */
export class SensitivityAtSpecificity extends SensitivitySpecificityBase {
  static readonly requiredConfigKeys: ConfigKeys = ['specificity'];
  static override readonly configKeys: ConfigKeys = ['specificity', 'numThresholds', 'classId'];
  constructor(options: SensitivityAtSpecificityOptions) {
    super('sensitivity_at_specificity', options?.specificity, 'specificity', options);
  }
  protected constrained(c: ThresholdCounts): number {
    return specificity(c);
  }
  protected dependent(c: ThresholdCounts): number {
    return sensitivity(c);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), specificity: this.value };
  }
}

/** Options of {@link SpecificityAtSensitivity}. */
export interface SpecificityAtSensitivityOptions extends SensitivitySpecificityOptions {
  /** The sensitivity to reach, in [0, 1]. */
  sensitivity: number;
}

/** The best specificity among thresholds whose sensitivity is at least `sensitivity` (`keras.metrics.SpecificityAtSensitivity`). */
export class SpecificityAtSensitivity extends SensitivitySpecificityBase {
  static readonly requiredConfigKeys: ConfigKeys = ['sensitivity'];
  static override readonly configKeys: ConfigKeys = ['sensitivity', 'numThresholds', 'classId'];
  constructor(options: SpecificityAtSensitivityOptions) {
    super('specificity_at_sensitivity', options?.sensitivity, 'sensitivity', options);
  }
  protected constrained(c: ThresholdCounts): number {
    return sensitivity(c);
  }
  protected dependent(c: ThresholdCounts): number {
    return specificity(c);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), sensitivity: this.value };
  }
}

/** Options of {@link PrecisionAtRecall}. */
export interface PrecisionAtRecallOptions extends SensitivitySpecificityOptions {
  /** The recall to reach, in [0, 1]. */
  recall: number;
}

/** The best precision among thresholds whose recall is at least `recall` (`keras.metrics.PrecisionAtRecall`). */
export class PrecisionAtRecall extends SensitivitySpecificityBase {
  static readonly requiredConfigKeys: ConfigKeys = ['recall'];
  static override readonly configKeys: ConfigKeys = ['recall', 'numThresholds', 'classId'];
  constructor(options: PrecisionAtRecallOptions) {
    super('precision_at_recall', options?.recall, 'recall', options);
  }
  protected constrained(c: ThresholdCounts): number {
    return sensitivity(c);
  }
  protected dependent(c: ThresholdCounts): number {
    return precision(c);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recall: this.value };
  }
}

/** Options of {@link RecallAtPrecision}. */
export interface RecallAtPrecisionOptions extends SensitivitySpecificityOptions {
  /** The precision to reach, in [0, 1]. */
  precision: number;
}

/**
 * The best recall among thresholds whose precision is at least `precision`
 * (`keras.metrics.RecallAtPrecision`); 0 when no threshold reaches it.
 */
export class RecallAtPrecision extends SensitivitySpecificityBase {
  static readonly requiredConfigKeys: ConfigKeys = ['precision'];
  static override readonly configKeys: ConfigKeys = ['precision', 'numThresholds', 'classId'];
  constructor(options: RecallAtPrecisionOptions) {
    super('recall_at_precision', options?.precision, 'precision', options);
  }
  protected constrained(c: ThresholdCounts): number {
    return precision(c);
  }
  protected dependent(c: ThresholdCounts): number {
    return sensitivity(c);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), precision: this.value };
  }
}
