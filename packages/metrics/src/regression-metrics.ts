import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { KerasMeanMetric } from './mean-metric-wrapper.js';
import { Metric, type ConfigKeys, type MetricOptions } from './metric.js';
import { Mean } from './reduce.js';
import { meanLastAxis, squeezeOrExpandToSameRank, toFloat } from './shapes.js';

/** Labels and predictions as float32 of the same rank. Call inside `tf.tidy`. */
function pair(yTrue: tf.Tensor, yPred: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return squeezeOrExpandToSameRank(toFloat(yTrue), toFloat(yPred));
}

/**
 * Weighted mean over examples of `mean(|yPred - yTrue|, -1)` (`tf.keras.metrics.MeanAbsoluteError`).
 * @example
 * ```ts
 * const m = new MeanAbsoluteError();
 * m.updateState(tf.tensor2d([[0, 1], [0, 0]]), tf.tensor2d([[1, 1], [0, 0]]));
 * m.result(); // 0.25
 * ```
 */
export class MeanAbsoluteError extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super(
      (yTrue, yPred) => {
        const [y, p] = pair(yTrue, yPred);
        return meanLastAxis(tf.abs(tf.sub(p, y)));
      },
      options,
      {},
      'mean_absolute_error',
    );
  }
}

/** Weighted mean over examples of `mean((yPred - yTrue)², -1)` (`tf.keras.metrics.MeanSquaredError`). */
export class MeanSquaredError extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super(
      (yTrue, yPred) => {
        const [y, p] = pair(yTrue, yPred);
        return meanLastAxis(tf.squaredDifference(p, y));
      },
      options,
      {},
      'mean_squared_error',
    );
  }
}

/**
 * Weighted mean over examples of `100 · mean(|yTrue - yPred| / max(|yTrue|, 1e-7), -1)`
 * (`tf.keras.metrics.MeanAbsolutePercentageError`).
 */
export class MeanAbsolutePercentageError extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super(
      (yTrue, yPred) => {
        const [y, p] = pair(yTrue, yPred);
        return tf.mul(100, meanLastAxis(tf.abs(tf.div(tf.sub(y, p), tf.maximum(tf.abs(y), 1e-7)))));
      },
      options,
      {},
      'mean_absolute_percentage_error',
    );
  }
}

/**
 * `sqrt(weighted mean of (yPred - yTrue)²)` over every element
 * (`tf.keras.metrics.RootMeanSquaredError`). State `[sum of squares, count]`:
 * clients' states are summed before the square root is taken, which is why the
 * root of a mean of roots would be wrong and is never computed.
 */
export class RootMeanSquaredError extends Mean {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super(options, 'root_mean_squared_error');
  }

  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      const [y, p] = pair(yTrue, yPred);
      this.addValues(tf.squaredDifference(p, y), sampleWeight);
    });
  }

  override finalize(state: number[]): number {
    return Math.sqrt(super.finalize(state));
  }
}

/** Keras's `backend.epsilon()`. */
const EPSILON = 1e-7;

/**
 * Weighted mean over examples of `mean((log(max(p, ε) + 1) - log(max(y, ε) + 1))², -1)`
 * (`keras.metrics.MeanSquaredLogarithmicError`).
 */
export class MeanSquaredLogarithmicError extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super(
      (yTrue, yPred) => {
        const [y, p] = pair(yTrue, yPred);
        return meanLastAxis(tf.squaredDifference(tf.log1p(tf.maximum(p, EPSILON)), tf.log1p(tf.maximum(y, EPSILON))));
      },
      options,
      {},
      'mean_squared_logarithmic_error',
    );
  }
}

/** Options of {@link CosineSimilarity}. */
export interface CosineSimilarityOptions extends MetricOptions {
  /** The axis the similarity is taken along; default -1. */
  axis?: number;
}

/**
 * Weighted mean over examples of the cosine similarity `sum(ŷ · p̂, axis)` of the
 * L2-normalised labels and predictions (`keras.metrics.CosineSimilarity`; 1 is best).
 * @example
 * ```ts
 * const m = new CosineSimilarity();
 * m.updateState(tf.tensor2d([[0, 1], [1, 1]]), tf.tensor2d([[1, 0], [1, 1]]));
 * m.result(); // (0 + 1) / 2 = 0.5
 * ```
 */
export class CosineSimilarity extends KerasMeanMetric<CosineSimilarityOptions> {
  static override readonly configKeys: ConfigKeys = ['axis'];
  readonly axis: number;
  constructor(options: CosineSimilarityOptions = {}) {
    const axis = options.axis ?? -1;
    if (!Number.isInteger(axis)) throw new ValueError(`CosineSimilarity axis must be an integer, found ${axis}.`);
    const normalize = (x: tf.Tensor) => tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-12)));
    super(
      (yTrue, yPred) => {
        const [y, p] = pair(yTrue, yPred);
        return tf.sum(tf.mul(normalize(y), normalize(p)), axis);
      },
      options,
      { axis },
      'cosine_similarity',
    );
    this.axis = axis;
  }
}

/**
 * Weighted mean over examples of `mean(log(cosh(p - y)), -1)`, computed as
 * `x + softplus(-2x) - log 2` to avoid overflow (`keras.metrics.LogCoshError`).
 */
export class LogCoshError extends KerasMeanMetric {
  static override readonly configKeys: ConfigKeys = [];
  constructor(options: MetricOptions = {}) {
    super(
      (yTrue, yPred) => {
        const [y, p] = pair(yTrue, yPred);
        const x = tf.sub(p, y);
        return meanLastAxis(tf.sub(tf.add(x, tf.softplus(tf.mul(-2, x))), Math.LN2));
      },
      options,
      {},
      'logcosh',
    );
  }
}

/** How {@link R2Score} combines the per-output scores (Keras's `class_aggregation`). */
export type R2ClassAggregation = 'uniform_average' | 'variance_weighted_average' | null;

const R2_AGGREGATIONS: readonly R2ClassAggregation[] = ['uniform_average', 'variance_weighted_average', null];

/** Options of {@link R2Score}. */
export interface R2ScoreOptions extends MetricOptions {
  /** `uniform_average` (default), `variance_weighted_average`, or `null` (per output; see the porting note). */
  classAggregation?: R2ClassAggregation;
  /** Regressors for the adjusted R², >= 0; default 0 (plain R²). */
  numRegressors?: number;
  /** Outputs (the last axis of `[n, outputs]` inputs); default 1. The state is sized at construction. */
  numOutputs?: number;
}

/**
 * The coefficient of determination `1 - SS_res / SS_tot` per output
 * (`keras.metrics.R2Score`), from weighted sums: state `[Σw·y², Σw·y, Σw·(y - p)²,
 * Σw, examples]` (one of each of the first four per output). Every entry is a sum,
 * so finalizing the clients' summed states gives the R² of all their data:
 * `SS_tot = Σw·y² - (Σw·y)² / Σw`.
 *
 * Porting note: with `classAggregation: null` Keras returns one score per
 * output; `result()` here returns their mean and `resultAt(i)` output i's.
 * `numOutputs` is fixed at construction (default 1) instead of read from the
 * first batch.
 * @example
 * ```ts
 * const r2 = new R2Score({ numOutputs: 3 });
 * r2.updateState(tf.tensor2d([[0, 0, 1], [0, 1, 0], [1, 0, 0]]), tf.tensor2d([[0.4, 0.5, 0.6], [0.1, 0.2, 0.3], [0.5, 0.8, 0.2]]));
 * r2.result(); // -0.12 (Keras's test_r2_sklearn_comparison)
 * ```
 */
export class R2Score extends Metric {
  static readonly configKeys: ConfigKeys = ['classAggregation', 'numRegressors', 'numOutputs'];
  readonly classAggregation: R2ClassAggregation;
  readonly numRegressors: number;
  readonly numOutputs: number;
  private readonly sums: { squaredSum: tf.Variable; sum: tf.Variable; residual: tf.Variable; count: tf.Variable; numSamples: tf.Variable };

  constructor(options: R2ScoreOptions = {}) {
    super('r2_score', options);
    const aggregation = options.classAggregation === undefined ? 'uniform_average' : options.classAggregation;
    if (!R2_AGGREGATIONS.includes(aggregation)) {
      throw new ValueError(`R2Score classAggregation must be uniform_average, variance_weighted_average or null; found ${JSON.stringify(aggregation)}.`);
    }
    const regressors = options.numRegressors ?? 0;
    if (!(Number.isInteger(regressors) && regressors >= 0)) throw new ValueError(`R2Score numRegressors must be an integer >= 0, found ${regressors}.`);
    const outputs = options.numOutputs ?? 1;
    if (!(Number.isInteger(outputs) && outputs >= 1)) throw new ValueError(`R2Score numOutputs must be an integer >= 1, found ${outputs}.`);
    this.classAggregation = aggregation;
    this.numRegressors = regressors;
    this.numOutputs = outputs;
    this.sums = {
      squaredSum: this.addWeight('squared_sum', [outputs]),
      sum: this.addWeight('sum', [outputs]),
      residual: this.addWeight('residual', [outputs]),
      count: this.addWeight('count', [outputs]),
      numSamples: this.addWeight('num_samples'),
    };
  }

  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      let [y, p] = pair(yTrue, yPred);
      if (y.rank === 1) [y, p] = [y.expandDims(-1), p.expandDims(-1)];
      if (y.rank !== 2 || !tf.util.arraysEqual(y.shape, p.shape) || y.shape[1] !== this.numOutputs) {
        throw new ValueError(
          `R2Score expects labels and predictions of shape [n, ${this.numOutputs}] (numOutputs), found ` +
            `[${yTrue.shape.join(', ')}] and [${yPred.shape.join(', ')}].`,
        );
      }
      let w: tf.Tensor = sampleWeight === undefined ? tf.scalar(1) : toFloat(sampleWeight);
      if (w.rank === 1) w = w.expandDims(1);
      w = tf.mul(tf.onesLike(y), w);
      const weightedY = tf.mul(y, w);
      this.accumulate(this.sums.sum, tf.sum(weightedY, 0));
      this.accumulate(this.sums.squaredSum, tf.sum(tf.mul(y, weightedY), 0));
      this.accumulate(this.sums.residual, tf.sum(tf.mul(tf.squaredDifference(y, p), w), 0));
      this.accumulate(this.sums.count, tf.sum(w, 0));
      this.accumulate(this.sums.numSamples, tf.sum(toFloat(tf.any(tf.notEqual(w, 0), -1))));
    });
  }

  /** Each output's R² from a (possibly summed) state, and the total sums of squares. */
  private scores(state: number[]): { raw: number[]; total: number[] } {
    const k = this.numOutputs;
    const raw: number[] = [];
    const total: number[] = [];
    for (let i = 0; i < k; i++) {
      const [squaredSum, sum, residual, count] = [state[i]!, state[k + i]!, state[2 * k + i]!, state[3 * k + i]!];
      const t = squaredSum - (sum * sum) / count;
      const score = 1 - residual / t;
      total.push(t);
      raw.push(Number.isFinite(score) ? score : 0);
    }
    return { raw, total };
  }

  /** Keras's adjusted R² when `numRegressors` > 0 and there are enough examples. */
  private adjust(r2: number, state: number[]): number {
    const n = state[4 * this.numOutputs]!;
    const p = this.numRegressors;
    if (p === 0 || p >= n - 1) return r2;
    return 1 - ((1 - r2) * (n - 1)) / (n - p - 1);
  }

  /** Output i's (adjusted) R² from a (possibly summed) state. */
  finalizeAt(state: number[], i: number): number {
    return this.adjust(this.scores(state).raw[i]!, state);
  }

  /** Output i's (adjusted) R² from the local state. */
  resultAt(i: number): number {
    return this.finalizeAt(this.unfinalizedState(), i);
  }

  finalize(state: number[]): number {
    const { raw, total } = this.scores(state);
    if (this.classAggregation === 'variance_weighted_average') {
      const weighted = raw.reduce((a, s, i) => a + s * total[i]!, 0);
      return this.adjust(weighted / total.reduce((a, b) => a + b, 0), state);
    }
    if (this.classAggregation === 'uniform_average') return this.adjust(raw.reduce((a, b) => a + b, 0) / raw.length, state);
    return raw.reduce((a, _, i) => a + this.adjust(raw[i]!, state), 0) / raw.length;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), classAggregation: this.classAggregation, numRegressors: this.numRegressors, numOutputs: this.numOutputs };
  }
}
