import * as tf from '@tensorflow/tfjs';
import type { HostValues } from '@fedkit/core';

import type { MetricOptions } from './metric.js';
import { Sum } from './reduce.js';

/**
 * Counts examples: adds the batch size (the first dimension of the labels,
 * the first argument, as TFF's `tf.shape(y_true)[0]`) at each update, ignoring
 * sample weights (TFF's `tff.learning.metrics.NumExamplesCounter`). State `[count]`.
 * @example
 * ```ts
 * const m = new NumExamplesCounter();
 * m.updateState(tf.zeros([32, 1]), tf.zeros([32, 10]));
 * m.result(); // 32
 * ```
 */
export class NumExamplesCounter extends Sum {
  constructor(options: MetricOptions = {}) {
    super(options, 'num_examples');
  }

  override updateState(yTrue: tf.Tensor): void {
    // The batch size is static shape information: no value is read from the device.
    tf.tidy(() => this.accumulate(this.total, tf.scalar(yTrue.rank === 0 ? 1 : yTrue.shape[0]!)));
  }

  /** `[n]`, the batch size (`1` for a scalar label), as `updateState` adds it. */
  override batchDelta(yTrue: HostValues): number[] {
    return [yTrue.shape.length === 0 ? 1 : yTrue.shape[0]!];
  }
}

/** Counts batches: adds 1 at each update (TFF's `tff.learning.metrics.NumBatchesCounter`). State `[count]`. */
export class NumBatchesCounter extends Sum {
  constructor(options: MetricOptions = {}) {
    super(options, 'num_batches');
  }

  override updateState(): void {
    tf.tidy(() => this.accumulate(this.total, tf.scalar(1)));
  }

  /** `[1]`: one batch. */
  override batchDelta(): number[] {
    return [1];
  }
}
