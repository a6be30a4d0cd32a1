import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';

import { BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy } from './accuracy-metrics.js';
import { Precision, Recall } from './confusion-metrics.js';
import type { Metric } from './metric.js';
import { BinaryCrossentropy, CategoricalCrossentropy } from './probabilistic-metrics.js';
import { MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError } from './regression-metrics.js';

// A second, independent opinion: tfjs-layers ports Keras's stateless metric functions
// (`tf.metrics.*`, per-example values or one batch value). Unweighted, over one batch, the
// stateful metrics here must agree with their mean.
const rng = seedrandom('keras-reference');
const rows = (n: number, d: number, f: () => number) => Array.from({ length: n }, () => Array.from({ length: d }, f));

function ours(metric: Metric, y: tf.Tensor, p: tf.Tensor): number {
  metric.updateState(y, p);
  const v = metric.result();
  metric.dispose();
  return v;
}

function reference(fn: (y: tf.Tensor, p: tf.Tensor) => tf.Tensor, y: tf.Tensor, p: tf.Tensor): number {
  return tf.tidy(() => tf.mean(fn(y, p)).dataSync()[0]!);
}

describe('agreement with tfjs-layers Keras metric functions (random batch, fixed seed)', () => {
  const probs = rows(16, 5, () => rng() + 0.01).map((r) => r.map((v) => v / r.reduce((a, b) => a + b, 0)));
  const labels = Array.from({ length: 16 }, () => Math.floor(rng() * 5));
  const oneHot = labels.map((l) => Array.from({ length: 5 }, (_, c) => (c === l ? 1 : 0)));
  const binY = rows(16, 3, () => (rng() < 0.5 ? 0 : 1));
  const binP = rows(16, 3, () => rng());
  const regY = rows(16, 3, () => rng() * 4 + 0.5);
  const regP = rows(16, 3, () => rng() * 4);

  const cases: Array<[string, () => Metric, (y: tf.Tensor, p: tf.Tensor) => tf.Tensor, number[][], number[][]]> = [
    ['categorical_accuracy', () => new CategoricalAccuracy(), tf.metrics.categoricalAccuracy, oneHot, probs],
    ['sparse_categorical_accuracy', () => new SparseCategoricalAccuracy(), tf.metrics.sparseCategoricalAccuracy, labels.map((l) => [l]), probs],
    ['categorical_crossentropy', () => new CategoricalCrossentropy(), tf.metrics.categoricalCrossentropy, oneHot, probs],
    ['binary_accuracy', () => new BinaryAccuracy(), tf.metrics.binaryAccuracy, binY, binP],
    ['binary_crossentropy', () => new BinaryCrossentropy(), tf.metrics.binaryCrossentropy, binY, binP],
    ['mean_absolute_error', () => new MeanAbsoluteError(), tf.metrics.meanAbsoluteError, regY, regP],
    ['mean_squared_error', () => new MeanSquaredError(), tf.metrics.meanSquaredError, regY, regP],
    ['mean_absolute_percentage_error', () => new MeanAbsolutePercentageError(), tf.metrics.MAPE, regY, regP],
    // tfjs's precision/recall take 0/1 predictions; above 0.5 is the same decision.
    ['precision', () => new Precision(), tf.metrics.precision, binY, binP.map((r) => r.map((v) => (v > 0.5 ? 1 : 0)))],
    ['recall', () => new Recall(), tf.metrics.recall, binY, binP.map((r) => r.map((v) => (v > 0.5 ? 1 : 0)))],
  ];

  for (const [name, make, fn, y, p] of cases) {
    it(name, () => {
      const yt = tf.tensor2d(y);
      const pt = tf.tensor2d(p);
      expect(ours(make(), yt, pt)).toBeCloseTo(reference(fn, yt, pt), 4);
      tf.dispose([yt, pt]);
    });
  }
});
