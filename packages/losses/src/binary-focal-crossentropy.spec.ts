import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { BinaryFocalCrossentropy, binaryFocalCrossentropy } from './binary-focal-crossentropy.js';
import type { LossFunctionWrapper } from './loss-function-wrapper.js';

/** The loss of one batch as plain numbers; every tensor made here is disposed. */
function run(loss: LossFunctionWrapper, y: number[][], p: number[][], w?: number | number[][]): number[] {
  return tf.tidy(() => {
    const weight = w === undefined ? undefined : typeof w === 'number' ? tf.scalar(w) : tf.tensor2d(w);
    return Array.from(loss.compute(tf.tensor2d(y), tf.tensor2d(p), weight).dataSync());
  });
}

// Expected values: keras/src/losses/losses_test.py, BinaryFocalCrossentropyTest.
const Y = [[1, 0], [1, 0]];
const P = [[0.9, 0.8], [0.7, 0.2]];
const YL = [[1, 1, 0], [0, 1, 0]];
const LOGITS = [[1.5, -2.7, 2.9], [-3.8, 1.2, -4.5]];

describe('BinaryFocalCrossentropy (Keras BinaryFocalCrossentropyTest)', () => {
  it('test_all_correct_unweighted: 0 on perfect probabilities and on saturated logits', () => {
    const eye = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    expect(run(new BinaryFocalCrossentropy({ gamma: 1.5 }), eye, eye)[0]).toBeCloseTo(0, 3);
    const logits = eye.map((r) => r.map((v) => (v === 1 ? 100 : -100)));
    expect(run(new BinaryFocalCrossentropy({ gamma: 2, fromLogits: true }), eye, logits)[0]).toBeCloseTo(0, 3);
  });

  it('test_unweighted: 0.268, and 0.799 from logits with gamma 3', () => {
    expect(run(new BinaryFocalCrossentropy({ gamma: 2 }), Y, P)[0]).toBeCloseTo(0.268, 3);
    expect(run(new BinaryFocalCrossentropy({ gamma: 3, fromLogits: true }), YL, LOGITS)[0]).toBeCloseTo(0.799, 3);
  });

  it('test_scalar_weighted: 0.3296 (weight 1.23), 2.565 from logits (weight 3.21)', () => {
    expect(run(new BinaryFocalCrossentropy({ gamma: 2 }), Y, P, 1.23)[0]).toBeCloseTo(0.3296, 3);
    expect(run(new BinaryFocalCrossentropy({ gamma: 3, fromLogits: true }), YL, LOGITS, 3.21)[0]).toBeCloseTo(2.565, 3);
  });

  it('test_sample_weighted: 0.34415, and 0.95977 from logits, with weights [[1.2], [3.4]]', () => {
    const w = [[1.2], [3.4]];
    expect(run(new BinaryFocalCrossentropy({ gamma: 2 }), Y, P, w)[0]).toBeCloseTo(0.34415, 3);
    expect(run(new BinaryFocalCrossentropy({ gamma: 3, fromLogits: true }), YL, LOGITS, w)[0]).toBeCloseTo(0.95977, 3);
  });

  it("test_no_reduction: reduction 'none' gives [0.515547, 0.020513]", () => {
    const values = run(new BinaryFocalCrossentropy({ gamma: 2, reduction: 'none' }), Y, P);
    expect(values[0]).toBeCloseTo(0.515547, 5);
    expect(values[1]).toBeCloseTo(0.020513, 5);
  });

  it('the docstring example: [0.330, 0.206] with gamma 2; class balancing weighs class 1 by alpha, class 0 by 1 - alpha', () => {
    const [a, b] = tf.tidy(() =>
      Array.from(binaryFocalCrossentropy(tf.tensor2d([[0, 1], [0, 0]]), tf.tensor2d([[0.6, 0.4], [0.4, 0.6]])).dataSync()),
    );
    expect(a).toBeCloseTo(0.33, 3);
    expect(b).toBeCloseTo(0.206, 3);
    // By hand, one element: label 1, p 0.8, gamma 0: -ln 0.8 = 0.2231436, times alpha 0.25 = 0.0557859.
    const balanced = run(new BinaryFocalCrossentropy({ gamma: 0, applyClassBalancing: true }), [[1]], [[0.8]]);
    expect(balanced[0]).toBeCloseTo(0.0557859, 6);
  });

  it('rejects a negative gamma, an alpha outside [0, 1] and unknown options', () => {
    expect(() => new BinaryFocalCrossentropy({ gamma: -1 })).toThrow(ValueError);
    expect(() => new BinaryFocalCrossentropy({ alpha: 2 })).toThrow(ValueError);
    expect(() => new BinaryFocalCrossentropy({ gama: 2 } as never)).toThrow(/unknown option "gama"/);
  });

  it("call() refuses reduction 'none' (core's Loss returns a scalar) and points to compute()", () => {
    const loss = new BinaryFocalCrossentropy({ reduction: 'none' });
    const [y, p] = [tf.tensor2d(Y), tf.tensor2d(P)];
    expect(() => loss.call(y, p)).toThrow(/compute/);
    tf.dispose([y, p]);
  });
});
