import type * as tf from '@tensorflow/tfjs';
import { describe, type Loss, type LossPlugin } from '@fedkit/core';

import { LossFunctionWrapper } from './loss-function-wrapper.js';

/**
 * The body of a custom loss: per-example losses (or a scalar) of one batch.
 * `config` is the object passed to `create` / `resolveLoss` (empty when none),
 * so one plugin can serve several settings (e.g. a focal loss's `gamma`).
 * Labels keep their dtype: cast them where the maths needs floats.
 */
export type CustomLossFn = (yTrue: tf.Tensor, yPred: tf.Tensor, config: Readonly<Record<string, unknown>>) => tf.Tensor;

/**
 * Makes a {@link LossPlugin} from a function, for custom losses in a few lines.
 * The loss it creates matches label and prediction ranks as Keras does, runs
 * `fn` inside `tf.tidy` and applies the `SUM_OVER_BATCH_SIZE` reduction with the
 * optional sample weights, exactly like the built-in losses.
 *
 * @throws TypeError when `name` is not a non-empty string or `fn` is not a function.
 * @example
 * ```ts
 * const c = createFedkitContainer();
 * registerPlugin(c, LOSS_PLUGIN, defineLoss('l1', (t, p) => tf.sum(tf.abs(tf.sub(p, tf.cast(t, 'float32'))), -1)));
 * const loss = resolveLoss(c, 'l1');
 * ```
 */
export function defineLoss(name: string, fn: CustomLossFn): LossPlugin {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError(`defineLoss: expected a non-empty name, found ${describe(name)}.`);
  }
  if (typeof fn !== 'function') {
    throw new TypeError(`defineLoss("${name}"): expected a (yTrue, yPred, config) => Tensor function, found ${describe(fn)}.`);
  }
  return {
    name,
    create(config?: Record<string, unknown>): Loss {
      // A copy, so that mutating the caller's object later does not change this loss.
      const frozen = Object.freeze({ ...(config ?? {}) });
      return new CustomLoss(name, fn, frozen);
    },
  };
}

/** A loss made by {@link defineLoss}; its config is the one it was created with. */
class CustomLoss extends LossFunctionWrapper {
  constructor(
    name: string,
    fn: CustomLossFn,
    private readonly config: Readonly<Record<string, unknown>>,
  ) {
    super(name, (yTrue, yPred) => fn(yTrue, yPred, config));
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.config };
  }
}
