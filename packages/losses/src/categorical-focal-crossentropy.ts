/**
 * Categorical focal crossentropy: Lin, Goyal, Girshick, He, Dollár, "Focal
 * Loss for Dense Object Detection", ICCV 2017 (arXiv:1708.02002), as Keras 3's
 * `keras.losses.CategoricalFocalCrossentropy` computes it.
 */
import * as tf from '@tensorflow/tfjs';

import { checkFocalParameters } from './binary-focal-crossentropy.js';
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
import { alignLabels, moveAxisToLast } from './shapes.js';

/** Options of {@link CategoricalFocalCrossentropy}. */
export interface CategoricalFocalCrossentropyOptions extends SmoothedCrossentropyOptions {
  /** The weight of every class; default 0.25. */
  alpha?: number;
  /** The focusing parameter; 0 gives `alpha` times the categorical crossentropy. Default 2. */
  gamma?: number;
}

/** The resolved parameters of {@link categoricalFocalCrossentropy}. */
export interface CategoricalFocalParameters {
  alpha: number;
  gamma: number;
  fromLogits: boolean;
  labelSmoothing: number;
  axis: number;
}

const DEFAULTS: CategoricalFocalParameters = { alpha: 0.25, gamma: 2, fromLogits: false, labelSmoothing: 0, axis: -1 };

/**
 * Per-example categorical focal crossentropy over the class axis:
 * `sum(alpha * (1 - p)^gamma * -y log p)`, with `p` the renormalised, clipped
 * probabilities (the softmax of logits with `fromLogits`).
 *
 * @example
 * ```ts
 * // Keras's docstring: -> [2.634e-4, 0.6759]
 * categoricalFocalCrossentropy(tf.tensor2d([[0, 1, 0], [0, 0, 1]]), tf.tensor2d([[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]]));
 * ```
 */
export function categoricalFocalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  parameters: Partial<CategoricalFocalParameters> = {},
): tf.Tensor {
  const { alpha, gamma, fromLogits, labelSmoothing, axis } = { ...DEFAULTS, ...parameters };
  return tf.tidy(() => {
    const [aligned, alignedPred] = alignLabels(yTrue, yPred, 'categorical_focal_crossentropy');
    const labels = moveAxisToLast(aligned, axis, 'categorical_focal_crossentropy');
    const pred = moveAxisToLast(alignedPred, axis, 'categorical_focal_crossentropy');
    const numClasses = pred.shape[pred.rank - 1] ?? 1;
    const y = labelSmoothing > 0 ? tf.add(tf.mul(labels, 1 - labelSmoothing), labelSmoothing / numClasses) : labels;
    const p = fromLogits ? tf.softmax(pred) : pred;
    const output = tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), EPSILON, 1 - EPSILON);
    const cce = tf.neg(tf.mul(y, tf.log(output)));
    return tf.sum(tf.mul(tf.mul(tf.pow(tf.sub(1, output), gamma), alpha), cce), -1);
  });
}

/**
 * Categorical crossentropy that down-weighs well-classified examples (Keras
 * `CategoricalFocalCrossentropy`, plugin name `categorical_focal_crossentropy`).
 *
 * Porting note: Keras also accepts a list of per-class `alpha`s; here `alpha`
 * is one number.
 * @throws ValueError when `gamma` is negative or `alpha` lies outside [0, 1].
 * @example
 * ```ts
 * const focal = new CategoricalFocalCrossentropy();
 * focal.call(tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
 *   tf.tensor2d([[0.9, 0.05, 0.05], [0.5, 0.89, 0.6], [0.05, 0.01, 0.94]])); // 0.02059 (Keras's test_unweighted)
 * ```
 */
export class CategoricalFocalCrossentropy extends LossFunctionWrapper {
  readonly alpha: number;
  readonly gamma: number;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(options: CategoricalFocalCrossentropyOptions = {}) {
    const lossName = 'CategoricalFocalCrossentropy';
    checkOptions(
      options,
      { ...BASE_OPTION_TYPES, alpha: 'number', gamma: 'number', fromLogits: 'boolean', labelSmoothing: 'number', axis: 'number' },
      lossName,
    );
    const parameters: CategoricalFocalParameters = {
      alpha: options?.alpha ?? DEFAULTS.alpha,
      gamma: options?.gamma ?? DEFAULTS.gamma,
      fromLogits: options?.fromLogits ?? DEFAULTS.fromLogits,
      labelSmoothing: labelSmoothingOf(options, lossName),
      axis: axisOf(options, lossName),
    };
    checkFocalParameters(parameters.alpha, parameters.gamma, lossName);
    super(
      options?.name ?? 'categorical_focal_crossentropy',
      (t, p) => categoricalFocalCrossentropy(t, p, parameters),
      reductionOf(options, lossName),
    );
    ({ alpha: this.alpha, gamma: this.gamma, fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis } =
      parameters);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alpha: this.alpha,
      gamma: this.gamma,
      fromLogits: this.fromLogits,
      labelSmoothing: this.labelSmoothing,
      axis: this.axis,
    };
  }
}
