import type { DependencyContainer } from 'tsyringe';

import type { Loss, LossFn } from './loss.js';
import { LOSS_PLUGIN, type LossPlugin } from './plugin-tokens.js';
import { resolvePlugin } from './fedkit-container.js';

/** True for an object that implements {@link Loss}. */
export function isLoss(value: unknown): value is Loss {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Loss).name === 'string' &&
    typeof (value as Loss).call === 'function'
  );
}

/**
 * Turns a loss name, a {@link Loss} or a {@link LossFn} into a {@link Loss}.
 * A name is looked up among the `LOSS_PLUGIN`s of `container`; a function is
 * wrapped and named after the function.
 *
 * @throws ValueError for an unknown name (the message lists the registered ones).
 * @throws TypeError for anything else.
 * @example
 * ```ts
 * const mse = resolveLoss(container, 'mse');
 * const custom = resolveLoss(container, (y, p) => tf.losses.absoluteDifference(y, p) as tf.Scalar);
 * ```
 */
export function resolveLoss(
  container: DependencyContainer,
  loss: string | Loss | LossFn,
  config?: Record<string, unknown>,
): Loss {
  // Typed callers cannot pass anything else, but JavaScript callers can.
  const value: unknown = loss;
  if (typeof value === 'string') return resolvePlugin<LossPlugin>(container, LOSS_PLUGIN, value, 'loss').create(config);
  if (isLoss(value)) return value;
  if (typeof value === 'function') {
    const fn = value as LossFn;
    return { name: fn.name || 'custom_loss', call: (yTrue, yPred) => fn(yTrue, yPred) };
  }
  throw new TypeError(
    `Expected a loss name, a Loss object or a (yTrue, yPred) => Scalar function, found ${describe(value)}.`,
  );
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return `an object of class ${value.constructor?.name ?? 'Object'}`;
  return `${typeof value} ${String(value)}`;
}
