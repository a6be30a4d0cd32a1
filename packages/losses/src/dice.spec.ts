import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { Dice } from './dice.js';
import type { LossFunctionWrapper } from './loss-function-wrapper.js';

function run(loss: LossFunctionWrapper, y: number[][] | number[][][][], p: number[][] | number[][][][]): number[] {
  return tf.tidy(() => Array.from(loss.compute(tf.tensor(y), tf.tensor(p)).dataSync()));
}

// Segmentation data of keras/src/losses/losses_test.py, DiceTest and TverskyTest.
const SEG_TRUE = [[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1]];
const SEG_PRED = [[0, 1, 0, 1], [1, 0, 1, 1], [0, 1, 0, 1], [1, 0, 1, 1]];
const IMG_TRUE = [[[[1], [1]], [[0], [0]]], [[[1], [1]], [[0], [0]]]];
const IMG_PRED = [[[[0], [1]], [[0], [1]]], [[[0.4], [0]], [[0], [0.9]]]];

describe('Dice (Keras DiceTest)', () => {
  it('test_correctness: -0.55555546 (every axis summed: 1 - 28 / 18)', () => {
    expect(run(new Dice(), [[1, 2], [1, 2]], [[4, 1], [6, 1]])[0]).toBeCloseTo(-0.55555546, 5);
  });

  it('test_binary_segmentation: 0.77777773', () => {
    expect(run(new Dice(), SEG_TRUE, SEG_PRED)[0]).toBeCloseTo(0.77777773, 5);
  });

  it("test_binary_segmentation_with_axis: axis [1, 2, 3], reduction 'none' -> [0.5, 0.75757575]", () => {
    const values = run(new Dice({ axis: [1, 2, 3], reduction: 'none' }), IMG_TRUE, IMG_PRED);
    expect(values[0]).toBeCloseTo(0.5, 5);
    expect(values[1]).toBeCloseTo(0.75757575, 5);
  });

  it('averages the per-image losses with the default reduction', () => {
    expect(run(new Dice({ axis: [1, 2, 3] }), IMG_TRUE, IMG_PRED)[0]).toBeCloseTo((0.5 + 0.75757575) / 2, 5);
  });

  it('rejects an axis that is not an integer or a list of integers', () => {
    expect(() => new Dice({ axis: [1.5] })).toThrow(ValueError);
    expect(() => new Dice({ axis: 'all' } as never)).toThrow(ValueError);
  });
});
