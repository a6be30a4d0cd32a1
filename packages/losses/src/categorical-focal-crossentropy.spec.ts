import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { CategoricalFocalCrossentropy } from './categorical-focal-crossentropy.js';
import type { LossFunctionWrapper } from './loss-function-wrapper.js';

function run(loss: LossFunctionWrapper, y: number[][] | number[][][], p: number[][] | number[][][], w?: number | number[][]): number[] {
  return tf.tidy(() => {
    const weight = w === undefined ? undefined : typeof w === 'number' ? tf.scalar(w) : tf.tensor2d(w);
    return Array.from(loss.compute(tf.tensor(y), tf.tensor(p), weight).dataSync());
  });
}

// Expected values: keras/src/losses/losses_test.py, CategoricalFocalCrossentropyTest.
const Y = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
const P = [[0.9, 0.05, 0.05], [0.5, 0.89, 0.6], [0.05, 0.01, 0.94]];
const LOGITS = [[8, 1, 1], [0, 9, 1], [2, 3, 5]];

describe('CategoricalFocalCrossentropy (Keras CategoricalFocalCrossentropyTest)', () => {
  it('test_all_correct_unweighted: 0', () => {
    expect(run(new CategoricalFocalCrossentropy({ alpha: 0.25, gamma: 2 }), Y, Y)[0]).toBeCloseTo(0, 3);
    const logits = Y.map((r) => r.map((v) => v * 10));
    expect(run(new CategoricalFocalCrossentropy({ fromLogits: true }), Y, logits)[0]).toBeCloseTo(0, 3);
  });

  it('test_unweighted: 0.02059, and 0.000345 from logits', () => {
    expect(run(new CategoricalFocalCrossentropy(), Y, P)[0]).toBeCloseTo(0.02059, 3);
    expect(run(new CategoricalFocalCrossentropy({ fromLogits: true }), Y, LOGITS)[0]).toBeCloseTo(0.000345, 3);
  });

  it('test_scalar_weighted: 0.047368, and 0.000794 from logits (weight 2.3)', () => {
    expect(run(new CategoricalFocalCrossentropy(), Y, P, 2.3)[0]).toBeCloseTo(0.047368, 3);
    expect(run(new CategoricalFocalCrossentropy({ fromLogits: true }), Y, LOGITS, 2.3)[0]).toBeCloseTo(0.000794, 4);
  });

  it('test_sample_weighted: 0.06987, and 0.001933 from logits (weights [[1.2], [3.4], [5.6]])', () => {
    const w = [[1.2], [3.4], [5.6]];
    expect(run(new CategoricalFocalCrossentropy(), Y, P, w)[0]).toBeCloseTo(0.06987, 3);
    expect(run(new CategoricalFocalCrossentropy({ fromLogits: true }), Y, LOGITS, w)[0]).toBeCloseTo(0.001933, 3);
  });

  it('test_no_reduction: [1.5096224e-09, 2.4136547e-11, 1.0360638e-03] from logits', () => {
    const values = run(new CategoricalFocalCrossentropy({ fromLogits: true, reduction: 'none' }), Y, LOGITS);
    expect(values[0]).toBeCloseTo(1.5096224e-9, 9);
    expect(values[1]).toBeCloseTo(2.4136547e-11, 9);
    expect(values[2]).toBeCloseTo(1.0360638e-3, 6);
  });

  it('test_label_smoothing: 0.06685', () => {
    expect(run(new CategoricalFocalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), [[1, 0, 0]], [[4.9, -0.5, 2.05]])[0]).toBeCloseTo(
      0.06685,
      3,
    );
  });

  it('test_label_smoothing_with_axis: classes on axis 1', () => {
    const y = [[[1, 0], [0, 1], [0, 0]], [[0, 1], [1, 0], [0, 0]]];
    const p = [[[0.8, 0.1], [0.1, 0.8], [0.1, 0.1]], [[0.1, 0.8], [0.8, 0.1], [0.1, 0.1]]];
    // The test's own formula: mean over (batch, spatial) of sum_c 0.25 (1 - p)^2 (-(0.9 y + 0.1 / 3) ln p).
    let total = 0;
    for (let b = 0; b < 2; b++)
      for (let s = 0; s < 2; s++)
        for (let c = 0; c < 3; c++) {
          const pc = p[b]![c]![s]!;
          total += 0.25 * (1 - pc) ** 2 * -(0.9 * y[b]![c]![s]! + 0.1 / 3) * Math.log(pc);
        }
    expect(run(new CategoricalFocalCrossentropy({ labelSmoothing: 0.1, axis: 1 }), y, p)[0]).toBeCloseTo(total / 4, 5);
  });
});
