import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { CategoricalCrossentropy } from './categorical-crossentropy.js';
import type { LossFunctionWrapper } from './loss-function-wrapper.js';
import { MeanSquaredError } from './mean-squared-error.js';
import { SparseCategoricalCrossentropy } from './sparse-categorical-crossentropy.js';
import { builtInLossPlugins } from './register-losses.js';

/** `loss.compute` as plain numbers; every tensor made here is disposed. */
function run(loss: LossFunctionWrapper, y: tf.TensorLike, p: tf.TensorLike, w?: tf.TensorLike, labelDtype: 'float32' | 'int32' = 'float32'): number[] {
  return tf.tidy(() =>
    Array.from(loss.compute(tf.tensor(y, undefined, labelDtype), tf.tensor(p), w === undefined ? undefined : tf.tensor(w)).dataSync()),
  );
}

// keras/src/losses/losses_test.py, MeanSquaredErrorTest: per-example losses [110/3, 187/3].
const Y = [[1, 9, 2], [-5, -2, 6]];
const P = [[4, 8, 12], [8, 1, 3]];

describe('reduction (Keras MeanSquaredErrorTest)', () => {
  it("test_no_reduction: 'none' with weight 2.3 gives the weighted per-example losses [84.3333, 143.3666]", () => {
    const values = run(new MeanSquaredError({ reduction: 'none' }), Y, P, 2.3);
    expect(values[0]).toBeCloseTo(84.3333, 3);
    expect(values[1]).toBeCloseTo(143.3666, 3);
  });

  it("test_sum_reduction: 'sum' with weight 2.3 gives 227.69998", () => {
    expect(run(new MeanSquaredError({ reduction: 'sum' }), Y, P, 2.3)[0]).toBeCloseTo(227.69998, 3);
  });

  it("test_mean_with_sample_weight_reduction: (110/3 * 1.2 + 187/3 * 3.4) / (1.2 + 3.4)", () => {
    const expected = ((110 / 3) * 1.2 + (187 / 3) * 3.4) / (1.2 + 3.4);
    expect(run(new MeanSquaredError({ reduction: 'mean_with_sample_weight' }), Y, P, [[1.2], [3.4]])[0]).toBeCloseTo(expected, 4);
  });

  it("'mean' is 'sum_over_batch_size'; 'mean_with_sample_weight' without weights is the mean", () => {
    const mean = (110 / 3 + 187 / 3) / 2;
    expect(run(new MeanSquaredError({ reduction: 'mean' }), Y, P)[0]).toBeCloseTo(mean, 4);
    expect(run(new MeanSquaredError({ reduction: 'mean_with_sample_weight' }), Y, P)[0]).toBeCloseTo(mean, 4);
  });

  it('every built-in loss takes a reduction, and rejects an unknown one', () => {
    for (const plugin of builtInLossPlugins()) {
      const loss = plugin.create({ reduction: 'sum' }) as unknown as LossFunctionWrapper;
      expect(loss.reduction, plugin.name).toBe('sum');
      expect(loss.getConfig()['reduction'], plugin.name).toBe('sum');
      expect(() => plugin.create({ reduction: 'auto' }), plugin.name).toThrow(ValueError);
    }
  });
});

describe('SparseCategoricalCrossentropy ignoreClass and axis (Keras SparseCategoricalCrossentropyTest)', () => {
  const logits = [[[0.854, 0.698, 0.598], [0.088, 0.86, 0.018]]];

  it("test_ignore_class: labels [[-1, 2]] and [[[-1], [2]]] give [[0, 1.480129]] with reduction 'none'", () => {
    const loss = new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, reduction: 'none' });
    for (const labels of [[[-1, 2]], [[[-1], [2]]]]) {
      const values = run(loss, labels, logits, undefined, 'int32');
      expect(values[0]).toBeCloseTo(0, 6);
      expect(values[1]).toBeCloseTo(1.480129, 5);
    }
  });

  it('leaves ignored positions out of the sum_over_batch_size mean, as Keras masks them', () => {
    // One kept position of two: the mean is over the kept one only (Keras scales kept weights by total / kept).
    const loss = new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 });
    expect(run(loss, [[-1, 2]], logits, undefined, 'int32')[0]).toBeCloseTo(1.480129, 5);
    // 'sum' keeps the plain sum.
    expect(run(new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, reduction: 'sum' }), [[-1, 2]], logits, undefined, 'int32')[0]).toBeCloseTo(
      1.480129,
      5,
    );
  });

  it('test_binary_segmentation_different_axis: classes on axis 0 (the torch branch: 0; and -(ln 0.2 + ln 0.4) / 16)', () => {
    const y = [[0, 1, 1, 0], [1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 1]];
    const probs = (pixel: (r: number, c: number) => number[]) => [0, 1].map((k) => y.map((row, r) => row.map((_, c) => pixel(r, c)[k]!)));
    const exact = probs((r, c) => (y[r]![c] === 0 ? [1, 0] : [0, 1]));
    expect(run(new SparseCategoricalCrossentropy({ axis: 0 }), y, exact, undefined, 'int32')[0]).toBeCloseTo(0, 5);
    const soft = probs((r, c) => (r === 0 && c === 3 ? [0.2, 0.8] : r === 3 && c === 3 ? [0.6, 0.4] : y[r]![c] === 0 ? [1, 0] : [0, 1]));
    const expected = -(Math.log(0.2) + Math.log(0.4)) / 16;
    expect(run(new SparseCategoricalCrossentropy({ axis: 0 }), y, soft, undefined, 'int32')[0]).toBeCloseTo(expected, 5);
  });
});

describe('CategoricalCrossentropy axis', () => {
  it('test_label_smoothing_with_axis: classes on axis 1', () => {
    const y = [[[1, 0], [0, 1], [0, 0]], [[0, 1], [1, 0], [0, 0]]];
    const p = [[[0.8, 0.1], [0.1, 0.8], [0.1, 0.1]], [[0.1, 0.8], [0.8, 0.1], [0.1, 0.1]]];
    // The test's formula: mean over (batch, spatial) of -sum_c (0.9 y + 0.1 / 3) ln p.
    let total = 0;
    for (let b = 0; b < 2; b++) for (let s = 0; s < 2; s++) for (let c = 0; c < 3; c++) total -= (0.9 * y[b]![c]![s]! + 0.1 / 3) * Math.log(p[b]![c]![s]!);
    expect(run(new CategoricalCrossentropy({ labelSmoothing: 0.1, axis: 1 }), y, p)[0]).toBeCloseTo(total / 4, 5);
  });

  it('rejects an axis outside the rank', () => {
    const loss = new CategoricalCrossentropy({ axis: 3 });
    expect(() => run(loss, [[0, 1]], [[0.5, 0.5]])).toThrow(ValueError);
  });
});
