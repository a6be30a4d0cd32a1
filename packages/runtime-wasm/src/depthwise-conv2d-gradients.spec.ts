import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { liveCounts, relativeError, seededValues } from './testing/fixtures.js';
import { activateWasm } from './wasm-runtime.js';

interface DepthwiseCase {
  readonly stride: number;
  readonly pad: 'same' | 'valid' | number;
  readonly k: number;
  readonly channels: number;
  readonly multiplier: number;
  readonly size: number;
}

const cases: DepthwiseCase[] = [];
for (const stride of [1, 2]) {
  for (const pad of ['same', 'valid'] as const) {
    cases.push({ stride, pad, k: 3, channels: 3, multiplier: 1, size: 9 });
    cases.push({ stride, pad, k: 5, channels: 4, multiplier: 2, size: 12 });
  }
}
cases.push({ stride: 1, pad: 'same', k: 1, channels: 5, multiplier: 3, size: 6 });
cases.push({ stride: 2, pad: 1, k: 3, channels: 2, multiplier: 1, size: 10 });
cases.push({ stride: 1, pad: 4, k: 3, channels: 2, multiplier: 1, size: 5 }); // padding wider than the filter

const label = (c: DepthwiseCase): string =>
  `stride ${c.stride}, pad ${JSON.stringify(c.pad)}, ${c.k}x${c.k}, ${c.channels} channels x ${c.multiplier}`;

/** dL/dx and dL/dW of L = Σ depthwiseConv2d(x, W) ⊙ R on the active backend, for fixed x, W, R. */
function depthwiseGrads(c: DepthwiseCase): [Float32Array, Float32Array] {
  return tf.tidy(() => {
    const x = tf.tensor4d(seededValues(2 * c.size * (c.size + 1) * c.channels, 1), [2, c.size, c.size + 1, c.channels]);
    const w = tf.tensor4d(seededValues(c.k * c.k * c.channels * c.multiplier, 2), [c.k, c.k, c.channels, c.multiplier]);
    const loss = (xs: tf.Tensor, ws: tf.Tensor): tf.Scalar => {
      const y = tf.depthwiseConv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, c.stride, c.pad);
      return y.mul(tf.tensor(seededValues(y.size, 3), y.shape)).sum();
    };
    const [dx, dw] = tf.grads(loss)([x, w]);
    return [dx!.dataSync() as Float32Array, dw!.dataSync() as Float32Array];
  });
}

describe('DepthwiseConv2D gradients on wasm (absent in stock wasm)', () => {
  let want: [Float32Array, Float32Array][];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    want = cases.map(depthwiseGrads);
    await activateWasm();
  });

  it.each(cases.map((c, i) => [label(c), i] as const))('match the cpu backend within 1e-4: %s', (_, i) => {
    const before = liveCounts();

    const [dx, dw] = depthwiseGrads(cases[i]!);

    expect(tf.getBackend()).toBe('wasm');
    expect(relativeError(dx, want[i]![0])).toBeLessThan(1e-4);
    expect(relativeError(dw, want[i]![1])).toBeLessThan(1e-4);
    expect(liveCounts()).toEqual(before);
  });

  it('computes a 1-channel 2x2 filter gradient equal to the hand-summed products', () => {
    // x = [[1,2,3],[4,5,6],[7,8,9]], dy = ones(2,2), valid 2x2: dW[a,b] = Σ_{i,j<2} x[i+a, j+b].
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const w = tf.zeros([2, 2, 1, 1]) as tf.Tensor4D;

    const dw = tf.grad((ws: tf.Tensor) => tf.depthwiseConv2d(x, ws as tf.Tensor4D, 1, 'valid').sum())(w);

    expect(Array.from(dw.dataSync())).toEqual([12, 16, 24, 28]);
    tf.dispose([x, w, dw]);
  });
});
