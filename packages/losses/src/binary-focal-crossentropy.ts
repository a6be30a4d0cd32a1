/**
 * Binary focal crossentropy: Lin, Goyal, Girshick, He, Dollár, "Focal Loss for
 * Dense Object Detection", ICCV 2017 (arXiv:1708.02002), as Keras 3's
 * `keras.losses.BinaryFocalCrossentropy` computes it.
 */
import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { EPSILON } from './epsilon.js';
import { LossFunctionWrapper } from './loss-function-wrapper.js';
import {
  BASE_OPTION_TYPES,
  axisOf,
  checkOptions,
  labelSmoothingOf,
  reductionOf,
  type SmoothedCrossentropyOptions,
} from './options.js';
import { alignLabels, canonicalAxis } from './shapes.js';

/** Options of {@link BinaryFocalCrossentropy}. */
export interface BinaryFocalCrossentropyOptions extends SmoothedCrossentropyOptions {
  /** Weigh class 1 by `alpha` and class 0 by `1 - alpha`; default false. */
  applyClassBalancing?: boolean;
  /** The class-1 weight when `applyClassBalancing`; default 0.25. */
  alpha?: number;
  /** The focusing parameter; 0 gives the binary crossentropy. Default 2. */
  gamma?: number;
}

/** The resolved parameters of {@link binaryFocalCrossentropy}. */
export interface BinaryFocalParameters {
  applyClassBalancing: boolean;
  alpha: number;
  gamma: number;
  fromLogits: boolean;
  labelSmoothing: number;
  axis: number;
}

const DEFAULTS: BinaryFocalParameters = {
  applyClassBalancing: false,
  alpha: 0.25,
  gamma: 2,
  fromLogits: false,
  labelSmoothing: 0,
  axis: -1,
};

/**
 * Per-example binary focal crossentropy: `(1 - p_t)^gamma * bce`, averaged over
 * `axis`, where `p_t` is the probability given to the true class and `bce` the
 * binary crossentropy of the clipped probability. With `fromLogits` the
 * sigmoid is applied first (Keras 3 then uses the probability form too).
 *
 * @example
 * ```ts
 * // Keras's docstring: labels [[0, 1], [0, 0]], p [[0.6, 0.4], [0.4, 0.6]] -> [0.330, 0.206]
 * binaryFocalCrossentropy(tf.tensor2d([[0, 1], [0, 0]]), tf.tensor2d([[0.6, 0.4], [0.4, 0.6]]));
 * ```
 */
export function binaryFocalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  parameters: Partial<BinaryFocalParameters> = {},
): tf.Tensor {
  const { applyClassBalancing, alpha, gamma, fromLogits, labelSmoothing, axis } = { ...DEFAULTS, ...parameters };
  return tf.tidy(() => {
    const [labels, pred] = alignLabels(yTrue, yPred, 'binary_focal_crossentropy');
    const y = labelSmoothing > 0 ? tf.add(tf.mul(labels, 1 - labelSmoothing), 0.5 * labelSmoothing) : labels;
    const p = fromLogits ? tf.sigmoid(pred) : pred;
    const clipped = tf.clipByValue(p, EPSILON, 1 - EPSILON);
    const bce = tf.neg(tf.add(tf.mul(y, tf.log(clipped)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, clipped)))));
    const pT = tf.add(tf.mul(y, p), tf.mul(tf.sub(1, y), tf.sub(1, p)));
    let focal = tf.mul(tf.pow(tf.sub(1, pT), gamma), bce);
    if (applyClassBalancing) focal = tf.mul(tf.add(tf.mul(y, alpha), tf.mul(tf.sub(1, y), 1 - alpha)), focal);
    return tf.mean(focal, canonicalAxis(axis, focal.rank, 'binary_focal_crossentropy'));
  });
}

/**
 * Binary crossentropy that down-weighs easy examples (Keras
 * `BinaryFocalCrossentropy`, plugin name `binary_focal_crossentropy`).
 *
 * @throws ValueError when `gamma` is negative or `alpha` lies outside [0, 1].
 * @example
 * ```ts
 * const focal = new BinaryFocalCrossentropy({ gamma: 2 });
 * focal.call(tf.tensor2d([[1, 0], [1, 0]]), tf.tensor2d([[0.9, 0.8], [0.7, 0.2]])); // 0.268 (Keras's test_unweighted)
 * ```
 */
export class BinaryFocalCrossentropy extends LossFunctionWrapper {
  readonly applyClassBalancing: boolean;
  readonly alpha: number;
  readonly gamma: number;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(options: BinaryFocalCrossentropyOptions = {}) {
    const lossName = 'BinaryFocalCrossentropy';
    checkOptions(
      options,
      {
        ...BASE_OPTION_TYPES,
        applyClassBalancing: 'boolean',
        alpha: 'number',
        gamma: 'number',
        fromLogits: 'boolean',
        labelSmoothing: 'number',
        axis: 'number',
      },
      lossName,
    );
    const parameters: BinaryFocalParameters = {
      applyClassBalancing: options?.applyClassBalancing ?? DEFAULTS.applyClassBalancing,
      alpha: options?.alpha ?? DEFAULTS.alpha,
      gamma: options?.gamma ?? DEFAULTS.gamma,
      fromLogits: options?.fromLogits ?? DEFAULTS.fromLogits,
      labelSmoothing: labelSmoothingOf(options, lossName),
      axis: axisOf(options, lossName),
    };
    checkFocalParameters(parameters.alpha, parameters.gamma, lossName);
    super(options?.name ?? 'binary_focal_crossentropy', (t, p) => binaryFocalCrossentropy(t, p, parameters), reductionOf(options, lossName));
    ({
      applyClassBalancing: this.applyClassBalancing,
      alpha: this.alpha,
      gamma: this.gamma,
      fromLogits: this.fromLogits,
      labelSmoothing: this.labelSmoothing,
      axis: this.axis,
    } = parameters);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      applyClassBalancing: this.applyClassBalancing,
      alpha: this.alpha,
      gamma: this.gamma,
      fromLogits: this.fromLogits,
      labelSmoothing: this.labelSmoothing,
      axis: this.axis,
    };
  }
}

/**
 * Checks the focal loss parameters.
 * @throws ValueError when `gamma` is negative or `alpha` lies outside [0, 1].
 */
export function checkFocalParameters(alpha: number, gamma: number, lossName: string): void {
  if (!(gamma >= 0)) throw new ValueError(`${lossName}: gamma must be >= 0, found ${gamma}. Use e.g. { gamma: 2 }.`);
  if (!(alpha >= 0 && alpha <= 1)) throw new ValueError(`${lossName}: alpha must lie in [0, 1], found ${alpha}. Use e.g. { alpha: 0.25 }.`);
}
