import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';

import { squeezeOrExpandToSameRank, toFloat } from './shapes.js';

/** Keras's `metrics_utils.NEG_INF`: the score top-k filtering gives the predictions it drops. */
export const NEG_INF = -1e10;

/** Weighted confusion counts, each `[thresholds]`, or `[thresholds, labels]` with `multiLabel`. */
export interface ConfusionCounts {
  tp: tf.Tensor;
  fp: tf.Tensor;
  tn: tf.Tensor;
  fn: tf.Tensor;
}

/** What {@link confusionCounts} counts besides the thresholds. */
export interface ConfusionCountsOptions {
  sampleWeight?: tf.Tensor | undefined;
  /** Keep only the `topK` highest predictions of the last axis; the others count as negative. */
  topK?: number | undefined;
  /** Count only column `classId` of the last axis. */
  classId?: number | undefined;
  /** Count each column of `[n, labels]` inputs apart (AUC's `multi_label`). */
  multiLabel?: boolean | undefined;
  /** One weight per column of the last axis, multiplied into the sample weights (not with `multiLabel`). */
  labelWeights?: readonly number[] | undefined;
  /**
   * The thresholds are `i / (T - 1)` (with `withEpsilon`: the ends moved to `-1e-7` and `1 + 1e-7`):
   * predictions, clipped to [0, 1], are then counted by bucket in O(n) instead of against every
   * threshold, as Keras's `_update_confusion_matrix_variables_optimized` does.
   */
  evenlySpaced?: { withEpsilon: boolean } | undefined;
}

/**
 * Keras's `update_confusion_matrix_variables`: a prediction is positive at a
 * threshold when strictly above it; a label is positive when non-zero. Sample
 * weights broadcast to the predictions' shape (`[n]` weights repeat over the
 * classes of `[n, c]` predictions; `[n, c]` weights weigh each value). `topK`
 * keeps the k highest predictions of the last axis (a rank-1 input is one row
 * of class scores), then `classId` keeps one column, as in Keras. Call inside
 * `tf.tidy`.
 *
 * @throws ValueError when labels and predictions hold different numbers of
 *   values, when `classId` is given for rank-1 predictions or is out of range,
 *   or when `multiLabel` inputs are not `[n, labels]`.
 */
export function confusionCounts(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  thresholds: readonly number[],
  options: ConfusionCountsOptions = {},
): ConfusionCounts {
  if (yTrue.size !== yPred.size) {
    throw new ValueError(
      `Labels of shape [${yTrue.shape.join(', ')}] and predictions of shape [${yPred.shape.join(', ')}] ` +
        'must hold the same number of values (one 0/1 label per predicted probability).',
    );
  }
  let [p, y] = squeezeOrExpandToSameRank(toFloat(yPred), toFloat(tf.notEqual(yTrue, 0)));
  if (!tf.util.arraysEqual(p.shape, y.shape)) y = y.reshape(p.shape);
  let w: tf.Tensor | undefined;
  if (options.sampleWeight !== undefined) {
    const [pp, sw] = squeezeOrExpandToSameRank(p, toFloat(options.sampleWeight));
    try {
      w = tf.mul(tf.onesLike(pp), sw);
    } catch (cause) {
      throw new ValueError(
        `A sample weight of shape [${options.sampleWeight.shape.join(', ')}] does not broadcast to predictions of ` +
          `shape [${yPred.shape.join(', ')}]. Pass one weight per example ([n] or [n, 1]) or one per value.`,
        { cause },
      );
    }
    // [n, 1] predictions meet [n] weights squeezed; put the weights back in the predictions' shape.
    if (w.size === p.size) w = w.reshape(p.shape);
    else {
      throw new ValueError(
        `A sample weight of shape [${options.sampleWeight.shape.join(', ')}] would enlarge predictions of shape ` +
          `[${yPred.shape.join(', ')}] to [${w.shape.join(', ')}]. Pass one weight per example ([n] or [n, 1]) or one per value.`,
      );
    }
  }
  if (options.topK !== undefined) p = filterTopK(p, options.topK);
  if (options.classId !== undefined) {
    const classes = p.shape[p.rank - 1]!;
    if (p.rank < 2) {
      throw new ValueError(
        `When classId is given, predictions must be [n, classes] (or [n, ..., classes]), found shape [${yPred.shape.join(', ')}].`,
      );
    }
    if (!(Number.isInteger(options.classId) && options.classId >= 0 && options.classId < classes)) {
      throw new ValueError(`classId must be an integer in [0, ${classes}), found ${options.classId}.`);
    }
    const column = (t: tf.Tensor) => t.slice([...new Array<number>(t.rank - 1).fill(0), options.classId!], [...t.shape.slice(0, -1), 1]);
    [p, y] = [column(p), column(y)];
    if (w !== undefined) w = column(w);
  }
  if (options.labelWeights !== undefined && !options.multiLabel) {
    const lw = tf.tensor1d(options.labelWeights as number[]);
    w = tf.mul(w ?? tf.onesLike(p), lw);
  }
  if (options.evenlySpaced !== undefined) return bucketCounts(p, y, w, thresholds.length, options.evenlySpaced.withEpsilon, options.multiLabel ?? false);
  const thr = tf.tensor1d(thresholds as number[]);
  if (options.multiLabel) {
    if (p.rank !== 2) {
      throw new ValueError(`multiLabel needs predictions of shape [n, labels], found [${yPred.shape.join(', ')}].`);
    }
    // Per label, one [T, n] x [n, 2] product, as below, batched over the labels: [L, T, 2].
    const above = toFloat(tf.greater(p.transpose().expandDims(1), thr.reshape([1, -1, 1]))); // [L, T, n]
    const weight = w ?? tf.onesLike(p);
    const pos = tf.mul(y, weight); // [n, L]
    const neg = tf.mul(tf.sub(1, y), weight);
    const posNeg = tf.stack([pos.transpose(), neg.transpose()], 2); // [L, n, 2]
    const counts = tf.matMul(above, posNeg); // [L, T, 2]
    const [tpT, fpT] = tf.split(counts, 2, 2) as [tf.Tensor, tf.Tensor];
    const tp = tpT.reshape(counts.shape.slice(0, 2)).transpose(); // [T, L]
    const fp = fpT.reshape(counts.shape.slice(0, 2)).transpose();
    return { tp, fp, fn: tf.sub(tf.sum(pos, 0), tp), tn: tf.sub(tf.sum(neg, 0), fp) };
  }
  const pred = p.reshape([1, -1]);
  const positive = y.reshape([1, -1]);
  const weight = w === undefined ? tf.onesLike(pred) : w.reshape([1, -1]);
  const above = toFloat(tf.greater(pred, thr.reshape([-1, 1])));
  // One [thresholds, n] x [n, 2] product gives the weighted positives and negatives above each
  // threshold; those below are the totals minus those above.
  const posNeg = tf.concat([tf.mul(positive, weight), tf.mul(tf.sub(1, positive), weight)], 0); // [2, n]
  const aboveCounts = tf.matMul(above, posNeg, false, true); // [thresholds, 2]
  const totals = tf.sum(posNeg, 1); // [2]
  const [tp, fp] = tf.split(aboveCounts, 2, 1) as [tf.Tensor, tf.Tensor];
  const [pos, neg] = tf.split(totals, 2) as [tf.Tensor, tf.Tensor];
  return { tp: tp.reshape([-1]), fp: fp.reshape([-1]), fn: tf.sub(pos, tp).reshape([-1]), tn: tf.sub(neg, fp).reshape([-1]) };
}

/**
 * Confusion counts at `T` evenly spaced thresholds by bucketing: a prediction is above thresholds
 * `0..b` with `b = ceil(p (T - 1)) - 1` (at least 0 with the epsilon ends, where every prediction is
 * above `-1e-7`), so per-bucket sums, accumulated from the top, give the counts above each threshold.
 */
function bucketCounts(p: tf.Tensor, y: tf.Tensor, w: tf.Tensor | undefined, T: number, withEpsilon: boolean, multiLabel: boolean): ConfusionCounts {
  if (multiLabel && p.rank !== 2) throw new ValueError(`multiLabel needs predictions of shape [n, labels], found [${p.shape.join(', ')}].`);
  const labels = multiLabel ? p.shape[1]! : 1;
  const [pm, ym] = multiLabel ? [p, y] : [p.reshape([-1, 1]), y.reshape([-1, 1])]; // [n, L]
  const weight = w === undefined ? tf.onesLike(pm) : w.reshape(pm.shape);
  let bucket = tf.sub(tf.ceil(tf.mul(tf.clipByValue(pm, 0, 1), T - 1)), 1);
  if (withEpsilon) bucket = tf.relu(bucket);
  // One-hot buckets [L, n, T + 1] (bucket -1, below every threshold, goes to the dropped last column);
  // one batched product gives the weighted positives and negatives per bucket. tfjs's CPU comparison
  // and segment-sum kernels are much slower than oneHot + matMul here (measured in bench/update-state.mjs).
  const ids = tf.cast(tf.where(tf.less(bucket, 0), tf.fill(bucket.shape, T), bucket), 'int32').transpose(); // [L, n]
  const oneHot = tf.oneHot(ids, T + 1).toFloat(); // [L, n, T + 1]
  const pos = tf.mul(ym, weight);
  const neg = tf.mul(tf.sub(1, ym), weight);
  const posNeg = tf.stack([pos.transpose(), neg.transpose()], 1); // [L, 2, n]
  const perBucket = tf.matMul(posNeg, oneHot).slice([0, 0, 0], [labels, 2, T]); // [L, 2, T]
  const aboveCounts = tf.cumsum(perBucket, 2, false, true); // counts above each threshold
  const [tpL, fpL] = tf.split(aboveCounts, 2, 1) as [tf.Tensor, tf.Tensor];
  const tp = tpL.reshape([labels, T]).transpose(); // [T, L]
  const fp = fpL.reshape([labels, T]).transpose();
  const fn = tf.sub(tf.sum(pos, 0), tp);
  const tn = tf.sub(tf.sum(neg, 0), fp);
  return multiLabel ? { tp, fp, tn, fn } : { tp: tp.reshape([-1]), fp: fp.reshape([-1]), tn: tn.reshape([-1]), fn: fn.reshape([-1]) };
}

/**
 * Keras's `_filter_top_k`: the `k` highest values of the last axis kept, the
 * others set to {@link NEG_INF}. Ties go to the lower index, as `top_k` does.
 */
function filterTopK(x: tf.Tensor, k: number): tf.Tensor {
  const classes = x.shape[x.rank - 1]!;
  const { indices } = tf.topk(x, Math.min(k, classes));
  const mask = tf.sum(tf.oneHot(indices, classes), -2).toFloat();
  return tf.add(tf.mul(x, mask), tf.mul(NEG_INF, tf.sub(1, mask)));
}

/**
 * Keras's `parse_init_thresholds` with `assert_thresholds_range`: one or more
 * thresholds in [0, 1], `defaultThreshold` when none are given.
 * @throws ValueError for an empty list or a value outside [0, 1].
 */
export function parseThresholds(t: number | readonly number[] | undefined, defaultThreshold = 0.5): number[] {
  const list = t === undefined ? [defaultThreshold] : Array.isArray(t) ? [...(t as number[])] : [t as number];
  if (list.length === 0 || (t !== undefined && list.some((x) => !(typeof x === 'number' && x >= 0 && x <= 1)))) {
    throw new ValueError(`thresholds must be one or more numbers in [0, 1], found ${JSON.stringify(t)}.`);
  }
  return list;
}

/**
 * Checks `topK` and `classId` options.
 * @throws ValueError unless each is undefined or an integer (`topK` >= 1, `classId` >= 0).
 */
export function checkTopKAndClassId(topK: number | undefined, classId: number | undefined): void {
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) throw new ValueError(`topK must be an integer >= 1, found ${topK}.`);
  if (classId !== undefined && !(Number.isInteger(classId) && classId >= 0)) {
    throw new ValueError(`classId must be an integer >= 0 (a column of the predictions), found ${classId}.`);
  }
}
