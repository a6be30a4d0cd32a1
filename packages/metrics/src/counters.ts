import * as tf from '@tensorflow/tfjs';

import type { MetricOptions } from './metric.js';
import { Sum } from './reduce.js';

/** Counts examples (the batch size of the predictions); TFF's `num_examples`. */
export class NumExamplesCounter extends Sum {
  constructor(options: MetricOptions = {}) {
    super({ name: options.name ?? 'num_examples' });
  }
  override updateState(_yTrue: tf.Tensor, yPred: tf.Tensor): void {
    tf.tidy(() => this.accumulate(this.total, tf.scalar(yPred.shape[0] ?? 0)));
  }
}

/** Counts batches; TFF's `num_batches`. */
export class NumBatchesCounter extends Sum {
  constructor(options: MetricOptions = {}) {
    super({ name: options.name ?? 'num_batches' });
  }
  override updateState(): void {
    tf.tidy(() => this.accumulate(this.total, tf.scalar(1)));
  }
}
