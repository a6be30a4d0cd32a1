import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { divNoNan, Metric, type ConfigKeys, type MetricOptions } from './metric.js';
import { toFloat } from './shapes.js';

/**
 * Weighted values and the matching weights, both of the values' shape. A
 * `[batch, 1]` weight for `[batch]` values is squeezed, and a `[batch]` weight
 * for `[batch, d...]` values is broadcast over the trailing axes, as Keras does.
 * Call inside `tf.tidy`.
 */
export function weighValues(values: tf.Tensor, sampleWeight?: tf.Tensor): { weighted: tf.Tensor; weights: tf.Tensor } {
  const v = toFloat(values);
  if (sampleWeight === undefined) return { weighted: v, weights: tf.onesLike(v) };
  let w = toFloat(sampleWeight);
  if (w.rank === v.rank + 1 && w.shape[w.rank - 1] === 1) w = w.squeeze([w.rank - 1]);
  while (w.rank < v.rank) w = w.expandDims(-1);
  const weights = tf.mul(tf.onesLike(v), w);
  return { weighted: tf.mul(v, weights), weights };
}

/** How {@link Reduce} turns the values it has seen into one number (Keras's `Reduction`). */
export type Reduction = 'sum' | 'sum_over_batch_size' | 'weighted_mean';

const REDUCTIONS: readonly Reduction[] = ['sum', 'sum_over_batch_size', 'weighted_mean'];

/** Options of {@link Reduce}. */
export interface ReduceOptions extends MetricOptions {
  /** `sum`, `sum_over_batch_size` (sum / number of values) or `weighted_mean` (sum / sum of weights). */
  reduction: Reduction;
}

/**
 * `tf.keras.metrics.Reduce`: reduces every value it is given (of any shape,
 * optionally weighted) to a sum or a mean. State `[total]` for `sum`, else
 * `[total, count]`; both sum across clients.
 *
 * @example
 * ```ts
 * const m = new Reduce({ reduction: 'sum_over_batch_size' });
 * m.updateState(tf.tensor1d([1, 2, 6]));
 * m.result(); // 3
 * ```
 */
export class Reduce extends Metric {
  static readonly requiredConfigKeys: ConfigKeys = ['reduction'];
  static readonly configKeys: ConfigKeys = ['reduction'];

  readonly reduction: Reduction;
  protected readonly total: tf.Variable;
  protected readonly count: tf.Variable | undefined;

  constructor(options: ReduceOptions, defaultName: string = options.reduction) {
    super(defaultName, options);
    if (!REDUCTIONS.includes(options.reduction)) {
      throw new ValueError(
        `Unknown reduction "${String(options.reduction)}"; expected one of ${REDUCTIONS.join(', ')}.`,
      );
    }
    this.reduction = options.reduction;
    this.total = this.addWeight('total');
    this.count = this.reduction === 'sum' ? undefined : this.addWeight('count');
  }

  /** Adds `values` (any shape); `_yPred` is ignored, so `updateState(values, undefined, weights)` works. */
  override updateState(values: tf.Tensor, _yPred?: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => this.addValues(values, sampleWeight));
  }

  /** Accumulates already-computed values. Call inside `tf.tidy`. */
  protected addValues(values: tf.Tensor, sampleWeight?: tf.Tensor): void {
    const { weighted, weights } = weighValues(values, sampleWeight);
    this.accumulate(this.total, tf.sum(weighted));
    if (this.count === undefined) return;
    this.accumulate(this.count, this.reduction === 'weighted_mean' ? tf.sum(weights) : tf.scalar(weighted.size));
  }

  finalize(state: number[]): number {
    return this.reduction === 'sum' ? state[0]! : divNoNan(state[0]!, state[1]!);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), reduction: this.reduction };
  }
}

/** `tf.keras.metrics.Sum`: the (weighted) sum of every value; state `[total]`. */
export class Sum extends Reduce {
  static override readonly requiredConfigKeys: ConfigKeys = [];
  static override readonly configKeys: ConfigKeys = [];

  constructor(options: MetricOptions = {}, defaultName = 'sum') {
    super({ name: options.name ?? defaultName, reduction: 'sum' });
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/**
 * `tf.keras.metrics.Mean`: the weighted mean of every value; state
 * `[total, count]` (count = sum of the weights), finalized as total / count.
 */
export class Mean extends Reduce {
  static override readonly requiredConfigKeys: ConfigKeys = [];
  static override readonly configKeys: ConfigKeys = [];

  constructor(options: MetricOptions = {}, defaultName = 'mean') {
    super({ name: options.name ?? defaultName, reduction: 'weighted_mean' });
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}
