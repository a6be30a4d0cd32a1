import { ValueError, describe } from '@fedkit/core';

import { LOSS_REDUCTIONS, type LossReduction } from './reduction.js';

/** The JavaScript type each option key accepts. */
export type OptionTypes = Readonly<Record<string, 'boolean' | 'number' | 'string'>>;

/**
 * Checks a loss's constructor options (which are also its plugin config): every
 * key must be known and of the expected type. Thrown at construction, so that a
 * typo such as `{ from_logits: true }` fails before training, not as a wrong loss.
 *
 * @throws ValueError for an unknown key (the message lists the accepted ones).
 * @throws TypeError for a value of the wrong type.
 */
export function checkOptions(options: unknown, types: OptionTypes, lossName: string): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${lossName}: expected an options object, found ${describe(options)}.`);
  }
  const accepted = Object.keys(types);
  for (const [key, value] of Object.entries(options)) {
    const expected = types[key];
    if (expected === undefined) {
      throw new ValueError(
        `${lossName}: unknown option "${key}". Accepted options: ${accepted.length > 0 ? accepted.join(', ') : '(none)'}` +
          ` (camelCase, as in the constructor).`,
      );
    }
    if (value !== undefined && typeof value !== expected) {
      throw new TypeError(`${lossName}: option "${key}" must be a ${expected}, found ${describe(value)}.`);
    }
  }
}

/** Options every built-in loss accepts. */
export interface BaseLossOptions {
  /** Overrides the Keras snake_case name the loss reports. */
  name?: string;
  /**
   * How `call` reduces the weighted per-example losses (Keras's `reduction`); default
   * `sum_over_batch_size`. With `none`, use `compute` (core's `Loss.call` returns a scalar).
   */
  reduction?: LossReduction;
}

/** Options of the crossentropy losses that accept logits. */
export interface FromLogitsOptions extends BaseLossOptions {
  /** Whether `yPred` holds logits rather than probabilities. Default false. */
  fromLogits?: boolean;
}

/** Options of the crossentropy losses that also smooth labels. */
export interface SmoothedCrossentropyOptions extends FromLogitsOptions {
  /** In [0, 1]; 0 (the default) leaves the labels as they are. */
  labelSmoothing?: number;
  /** The axis the loss reduces (binary: the mean; categorical: the class axis); default -1. */
  axis?: number;
}

/** The options every built-in loss accepts: `name` and `reduction`. */
export const BASE_OPTION_TYPES: OptionTypes = { name: 'string', reduction: 'string' };

/**
 * Returns `reduction` (default `sum_over_batch_size`) after checking it.
 * @throws ValueError for an unknown reduction.
 */
export function reductionOf(options: BaseLossOptions | undefined, lossName: string): LossReduction {
  const value = options?.reduction ?? 'sum_over_batch_size';
  if (!LOSS_REDUCTIONS.includes(value)) {
    throw new ValueError(`${lossName}: reduction must be one of ${LOSS_REDUCTIONS.join(', ')}, found "${String(value)}".`);
  }
  return value;
}

/**
 * Returns `labelSmoothing` (default 0) after checking that it lies in [0, 1].
 * @throws ValueError otherwise.
 */
export function labelSmoothingOf(options: SmoothedCrossentropyOptions | undefined, lossName: string): number {
  const value = options?.labelSmoothing ?? 0;
  if (!(value >= 0 && value <= 1)) {
    throw new ValueError(`${lossName}: labelSmoothing must lie in [0, 1], found ${value}. Use e.g. { labelSmoothing: 0.1 }.`);
  }
  return value;
}

/**
 * Returns `axis` (default -1) after checking that it is an integer.
 * @throws ValueError otherwise.
 */
export function axisOf(options: { axis?: number } | undefined, lossName: string): number {
  const axis = options?.axis ?? -1;
  if (!Number.isInteger(axis)) {
    throw new ValueError(`${lossName}: axis must be an integer, found ${axis}. Use e.g. { axis: -1 }.`);
  }
  return axis;
}
