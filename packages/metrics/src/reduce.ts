import * as tf from '@tensorflow/tfjs';
import { ValueError, type HostValues } from '@fedkit/core';

import { divNoNan, Metric, type ConfigKeys, type MetricOptions } from './metric.js';
import { toFloat } from './shapes.js';

/**
 * Weighted values and the matching weights, both of the values' shape. A
 * `[batch, 1]` weight for `[batch]` values is squeezed, and a `[batch]` weight
 * for `[batch, d...]` values is broadcast over the trailing axes, as Keras does.
 * Call inside `tf.tidy`.
 *
 * @throws ValueError when the weight has more axes than the values, or an axis
 *   that is neither 1 nor the values' size on that axis.
 */
export function weighValues(values: tf.Tensor, sampleWeight?: tf.Tensor): { weighted: tf.Tensor; weights: tf.Tensor } {
  const v = toFloat(values);
  if (sampleWeight === undefined) return { weighted: v, weights: tf.onesLike(v) };
  let w = toFloat(sampleWeight);
  // A weighted scalar (the loss tracker's `loss · batch size`): no tensor of ones, and the weight is its own count.
  if (v.rank === 0 && w.rank === 0) return { weighted: tf.mul(v, w), weights: w };
  if (w.rank === v.rank + 1 && w.shape[w.rank - 1] === 1) w = w.squeeze([w.rank - 1]);
  // Keras's reduce_to_samplewise_values broadcasts the weights to the values' shape, aligning
  // leading axes; anything else (e.g. [n, d] weights on [n] per-example values, which
  // broadcasting would silently turn into [n, n] when n == d) is an error.
  if (w.rank > v.rank || w.shape.some((d, i) => d !== 1 && d !== v.shape[i])) {
    throw new ValueError(
      `A sample weight of shape [${w.shape.join(', ')}] cannot weigh metric values of shape [${v.shape.join(', ')}]: ` +
        'each weight axis must equal the matching leading axis of the values, or be 1. Metrics that average the last ' +
        'axis per example (mean_squared_error, binary_crossentropy, ...) take one weight per example, [n] or [n, 1].',
    );
  }
  while (w.rank < v.rank) w = w.expandDims(-1);
  const weights = tf.mul(tf.onesLike(v), w);
  return { weighted: tf.mul(v, weights), weights };
}

/** The sum of `t`'s elements; a scalar is its own sum (no kernel). */
function sumOf(t: tf.Tensor): tf.Tensor {
  return t.rank === 0 ? t : tf.sum(t);
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

  /**
   * @param fixedReduction set by subclasses ({@link Sum}, {@link Mean}) whose
   *   reduction is not an option; `options` then are the caller's, checked
   *   against the subclass's own `configKeys`.
   */
  constructor(options: ReduceOptions | MetricOptions, defaultName?: string, fixedReduction?: Reduction) {
    const reduction = fixedReduction ?? (options as Partial<ReduceOptions>).reduction;
    super(defaultName ?? String(reduction), options);
    if (reduction === undefined || !REDUCTIONS.includes(reduction)) {
      throw new ValueError(`Unknown reduction "${String(reduction)}"; expected one of ${REDUCTIONS.join(', ')}.`);
    }
    this.reduction = reduction;
    this.total = this.addWeight('total');
    this.count = this.reduction === 'sum' ? undefined : this.addWeight('count');
  }

  /** Adds `values` (any shape); `_yPred` is ignored, so `updateState(values, undefined, weights)` works. */
  override updateState(values: tf.Tensor, _yPred?: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => this.addValues(values, sampleWeight));
  }

  /** Accumulates already-computed values. Call inside `tf.tidy`. */
  protected addValues(values: tf.Tensor, sampleWeight?: tf.Tensor): void {
    // Unweighted values: the count is their number (a sum of ones is exact), with no tensor of ones made.
    if (sampleWeight === undefined) {
      this.accumulate(this.total, sumOf(toFloat(values)));
      if (this.count !== undefined) this.accumulate(this.count, tf.scalar(values.size));
      return;
    }
    const { weighted, weights } = weighValues(values, sampleWeight);
    this.accumulate(this.total, sumOf(weighted));
    if (this.count === undefined) return;
    this.accumulate(this.count, this.reduction === 'weighted_mean' ? sumOf(weights) : tf.scalar(weighted.size));
  }

  /**
   * What `updateState` adds for a single value (a scalar, e.g. a batch's loss) with no weight or a scalar
   * weight: `[v]` or `[v·w]`, then the count (`1`, or `w` for `weighted_mean` with a weight), each rounded
   * to float32 as the kernels round them. `undefined` (use `updateState`) for any other shape: the sum of
   * many values is the kernel's to order. A subclass that overrides `updateState` gets `undefined` here
   * unless it overrides this too: its update is no longer this one.
   */
  batchDelta(values: HostValues, _yPred?: HostValues, sampleWeight?: HostValues): number[] | undefined {
    if (this.updateState !== Reduce.prototype.updateState) return undefined;
    if (values.values.length !== 1 || values.shape.length !== 0) return undefined;
    if (sampleWeight !== undefined && (sampleWeight.values.length !== 1 || sampleWeight.shape.length !== 0)) return undefined;
    const v = Math.fround(values.values[0]!);
    const w = sampleWeight === undefined ? undefined : Math.fround(sampleWeight.values[0]!);
    const total = w === undefined ? v : Math.fround(v * w);
    if (this.count === undefined) return [total];
    return [total, this.reduction === 'weighted_mean' && w !== undefined ? w : 1];
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
    super(options, defaultName, 'sum');
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
    super(options, defaultName, 'weighted_mean');
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}
