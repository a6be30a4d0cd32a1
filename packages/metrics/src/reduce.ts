import * as tf from '@tensorflow/tfjs';

import { divNoNan, Metric, type MetricOptions } from './metric.js';

/**
 * Weighted values broadcast to the values' shape, and the matching weights;
 * a `[batch, 1]` weight for `[batch]` values is squeezed, as Keras does.
 */
export function weighValues(values: tf.Tensor, sampleWeight?: tf.Tensor): { weighted: tf.Tensor; weights: tf.Tensor } {
  const v = values.toFloat();
  if (sampleWeight === undefined) return { weighted: v, weights: tf.onesLike(v) };
  let w = sampleWeight.toFloat();
  if (w.rank === v.rank + 1 && w.shape[w.rank - 1] === 1) w = w.squeeze([w.rank - 1]);
  while (w.rank < v.rank) w = w.expandDims(-1);
  const weights = tf.mul(tf.onesLike(v), w);
  return { weighted: tf.mul(v, weights), weights };
}

/** `Reduce` with sum: state `[total]`. */
export class Sum extends Metric {
  protected readonly total = this.addWeight('total');

  constructor(options: MetricOptions = {}) {
    super('sum', options);
  }

  /** Adds the (weighted) sum of `values`; `yPred` is ignored. */
  override updateState(values: tf.Tensor, _yPred?: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => this.accumulate(this.total, tf.sum(weighValues(values, sampleWeight).weighted)));
  }

  finalize(state: number[]): number {
    return state[0]!;
  }
}

/** `Reduce` with weighted mean: state `[total, count]`, finalized as total / count. */
export class Mean extends Metric {
  protected readonly total = this.addWeight('total');
  protected readonly count = this.addWeight('count');

  constructor(options: MetricOptions = {}, defaultName = 'mean') {
    super(defaultName, options);
  }

  /** Adds `values` (any shape) to the running weighted mean; `yPred` is ignored. */
  override updateState(values: tf.Tensor, _yPred?: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => this.addValues(values, sampleWeight));
  }

  /** Accumulates already-computed values. Call inside `tf.tidy`. */
  protected addValues(values: tf.Tensor, sampleWeight?: tf.Tensor): void {
    const { weighted, weights } = weighValues(values, sampleWeight);
    this.accumulate(this.total, tf.sum(weighted));
    this.accumulate(this.count, tf.sum(weights));
  }

  finalize(state: number[]): number {
    return divNoNan(state[0]!, state[1]!);
  }
}

/** Keras's reduction names, for users who look for `Reduce`. */
export const Reduce = { Sum, Mean } as const;
