import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import type { LossFunctionWrapper } from './loss-function-wrapper.js';
import { Tversky } from './tversky.js';

function run(loss: LossFunctionWrapper, y: number[][] | number[][][][], p: number[][] | number[][][][]): number[] {
  return tf.tidy(() => Array.from(loss.compute(tf.tensor(y), tf.tensor(p)).dataSync()));
}

// Data and expected values: keras/src/losses/losses_test.py, TverskyTest.
const SEG_TRUE = [[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1]];
const SEG_PRED = [[0, 1, 0, 1], [1, 0, 1, 1], [0, 1, 0, 1], [1, 0, 1, 1]];
const IMG_TRUE = [[[[1], [1]], [[0], [0]]], [[[1], [1]], [[0], [0]]]];
const IMG_PRED = [[[[0], [1]], [[0], [1]]], [[[0.4], [0]], [[0], [0.9]]]];

describe('Tversky (Keras TverskyTest)', () => {
  it('test_correctness: -0.55555558; test_correctness_custom_coefficients (0.2, 0.8): -0.94444442', () => {
    expect(run(new Tversky(), [[1, 2], [1, 2]], [[4, 1], [6, 1]])[0]).toBeCloseTo(-0.55555558, 5);
    expect(run(new Tversky({ alpha: 0.2, beta: 0.8 }), [[1, 2], [1, 2]], [[4, 1], [6, 1]])[0]).toBeCloseTo(-0.94444442, 5);
  });

  it('test_binary_segmentation: 0.77777779; custom coefficients: 0.76190472', () => {
    expect(run(new Tversky(), SEG_TRUE, SEG_PRED)[0]).toBeCloseTo(0.77777779, 5);
    expect(run(new Tversky({ alpha: 0.2, beta: 0.8 }), SEG_TRUE, SEG_PRED)[0]).toBeCloseTo(0.76190472, 5);
  });

  it('test_binary_segmentation_with_axis and _custom_coefficients_with_axis', () => {
    const plain = run(new Tversky({ axis: [1, 2, 3], reduction: 'none' }), IMG_TRUE, IMG_PRED);
    expect(plain[0]).toBeCloseTo(0.5, 5);
    expect(plain[1]).toBeCloseTo(0.75757575, 5);
    const custom = run(new Tversky({ alpha: 0.2, beta: 0.8, axis: [1, 2, 3], reduction: 'none' }), IMG_TRUE, IMG_PRED);
    expect(custom[0]).toBeCloseTo(0.5, 5);
    expect(custom[1]).toBeCloseTo(0.78494626, 5);
  });

  it('rejects negative coefficients', () => {
    expect(() => new Tversky({ alpha: -0.1 })).toThrow(ValueError);
  });
});
