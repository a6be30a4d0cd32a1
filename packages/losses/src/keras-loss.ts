import * as tf from '@tensorflow/tfjs';
import type { Loss } from '@fedkit/core';

import { reduceSumOverBatchSize } from './reduce-loss.js';

/** Options every Keras loss takes. */
export interface LossOptions {
  /** Overrides the default Keras snake_case name. */
  name?: string;
}

/**
 * Base of the Keras-compatible losses: a subclass computes per-example losses
 * (`perExample`), this class applies sample weights and Keras's default
 * `SUM_OVER_BATCH_SIZE` reduction inside `tf.tidy`.
 */
export abstract class KerasLoss implements Loss {
  readonly name: string;

  constructor(defaultName: string, options: LossOptions = {}) {
    this.name = options.name ?? defaultName;
  }

  /** Per-example losses, e.g. shape [batch] for [batch, d] inputs. Called inside `tf.tidy`. */
  protected abstract perExample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;

  call(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): tf.Scalar {
    return tf.tidy(() => reduceSumOverBatchSize(this.perExample(yTrue, yPred), sampleWeight));
  }

  /** Constructor options, enough to rebuild an equal loss. */
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/** Keras's fuzz factor `backend.epsilon()`. */
export const EPSILON = 1e-7;
