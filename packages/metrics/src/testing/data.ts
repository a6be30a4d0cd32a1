import * as tf from '@tensorflow/tfjs';

/** What labels and predictions a metric expects. */
export type Kind = 'sparse' | 'onehot' | 'binary' | 'logits' | 'regression' | 'equal' | 'values';

/** The data kind of each built-in metric, by its Keras name (regression otherwise). */
export const KIND_OF: Record<string, Kind> = {
  accuracy: 'equal',
  binary_accuracy: 'binary',
  categorical_accuracy: 'onehot',
  sparse_categorical_accuracy: 'sparse',
  top_k_categorical_accuracy: 'onehot',
  sparse_top_k_categorical_accuracy: 'sparse',
  binary_crossentropy: 'binary',
  categorical_crossentropy: 'onehot',
  sparse_categorical_crossentropy: 'sparse',
  precision: 'binary',
  recall: 'binary',
  auc: 'binary',
  mean: 'values',
  sum: 'values',
  true_positives: 'binary',
  false_positives: 'binary',
  true_negatives: 'binary',
  false_negatives: 'binary',
  sensitivity_at_specificity: 'binary',
  specificity_at_sensitivity: 'binary',
  precision_at_recall: 'binary',
  recall_at_precision: 'binary',
  f1_score: 'onehot',
  fbeta_score: 'onehot',
  iou: 'equal',
  mean_iou: 'equal',
  binary_iou: 'binary',
  one_hot_iou: 'onehot',
  one_hot_mean_iou: 'onehot',
  kl_divergence: 'onehot',
  hinge: 'binary',
  squared_hinge: 'binary',
  categorical_hinge: 'onehot',
};

export const CLASSES = 7;

/**
 * The options a built-in metric cannot be built without (its target, or the
 * size of its state), fitting the data of its {@link KIND_OF} kind; `{}` for the others.
 */
export function requiredConfig(name: string): Record<string, unknown> {
  const configs: Record<string, Record<string, unknown>> = {
    sensitivity_at_specificity: { specificity: 0.5 },
    specificity_at_sensitivity: { sensitivity: 0.5 },
    precision_at_recall: { recall: 0.5 },
    recall_at_precision: { precision: 0.5 },
    f1_score: { numClasses: CLASSES },
    fbeta_score: { numClasses: CLASSES },
    iou: { numClasses: 3, targetClassIds: [0, 2] },
    mean_iou: { numClasses: 3 },
    one_hot_iou: { numClasses: CLASSES, targetClassIds: [0, 1, 2] },
    one_hot_mean_iou: { numClasses: CLASSES },
    r2_score: { numOutputs: 2 },
  };
  return { ...(configs[name] ?? {}) };
}

/** Plain-number data: labels rows, prediction rows, one weight per example. */
export interface Data {
  y: number[][];
  p: number[][];
  w: number[];
}

/** `n` random examples of `kind` drawn from `rng` (uniform in [0, 1)). */
export function makeData(kind: Kind, n: number, rng: () => number): Data {
  const data: Data = { y: [], p: [], w: [] };
  for (let i = 0; i < n; i++) {
    data.w.push(Math.floor(rng() * 3)); // 0, 1 or 2: zero weights included
    if (kind === 'sparse' || kind === 'onehot' || kind === 'logits') {
      const label = Math.floor(rng() * CLASSES);
      const scores = Array.from({ length: CLASSES }, () => rng() + 0.01);
      const sum = scores.reduce((a, b) => a + b, 0);
      data.p.push(kind === 'logits' ? scores.map((s) => 6 * s - 3) : scores.map((s) => s / sum));
      data.y.push(kind === 'onehot' ? Array.from({ length: CLASSES }, (_, c) => (c === label ? 1 : 0)) : [label]);
    } else if (kind === 'binary') {
      data.y.push([rng() < 0.5 ? 0 : 1]);
      data.p.push([rng()]);
    } else if (kind === 'equal') {
      data.y.push([Math.floor(rng() * 3)]);
      data.p.push([Math.floor(rng() * 3)]);
    } else {
      data.y.push([rng() * 4 + 0.5, rng() * 4 + 0.5]);
      data.p.push([rng() * 4, rng() * 4]);
    }
  }
  return data;
}

/** Data rows `[from, to)`. */
export function slice(d: Data, from: number, to: number): Data {
  return { y: d.y.slice(from, to), p: d.p.slice(from, to), w: d.w.slice(from, to) };
}

/**
 * Tensors for `data`: integer labels (`sparse` and `logits` kinds) as int32 of
 * shape [n, 1], or [n] when `flatLabels`.
 */
export function toTensors(kind: Kind, d: Data, flatLabels = false): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const integer = kind === 'sparse' || kind === 'logits';
  const y = integer
    ? flatLabels
      ? tf.tensor1d(d.y.map((r) => r[0]!), 'int32')
      : tf.tensor2d(d.y, [d.y.length, 1], 'int32')
    : tf.tensor2d(d.y);
  return [y, tf.tensor2d(d.p), tf.tensor1d(d.w)];
}
