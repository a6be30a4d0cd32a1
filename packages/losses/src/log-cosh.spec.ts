import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { LogCosh } from './log-cosh.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

describe('LogCosh', () => {
  it('averages log(cosh(error)) over the last axis', () => {
    // log(cosh(1)) = log(1.5430806) = 0.4337808; log(cosh(0)) = 0; mean 0.2168904
    expect(read(new LogCosh().call(tf.tensor2d([[0, 2]]), tf.tensor2d([[1, 2]])))).toBeCloseTo(0.2168904, 5);
  });

  it('does not overflow for large errors', () => {
    // log(cosh(100)) = 100 - log 2 = 99.3068528 (cosh(100) itself overflows float32)
    expect(read(new LogCosh().call(tf.tensor2d([[0]]), tf.tensor2d([[100]])))).toBeCloseTo(99.3068528, 3);
  });

  it('weights examples and accepts int32 labels of shape [n, 1]', () => {
    // errors -1 and 0: 0.4337808 and 0; weights 2 and 5: 0.8675616 / 2 = 0.4337808
    const loss = new LogCosh().call(
      tf.tensor2d([[1], [0]], [2, 1], 'int32'),
      tf.tensor2d([[0], [0]]),
      tf.tensor1d([2, 5]),
    );
    expect(read(loss)).toBeCloseTo(0.4337808, 5);
  });

  it('is named log_cosh', () => {
    expect(new LogCosh().name).toBe('log_cosh');
  });
});
