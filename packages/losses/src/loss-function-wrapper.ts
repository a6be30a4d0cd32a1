import * as tf from '@tensorflow/tfjs';
import type { Loss } from '@fedkit/core';

import { reduceWeightedLoss } from './reduction.js';
import { squeezeOrExpandToSameRank } from './shapes.js';

/**
 * A loss as a function of one batch returning the per-example losses (shape
 * `[batch]`, `[batch, ...]`, or a scalar). Labels arrive with their own dtype:
 * cast them inside the function where the maths needs floats.
 */
export type PerExampleLossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/**
 * Turns a per-example loss function into a {@link Loss}, the counterpart of
 * Keras's `LossFunctionWrapper`: matches the ranks of labels and predictions,
 * calls the function, then applies the `SUM_OVER_BATCH_SIZE` reduction with the
 * optional sample weights. Everything runs inside one `tf.tidy`, so only the
 * returned scalar survives.
 *
 * @example
 * ```ts
 * const l1 = new LossFunctionWrapper('l1', (t, p) => tf.sum(tf.abs(tf.sub(p, t)), -1));
 * const loss = l1.call(tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 1]])); // 1
 * ```
 */
export class LossFunctionWrapper implements Loss {
  constructor(
    readonly name: string,
    private readonly fn: PerExampleLossFn,
  ) {}

  call(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
      const perExample: unknown = this.fn(t, p);
      if (!(perExample instanceof tf.Tensor)) {
        throw new TypeError(
          `Loss "${this.name}": the loss function must return a tf.Tensor of per-example losses (or a scalar), ` +
            `found ${typeof perExample}.`,
        );
      }
      return reduceWeightedLoss(perExample, sampleWeight);
    });
  }

  /**
   * The constructor options that rebuild an equal loss, e.g. at the server:
   * `plugin.create(loss.getConfig())`.
   */
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}
