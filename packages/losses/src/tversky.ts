/**
 * Tversky loss: Salehi, Erdogmus, Gholipour, "Tversky loss function for image
 * segmentation using 3D fully convolutional deep networks", MLMI 2017
 * (arXiv:1706.05721), as Keras 3's `keras.losses.Tversky` computes it.
 */
import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { resolveSumAxes, sumAxesOf, type SumAxes } from './dice.js';
import { EPSILON } from './epsilon.js';
import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { BASE_OPTION_TYPES, checkOptions, reductionOf, type BaseLossOptions } from './options.js';
import { alignLabels } from './shapes.js';

/** Options of {@link Tversky}. */
export interface TverskyOptions extends BaseLossOptions {
  /** Weight of the false positives; default 0.5. */
  alpha?: number;
  /** Weight of the false negatives; default 0.5. */
  beta?: number;
  /** The axes summed over; `null` (default): every axis, one value per batch. */
  axis?: SumAxes;
}

/**
 * Tversky loss `1 - TP / (TP + alpha FP + beta FN + 1e-7)` with soft counts
 * `TP = sum(y p)`, `FP = sum((1 - y) p)`, `FN = sum(y (1 - p))` over `axis`.
 * `alpha = beta = 0.5` is the Dice loss.
 *
 * @example
 * ```ts
 * // Keras's TverskyTest.test_correctness_custom_coefficients: -0.9444
 * tversky(tf.tensor2d([[1, 2], [1, 2]]), tf.tensor2d([[4, 1], [6, 1]]), 0.2, 0.8);
 * ```
 */
export function tversky(yTrue: tf.Tensor, yPred: tf.Tensor, alpha = 0.5, beta = 0.5, axis: SumAxes = null): tf.Tensor {
  return tf.tidy(() => {
    const [y, p] = alignLabels(yTrue, yPred, 'tversky');
    const axes = resolveSumAxes(axis, p.rank, 'tversky');
    const tp = tf.sum(tf.mul(y, p), axes);
    const fp = tf.sum(tf.mul(tf.sub(1, y), p), axes);
    const fn = tf.sum(tf.mul(y, tf.sub(1, p)), axes);
    return tf.sub(1, tf.div(tp, tf.add(tf.add(tf.add(tp, tf.mul(fp, alpha)), tf.mul(fn, beta)), EPSILON)));
  });
}

/**
 * The Tversky loss for segmentation, trading false positives against false
 * negatives (Keras `Tversky`, plugin name `tversky`).
 *
 * @throws ValueError when `alpha` or `beta` is negative.
 * @example
 * ```ts
 * new Tversky({ alpha: 0.3, beta: 0.7, axis: [1, 2, 3] }).call(masks, predictedMasks);
 * ```
 */
export class Tversky extends LossFunctionWrapper {
  readonly alpha: number;
  readonly beta: number;
  readonly axis: SumAxes;

  constructor(options: TverskyOptions = {}) {
    checkOptions({ ...options, axis: undefined }, { ...BASE_OPTION_TYPES, alpha: 'number', beta: 'number', axis: 'number' }, 'Tversky');
    const alpha = options?.alpha ?? 0.5;
    const beta = options?.beta ?? 0.5;
    if (!(alpha >= 0 && beta >= 0)) {
      throw new ValueError(`Tversky: alpha and beta must be >= 0, found alpha ${alpha}, beta ${beta}. Use e.g. { alpha: 0.3, beta: 0.7 }.`);
    }
    const axis = sumAxesOf(options?.axis, 'Tversky');
    super(options?.name ?? 'tversky', (t, p) => tversky(t, p, alpha, beta, axis), reductionOf(options, 'Tversky'));
    this.alpha = alpha;
    this.beta = beta;
    this.axis = axis;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha, beta: this.beta, axis: this.axis };
  }
}
