import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { confusionCounts } from './confusion-matrix.js';
import { divNoNan, Metric, type ConfigKeys, type MetricOptions } from './metric.js';

/** How {@link AUC} sums the area between two thresholds (Keras's `summation_method`). */
export type AucSummationMethod = 'interpolation' | 'minoring' | 'majoring';

/** Which curve {@link AUC} measures the area under (Keras's `curve`). */
export type AucCurve = 'ROC' | 'PR';

/** Options of {@link AUC}. */
export interface AucOptions extends MetricOptions {
  /** Number of thresholds of the discretized curve, > 1; default 200. Ignored when `thresholds` is given. */
  numThresholds?: number;
  /** `ROC` (recall over false-positive rate, default) or `PR` (precision over recall). */
  curve?: AucCurve;
  /**
   * `interpolation` (default: trapezoids for ROC, Davis & Goadrich's interpolation
   * for PR), `minoring` (lower bars) or `majoring` (upper bars).
   */
  summationMethod?: AucSummationMethod;
  /** Explicit thresholds in [0, 1]; `-1e-7` and `1 + 1e-7` are added at the ends. */
  thresholds?: number[];
  /** Treat each column of `[n, labels]` inputs as its own binary problem and average the areas. */
  multiLabel?: boolean;
  /** The number of label columns; required with `multiLabel` (the state is sized at construction). */
  numLabels?: number;
  /** One weight per label: the weighted mean of the per-label areas (`multiLabel`), or weights on the columns. */
  labelWeights?: number[];
  /** Predictions are logits: the sigmoid is applied first. */
  fromLogits?: boolean;
}

const SUMMATION_METHODS: readonly AucSummationMethod[] = ['interpolation', 'minoring', 'majoring'];
const CURVES: readonly AucCurve[] = ['ROC', 'PR'];
/** Keras's `backend.epsilon()`, by which the end thresholds lie outside [0, 1]. */
const EPSILON = 1e-7;

/**
 * Area under the ROC or PR curve as Keras approximates it (`keras.metrics.AUC`):
 * confusion counts at `numThresholds` thresholds (`-1e-7`, `i / (numThresholds - 1)`
 * for i = 1..n-2, `1 + 1e-7`, or the given `thresholds` between the two ends),
 * then a Riemann sum. State (Keras's variable order) `[tp..., fp..., tn..., fn...]`,
 * `numThresholds` counts each (`numThresholds × numLabels`, row-major, with
 * `multiLabel`): counts, so clients' states sum exactly.
 *
 * Porting note: Keras's `PRGAIN` curve is not ported, and `multiLabel` needs
 * `numLabels` up front because fedkit creates state variables at construction.
 * @example
 * ```ts
 * const m = new AUC({ numThresholds: 3 });
 * m.updateState(tf.tensor1d([1, 1, 0, 0]), tf.tensor1d([0.9, 0.6, 0.7, 0.1]));
 * m.result(); // 0.75
 * const pr = new AUC({ curve: 'PR', multiLabel: true, numLabels: 2, fromLogits: true });
 * ```
 */
export class AUC extends Metric {
  static readonly configKeys: ConfigKeys = [
    'numThresholds',
    'curve',
    'summationMethod',
    'thresholds',
    'multiLabel',
    'numLabels',
    'labelWeights',
    'fromLogits',
  ];
  readonly numThresholds: number;
  readonly curve: AucCurve;
  readonly summationMethod: AucSummationMethod;
  readonly multiLabel: boolean;
  readonly numLabels: number | undefined;
  readonly labelWeights: number[] | undefined;
  readonly fromLogits: boolean;
  /** The thresholds of the discretized curve, ascending. */
  readonly thresholds: readonly number[];
  private readonly explicitThresholds: number[] | undefined;
  private readonly counts: { tp: tf.Variable; fp: tf.Variable; tn: tf.Variable; fn: tf.Variable };

  constructor(options: AucOptions = {}) {
    super('auc', options);
    const method = options.summationMethod ?? 'interpolation';
    if (!SUMMATION_METHODS.includes(method)) {
      throw new ValueError(`AUC summationMethod must be one of ${SUMMATION_METHODS.join(', ')}, found "${String(method)}".`);
    }
    const curve = options.curve ?? 'ROC';
    if (!CURVES.includes(curve)) throw new ValueError(`AUC curve must be one of ${CURVES.join(', ')}, found "${String(curve)}".`);
    let inner: number[];
    if (options.thresholds !== undefined) {
      if (!Array.isArray(options.thresholds) || options.thresholds.some((t) => !(typeof t === 'number' && t >= 0 && t <= 1))) {
        throw new ValueError(`AUC thresholds must be a list of numbers in [0, 1], found ${JSON.stringify(options.thresholds)}.`);
      }
      inner = [...options.thresholds].sort((a, b) => a - b);
      this.explicitThresholds = inner;
    } else {
      const n = options.numThresholds ?? 200;
      if (!(Number.isInteger(n) && n > 1)) throw new ValueError(`AUC numThresholds must be an integer > 1, found ${n}.`);
      inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
      this.explicitThresholds = undefined;
    }
    this.multiLabel = options.multiLabel ?? false;
    this.numLabels = options.numLabels;
    if (this.multiLabel && !(Number.isInteger(this.numLabels) && this.numLabels! >= 1)) {
      throw new ValueError(`AUC with multiLabel needs numLabels, the number of label columns (an integer >= 1); found ${this.numLabels}.`);
    }
    if (!this.multiLabel && this.numLabels !== undefined) {
      throw new ValueError('AUC numLabels is only used with multiLabel: true; drop it or set multiLabel.');
    }
    this.labelWeights = options.labelWeights === undefined ? undefined : [...options.labelWeights];
    if (this.multiLabel && this.labelWeights !== undefined && this.labelWeights.length !== this.numLabels) {
      throw new ValueError(`AUC labelWeights needs one weight per label (${this.numLabels}), found ${this.labelWeights.length}.`);
    }
    this.fromLogits = options.fromLogits ?? false;
    this.curve = curve;
    this.summationMethod = method;
    this.thresholds = [0 - EPSILON, ...inner, 1 + EPSILON];
    this.numThresholds = this.thresholds.length;
    const shape = this.multiLabel ? [this.numThresholds, this.numLabels!] : [this.numThresholds];
    this.counts = {
      tp: this.addWeight('true_positives', shape),
      fp: this.addWeight('false_positives', shape),
      tn: this.addWeight('true_negatives', shape),
      fn: this.addWeight('false_negatives', shape),
    };
  }

  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      if (this.multiLabel && yPred.shape[yPred.rank - 1] !== this.numLabels) {
        throw new ValueError(`AUC was built for ${this.numLabels} labels; found predictions of shape [${yPred.shape.join(', ')}].`);
      }
      const p = this.fromLogits ? tf.sigmoid(yPred) : yPred;
      const c = confusionCounts(yTrue, p, this.thresholds, {
        sampleWeight,
        multiLabel: this.multiLabel,
        labelWeights: this.multiLabel ? undefined : this.labelWeights,
        evenlySpaced: this.explicitThresholds === undefined ? { withEpsilon: true } : undefined,
      });
      this.accumulate(this.counts.tp, c.tp);
      this.accumulate(this.counts.fp, c.fp);
      this.accumulate(this.counts.tn, c.tn);
      this.accumulate(this.counts.fn, c.fn);
    });
  }

  finalize(state: number[]): number {
    const labels = this.multiLabel ? this.numLabels! : 1;
    const size = this.numThresholds * labels;
    const areas = Array.from({ length: labels }, (_, l) => {
      const at = (v: number) => (i: number) => state[v * size + i * labels + l]!;
      return this.area(at(0), at(1), at(2), at(3));
    });
    if (!this.multiLabel) return areas[0]!;
    if (this.labelWeights === undefined) return areas.reduce((a, b) => a + b, 0) / labels;
    const weighted = areas.reduce((a, b, l) => a + b * this.labelWeights![l]!, 0);
    return divNoNan(weighted, this.labelWeights.reduce((a, b) => a + b, 0));
  }

  /** The area for one label, from its counts per threshold. */
  private area(tp: (i: number) => number, fp: (i: number) => number, tn: (i: number) => number, fn: (i: number) => number): number {
    const n = this.numThresholds;
    if (this.curve === 'PR' && this.summationMethod === 'interpolation') {
      // Davis & Goadrich (2006): precision interpolated along the true positives between thresholds.
      let area = 0;
      for (let i = 0; i < n - 1; i++) {
        const dtp = tp(i) - tp(i + 1);
        const [p0, p1] = [tp(i) + fp(i), tp(i + 1) + fp(i + 1)];
        const slope = divNoNan(dtp, Math.max(p0 - p1, 0));
        const intercept = tp(i + 1) - slope * p1;
        const ratio = p0 > 0 && p1 > 0 ? divNoNan(p0, Math.max(p1, 0)) : 1;
        area += divNoNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(tp(i + 1) + fn(i + 1), 0));
      }
      return area;
    }
    const recall = (i: number) => divNoNan(tp(i), tp(i) + fn(i));
    const x = this.curve === 'ROC' ? (i: number) => divNoNan(fp(i), fp(i) + tn(i)) : recall;
    const y = this.curve === 'ROC' ? recall : (i: number) => divNoNan(tp(i), tp(i) + fp(i));
    let area = 0;
    for (let i = 0; i < n - 1; i++) {
      const [a, b] = [y(i), y(i + 1)];
      const height = this.summationMethod === 'interpolation' ? (a + b) / 2 : this.summationMethod === 'minoring' ? Math.min(a, b) : Math.max(a, b);
      area += (x(i) - x(i + 1)) * height;
    }
    return area;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      ...(this.explicitThresholds === undefined ? { numThresholds: this.numThresholds } : { thresholds: [...this.explicitThresholds] }),
      curve: this.curve,
      summationMethod: this.summationMethod,
      multiLabel: this.multiLabel,
      ...(this.numLabels === undefined ? {} : { numLabels: this.numLabels }),
      ...(this.labelWeights === undefined ? {} : { labelWeights: [...this.labelWeights] }),
      fromLogits: this.fromLogits,
    };
  }
}
