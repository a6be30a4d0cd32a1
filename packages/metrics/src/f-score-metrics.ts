import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { Metric, type ConfigKeys, type MetricOptions } from './metric.js';
import { toFloat } from './shapes.js';

/** Keras's `backend.epsilon()`, which guards the F-score's divisions. */
const EPSILON = 1e-7;

/** How {@link FBetaScore} combines the per-class scores (Keras's `average`). */
export type FScoreAverage = 'micro' | 'macro' | 'weighted' | null;

const AVERAGES: readonly FScoreAverage[] = [null, 'micro', 'macro', 'weighted'];

/** Options of {@link F1Score}. */
export interface F1ScoreOptions extends MetricOptions {
  /**
   * `micro` (one score from the counts summed over classes), `macro` (mean of the
   * per-class scores), `weighted` (mean weighted by each class's label count) or
   * `null` (Keras's default: per class; see the porting note). Default null.
   */
  average?: FScoreAverage;
  /** A prediction above it counts as 1; default none: the highest prediction of each row counts as 1. */
  threshold?: number | null;
  /** The number of classes (the last axis); required unless `average` is `micro`, as the state is sized at construction. */
  numClasses?: number;
}

/** Options of {@link FBetaScore}. */
export interface FBetaScoreOptions extends F1ScoreOptions {
  /** Weight of recall against precision, > 0; default 1. */
  beta?: number;
}

/**
 * The F-beta score `(1 + β²) P R / (β² P + R)` from weighted true positives,
 * false positives and false negatives (`keras.metrics.FBetaScore`) for
 * `[n, classes]` labels and predictions. State `[tp..., fp..., fn..., label
 * weights...]`, one per class (one each for `micro`): sums, so the score
 * finalized from clients' summed states equals the score on all their data.
 *
 * Porting note: with `average: null` Keras returns one score per class;
 * `result()` here must be one number, so it returns their mean (as `macro`),
 * and `resultAt(i)` / `finalizeAt(state, i)` give class i's score. `numClasses`
 * is needed up front because fedkit creates state variables at construction.
 * @example
 * ```ts
 * const f = new FBetaScore({ beta: 2, average: 'micro', threshold: 0.66 });
 * f.updateState(tf.tensor2d([[0, 0, 1], [1, 1, 0], [1, 1, 1]]), tf.tensor2d([[0.7, 0.7, 0.7], [1, 0, 0], [0.9, 0.8, 0]]));
 * f.result(); // 0.6666667 (Keras's test_fbeta_random_score)
 * ```
 */
export class FBetaScore extends Metric {
  static readonly configKeys: ConfigKeys = ['average', 'beta', 'threshold', 'numClasses'];
  readonly average: FScoreAverage;
  readonly beta: number;
  readonly threshold: number | null;
  readonly numClasses: number | undefined;
  private readonly size: number;
  private readonly counts: { tp: tf.Variable; fp: tf.Variable; fn: tf.Variable; weights: tf.Variable };

  constructor(options: FBetaScoreOptions = {}, defaultName = 'fbeta_score') {
    super(defaultName, options);
    const average = options.average ?? null;
    if (!AVERAGES.includes(average)) {
      throw new ValueError(`FBetaScore average must be one of null, micro, macro, weighted; found ${JSON.stringify(average)}.`);
    }
    const beta = options.beta ?? 1;
    if (!(typeof beta === 'number' && beta > 0)) throw new ValueError(`FBetaScore beta must be a number > 0, found ${beta}.`);
    const threshold = options.threshold ?? null;
    if (threshold !== null && !(typeof threshold === 'number' && threshold > 0 && threshold <= 1)) {
      throw new ValueError(`FBetaScore threshold must satisfy 0 < threshold <= 1, found ${threshold}.`);
    }
    if (average !== 'micro' && !(Number.isInteger(options.numClasses) && options.numClasses! >= 1)) {
      throw new ValueError(
        `FBetaScore with average ${JSON.stringify(average)} keeps one count per class: pass numClasses (an integer >= 1), ` +
          `found ${options.numClasses}.`,
      );
    }
    this.average = average;
    this.beta = beta;
    this.threshold = threshold;
    this.numClasses = options.numClasses;
    this.size = average === 'micro' ? 1 : options.numClasses!;
    const shape = average === 'micro' ? [] : [this.size];
    this.counts = {
      tp: this.addWeight('true_positives', shape),
      fp: this.addWeight('false_positives', shape),
      fn: this.addWeight('false_negatives', shape),
      weights: this.addWeight('intermediate_weights', shape),
    };
  }

  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      if (yTrue.rank !== 2 || yPred.rank !== 2 || !tf.util.arraysEqual(yTrue.shape, yPred.shape)) {
        throw new ValueError(
          `${this.constructor.name} expects labels and predictions of one shape [n, classes], found [${yTrue.shape.join(', ')}] ` +
            `and [${yPred.shape.join(', ')}].`,
        );
      }
      if (this.numClasses !== undefined && yPred.shape[1] !== this.numClasses) {
        throw new ValueError(`${this.constructor.name} was built for ${this.numClasses} classes, found [${yPred.shape.join(', ')}].`);
      }
      const p = toFloat(yPred);
      // Without a threshold, the highest prediction of each row (when not ~0) counts as 1.
      const decided =
        this.threshold === null
          ? tf.logicalAnd(tf.greaterEqual(p, tf.max(p, -1, true)), tf.greater(tf.abs(p), 1e-9))
          : tf.greater(p, this.threshold);
      const pred = toFloat(decided);
      const y = toFloat(yTrue);
      let w: tf.Tensor | undefined;
      if (sampleWeight !== undefined) {
        w = toFloat(sampleWeight);
        while (w.rank < y.rank) w = w.expandDims(-1);
      }
      const axis = this.average === 'micro' ? undefined : 0;
      const weightedSum = (v: tf.Tensor) => tf.sum(w === undefined ? v : tf.mul(v, w), axis);
      this.accumulate(this.counts.tp, weightedSum(tf.mul(pred, y)));
      this.accumulate(this.counts.fp, weightedSum(tf.mul(pred, tf.sub(1, y))));
      this.accumulate(this.counts.fn, weightedSum(tf.mul(tf.sub(1, pred), y)));
      this.accumulate(this.counts.weights, weightedSum(y));
    });
  }

  /** Class i's score (`micro`: the one score) from a (possibly summed) state. */
  finalizeAt(state: number[], i: number): number {
    const n = this.size;
    const [tp, fp, fn] = [state[i]!, state[n + i]!, state[2 * n + i]!];
    const precision = tp / (tp + fp + EPSILON);
    const recall = tp / (tp + fn + EPSILON);
    const b2 = this.beta ** 2;
    return ((precision * recall) / (b2 * precision + recall + EPSILON)) * (1 + b2);
  }

  /** Class i's score from the local state. */
  resultAt(i: number): number {
    return this.finalizeAt(this.unfinalizedState(), i);
  }

  finalize(state: number[]): number {
    const n = this.size;
    const scores = Array.from({ length: n }, (_, i) => this.finalizeAt(state, i));
    if (this.average === 'weighted') {
      const weights = state.slice(3 * n, 4 * n);
      const total = weights.reduce((a, b) => a + b, 0) + EPSILON;
      return scores.reduce((a, s, i) => a + (s * weights[i]!) / total, 0);
    }
    return scores.reduce((a, b) => a + b, 0) / n;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      average: this.average,
      beta: this.beta,
      threshold: this.threshold,
      ...(this.numClasses === undefined ? {} : { numClasses: this.numClasses }),
    };
  }
}

/**
 * The F1 score, the harmonic mean of precision and recall
 * (`keras.metrics.F1Score`): {@link FBetaScore} with beta 1.
 * @example
 * ```ts
 * const f1 = new F1Score({ average: 'macro', numClasses: 3 });
 * ```
 */
export class F1Score extends FBetaScore {
  static override readonly configKeys: ConfigKeys = ['average', 'threshold', 'numClasses'];
  constructor(options: F1ScoreOptions = {}) {
    super(options, 'f1_score');
  }

  override getConfig(): Record<string, unknown> {
    const { beta: _beta, ...config } = super.getConfig();
    return config;
  }
}
