import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { Metric, type ConfigKeys, type MetricOptions } from './metric.js';
import { toFloat } from './shapes.js';

/** Keras's `backend.epsilon()`, which guards the IoU's divisions. */
const EPSILON = 1e-7;

/** Options of {@link IoU}. */
export interface IoUOptions extends MetricOptions {
  /** The number of classes; the state is a `numClasses × numClasses` confusion matrix. */
  numClasses: number;
  /** The classes whose IoU is averaged. */
  targetClassIds: number[];
  /** A label value left out (e.g. 255 or -1, a void label). */
  ignoreClass?: number;
  /** Labels are class ids (default); false: one-hot, reduced with arg-max over the last axis. */
  sparseYTrue?: boolean;
  /** Predictions are class ids (default); false: scores, reduced with arg-max over the last axis. */
  sparseYPred?: boolean;
}

/**
 * Intersection over union per class, `tp / (tp + fp + fn)`, averaged over
 * `targetClassIds` that occur (`keras.metrics.IoU`). State: the weighted
 * `numClasses × numClasses` confusion matrix (row = label, column = prediction),
 * which sums across clients. Labels or predictions outside `[0, numClasses)`,
 * and labels equal to `ignoreClass`, are left out.
 *
 * Porting note: Keras keeps the matrix as integers by default (float weights
 * are truncated, with a warning); here it is float32, so weights count as given.
 * @example
 * ```ts
 * const iou = new IoU({ numClasses: 2, targetClassIds: [0, 1] });
 * iou.updateState(tf.tensor1d([0, 0, 1, 1], 'int32'), tf.tensor1d([0, 1, 0, 1], 'int32'));
 * iou.result(); // (1/3 + 1/3) / 2
 * ```
 */
export class IoU extends Metric {
  static readonly requiredConfigKeys: ConfigKeys = ['numClasses', 'targetClassIds'];
  static readonly configKeys: ConfigKeys = ['numClasses', 'targetClassIds', 'ignoreClass', 'sparseYTrue', 'sparseYPred'];
  readonly numClasses: number;
  readonly targetClassIds: number[];
  readonly ignoreClass: number | undefined;
  readonly sparseYTrue: boolean;
  readonly sparseYPred: boolean;
  private readonly matrix: tf.Variable;

  /**
   * @param fixed options a subclass sets itself (`MeanIoU`'s target classes, `BinaryIoU`'s two
   *   classes); `options` are the caller's, checked against the subclass's own `configKeys`.
   */
  constructor(callerOptions: IoUOptions, defaultName = 'iou', fixed: Partial<IoUOptions> = {}) {
    super(defaultName, callerOptions);
    const options: Partial<IoUOptions> = { ...callerOptions, ...fixed };
    const n = options.numClasses!;
    if (!(Number.isInteger(n) && n >= 1)) throw new ValueError(`${new.target.name} numClasses must be an integer >= 1, found ${n}.`);
    const ids = options.targetClassIds;
    if (!Array.isArray(ids) || ids.length === 0 || ids.some((c) => !(Number.isInteger(c) && c >= 0 && c < n))) {
      throw new ValueError(`${new.target.name} targetClassIds must be class ids in [0, ${n}), found ${JSON.stringify(ids)}.`);
    }
    this.numClasses = n;
    this.targetClassIds = [...ids];
    this.ignoreClass = options.ignoreClass;
    this.sparseYTrue = options.sparseYTrue ?? true;
    this.sparseYPred = options.sparseYPred ?? true;
    this.matrix = this.addWeight('total_confusion_matrix', [n, n]);
  }

  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => this.addToMatrix(yTrue, yPred, sampleWeight));
  }

  /** Class ids from the inputs, then the weighted confusion matrix added to the state. Call inside `tf.tidy`. */
  protected addToMatrix(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    const n = this.numClasses;
    const y = (this.sparseYTrue ? toFloat(yTrue) : toFloat(tf.argMax(yTrue, -1))).reshape([-1]);
    const p = (this.sparseYPred ? toFloat(yPred) : toFloat(tf.argMax(yPred, -1))).reshape([-1]);
    if (y.size !== p.size) {
      throw new ValueError(
        `${this.constructor.name}: labels [${yTrue.shape.join(', ')}] and predictions [${yPred.shape.join(', ')}] must give ` +
          'the same number of class ids.',
      );
    }
    let w = sampleWeight === undefined ? tf.onesLike(y) : toFloat(sampleWeight).reshape([-1]);
    if (w.size === 1) w = tf.mul(tf.onesLike(y), w);
    if (w.size !== y.size) {
      throw new ValueError(`${this.constructor.name}: expected one sample weight per class id (${y.size}), found ${w.size}.`);
    }
    let keep = tf.logicalAnd(tf.logicalAnd(tf.greaterEqual(y, 0), tf.less(y, n)), tf.logicalAnd(tf.greaterEqual(p, 0), tf.less(p, n)));
    if (this.ignoreClass !== undefined) keep = tf.logicalAnd(keep, tf.notEqual(y, this.ignoreClass));
    const zero = tf.zerosLike(y);
    const cell = tf.cast(tf.add(tf.mul(tf.where(keep, y, zero), n), tf.where(keep, p, zero)), 'int32');
    this.accumulate(this.matrix, tf.unsortedSegmentSum(tf.where(keep, w, zero), cell as tf.Tensor1D, n * n));
  }

  finalize(state: number[]): number {
    const n = this.numClasses;
    const cm = (r: number, c: number) => state[r * n + c]!;
    let sum = 0;
    let valid = 0;
    for (const k of this.targetClassIds) {
      let row = 0;
      let col = 0;
      for (let j = 0; j < n; j++) {
        row += cm(k, j);
        col += cm(j, k);
      }
      const tp = cm(k, k);
      const denominator = row + col - tp;
      if (denominator > 1e-9) {
        sum += tp / (denominator + EPSILON);
        valid += 1;
      }
    }
    return sum / (valid + EPSILON);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      numClasses: this.numClasses,
      targetClassIds: [...this.targetClassIds],
      ...(this.ignoreClass === undefined ? {} : { ignoreClass: this.ignoreClass }),
      sparseYTrue: this.sparseYTrue,
      sparseYPred: this.sparseYPred,
    };
  }
}

/** Options of {@link MeanIoU}. */
export interface MeanIoUOptions extends Omit<IoUOptions, 'targetClassIds'> {}

/**
 * The IoU averaged over every class (`keras.metrics.MeanIoU`).
 * @example
 * ```ts
 * const m = new MeanIoU({ numClasses: 3, ignoreClass: 255 });
 * ```
 */
export class MeanIoU extends IoU {
  static override readonly requiredConfigKeys: ConfigKeys = ['numClasses'];
  static override readonly configKeys: ConfigKeys = ['numClasses', 'ignoreClass', 'sparseYTrue', 'sparseYPred'];
  constructor(options: MeanIoUOptions, defaultName = 'mean_iou', fixed: Partial<IoUOptions> = {}) {
    super(options as IoUOptions, defaultName, { ...fixed, targetClassIds: range(options?.numClasses) });
  }

  override getConfig(): Record<string, unknown> {
    const { targetClassIds: _ids, ...config } = super.getConfig();
    return config;
  }
}

/** Options of {@link BinaryIoU}. */
export interface BinaryIoUOptions extends MetricOptions {
  /** Which of the classes 0 and 1 to average; default both. */
  targetClassIds?: number[];
  /** A prediction at or above it is class 1; default 0.5. */
  threshold?: number;
}

/**
 * The IoU of binary labels against probabilities thresholded with `>=`
 * (`keras.metrics.BinaryIoU`).
 */
export class BinaryIoU extends IoU {
  static override readonly requiredConfigKeys: ConfigKeys = [];
  static override readonly configKeys: ConfigKeys = ['targetClassIds', 'threshold'];
  readonly threshold: number;
  constructor(options: BinaryIoUOptions = {}) {
    super(options as IoUOptions, 'binary_iou', { numClasses: 2, targetClassIds: options.targetClassIds ?? [0, 1] });
    this.threshold = options.threshold ?? 0.5;
  }

  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => this.addToMatrix(yTrue, tf.greaterEqual(yPred, this.threshold), sampleWeight));
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, targetClassIds: [...this.targetClassIds], threshold: this.threshold };
  }
}

/** Options of {@link OneHotIoU}. */
export interface OneHotIoUOptions extends Omit<IoUOptions, 'sparseYTrue'> {}

/** The IoU of one-hot labels against class scores, both reduced with arg-max (`keras.metrics.OneHotIoU`). */
export class OneHotIoU extends IoU {
  static override readonly configKeys: ConfigKeys = ['numClasses', 'targetClassIds', 'ignoreClass', 'sparseYPred'];
  constructor(options: OneHotIoUOptions) {
    super(options as IoUOptions, 'one_hot_iou', { sparseYTrue: false, sparseYPred: options?.sparseYPred ?? false });
  }

  override getConfig(): Record<string, unknown> {
    const { sparseYTrue: _s, ...config } = super.getConfig();
    return config;
  }
}

/** Options of {@link OneHotMeanIoU}. */
export interface OneHotMeanIoUOptions extends Omit<IoUOptions, 'sparseYTrue' | 'targetClassIds'> {}

/** The mean IoU of one-hot labels against class scores (`keras.metrics.OneHotMeanIoU`). */
export class OneHotMeanIoU extends MeanIoU {
  static override readonly configKeys: ConfigKeys = ['numClasses', 'ignoreClass', 'sparseYPred'];
  constructor(options: OneHotMeanIoUOptions) {
    super(options, 'one_hot_mean_iou', { sparseYTrue: false, sparseYPred: options?.sparseYPred ?? false });
  }

  override getConfig(): Record<string, unknown> {
    const { sparseYTrue: _s, ...config } = super.getConfig();
    return config;
  }
}

function range(n: number | undefined): number[] {
  return Number.isInteger(n) && n! >= 1 ? Array.from({ length: n! }, (_, i) => i) : [];
}
