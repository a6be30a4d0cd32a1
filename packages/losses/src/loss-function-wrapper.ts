import * as tf from '@tensorflow/tfjs';
import type { Loss } from '@fedkit/core';

import { ValueError } from '@fedkit/core';

import { reduceWeightedValues, type LossReduction } from './reduction.js';
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
    /** How {@link LossFunctionWrapper.call} reduces the weighted per-example losses. */
    readonly reduction: LossReduction = 'sum_over_batch_size',
  ) {}

  /**
   * The loss of one batch, reduced to a scalar as `reduction` says.
   * @throws ValueError when `reduction` is `none` (use {@link LossFunctionWrapper.compute}).
   */
  call(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): tf.Scalar {
    if (this.reduction === 'none') {
      throw new ValueError(
        `Loss "${this.name}" has reduction "none": call() must return a scalar (core's Loss contract, used for ` +
          'training). Use loss.compute(yTrue, yPred, sampleWeight) for the per-example losses, or another reduction.',
      );
    }
    return this.compute(yTrue, yPred, sampleWeight) as tf.Scalar;
  }

  /**
   * Keras's `loss(y_true, y_pred, sample_weight)`: the loss reduced as `reduction`
   * says, so the weighted per-example losses for `none` and a scalar otherwise.
   * Runs inside one `tf.tidy`.
   */
  compute(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
      const perExample: unknown = this.fn(t, p);
      if (!(perExample instanceof tf.Tensor)) {
        throw new TypeError(
          `Loss "${this.name}": the loss function must return a tf.Tensor of per-example losses (or a scalar), ` +
            `found ${typeof perExample}.`,
        );
      }
      return reduceWeightedValues(perExample, sampleWeight, this.reduction, this.mask(t, p));
    });
  }

  /**
   * Elements of the per-example loss to leave out of the reduction (1 keeps, 0
   * drops), or undefined for none; `SparseCategoricalCrossentropy` with
   * `ignoreClass` overrides it. Called inside `tf.tidy`.
   */
  protected mask(_yTrue: tf.Tensor, _yPred: tf.Tensor): tf.Tensor | undefined {
    return undefined;
  }

  /**
   * The constructor options that rebuild an equal loss, e.g. at the server:
   * `plugin.create(loss.getConfig())`. `reduction` appears when it is not the default.
   */
  getConfig(): Record<string, unknown> {
    return { name: this.name, ...(this.reduction === 'sum_over_batch_size' ? {} : { reduction: this.reduction }) };
  }
}
