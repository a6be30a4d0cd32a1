/**
 * Dice loss: Milletari, Navab, Ahmadi, "V-Net: Fully Convolutional Neural
 * Networks for Volumetric Medical Image Segmentation", 3DV 2016
 * (arXiv:1606.04797), as Keras 3's `keras.losses.Dice` computes it.
 */
import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { EPSILON } from './epsilon.js';
import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, reductionOf, type BaseLossOptions } from './options.js';
import { alignLabels, canonicalAxis } from './shapes.js';

/** Axes to sum over: one axis, several, or `null` (the default) for every axis, giving one loss per batch. */
export type SumAxes = number | readonly number[] | null;

/** Options of {@link Dice}. */
export interface DiceOptions extends BaseLossOptions {
  /** The axes the overlap is summed over; `null` (default): all of them, one value per batch. `[1, 2, 3]`: one per image. */
  axis?: SumAxes;
}

/**
 * Checks an `axis` option of the overlap losses.
 * @throws ValueError unless it is undefined, null, an integer or a non-empty list of integers.
 */
export function sumAxesOf(axis: unknown, lossName: string): SumAxes {
  if (axis === undefined || axis === null) return null;
  if (typeof axis === 'number' && Number.isInteger(axis)) return axis;
  if (Array.isArray(axis) && axis.length > 0 && axis.every((a) => Number.isInteger(a))) return [...(axis as number[])];
  throw new ValueError(
    `${lossName}: axis must be null (every axis), an integer or a non-empty list of integers, found ${JSON.stringify(axis)}. ` +
      'Use e.g. { axis: [1, 2, 3] } for one loss per image.',
  );
}

/** `axes` as non-negative indices for a tensor of rank `rank` (undefined for "every axis"). */
export function resolveSumAxes(axes: SumAxes, rank: number, lossName: string): number[] | undefined {
  if (axes === null) return undefined;
  return (typeof axes === 'number' ? [axes] : axes).map((a) => canonicalAxis(a, rank, lossName));
}

/**
 * Dice loss `1 - 2 sum(y p) / (sum(y) + sum(p) + 1e-7)`, summed over `axis`
 * (every axis by default, so one value per batch).
 *
 * @example
 * ```ts
 * // Keras's DiceTest.test_correctness: 1 - 28 / 18 = -0.5556
 * dice(tf.tensor2d([[1, 2], [1, 2]]), tf.tensor2d([[4, 1], [6, 1]]));
 * ```
 */
export function dice(yTrue: tf.Tensor, yPred: tf.Tensor, axis: SumAxes = null): tf.Tensor {
  return tf.tidy(() => {
    const [y, p] = alignLabels(yTrue, yPred, 'dice');
    const axes = resolveSumAxes(axis, p.rank, 'dice');
    const intersection = tf.sum(tf.mul(y, p), axes);
    return tf.sub(1, tf.div(tf.mul(2, intersection), tf.add(tf.add(tf.sum(y, axes), tf.sum(p, axes)), EPSILON)));
  });
}

/**
 * The Dice loss for segmentation (Keras `Dice`, plugin name `dice`).
 *
 * @example
 * ```ts
 * // One loss per image, then the mean over the batch:
 * new Dice({ axis: [1, 2, 3] }).call(masks, predictedMasks);
 * ```
 */
export class Dice extends LossFunctionWrapper {
  /** The axes the overlap is summed over (`null`: every axis). */
  readonly axis: SumAxes;

  constructor(options: DiceOptions = {}) {
    // axis may be a list, which checkOptions' type table cannot say: it is checked below.
    checkOptions({ ...options, axis: undefined }, { ...BASE_OPTION_TYPES, axis: 'number' }, 'Dice');
    const axis = sumAxesOf(options?.axis, 'Dice');
    super(options?.name ?? 'dice', (t, p) => dice(t, p, axis), reductionOf(options, 'Dice'));
    this.axis = axis;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
