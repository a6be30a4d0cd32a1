import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { liveCounts, relativeError, seededValues } from './testing/fixtures.js';
import { activateWasm } from './wasm-runtime.js';

const t = (shape: number[], seed: number): tf.Tensor => tf.tensor(seededValues(shape.reduce((p, d) => p * d, 1), seed), shape);

/** f(x) and dL/dx of L = Σ f(x) ⊙ R, for fixed x and R, on the active backend. */
function valueAndGrad(shape: number[], f: (x: tf.Tensor) => tf.Tensor): [Float32Array, Float32Array] {
  return tf.tidy(() => {
    const x = t(shape, 7);
    const y = f(x);
    const r = t(y.shape, 9);
    const dx = tf.grad((xs: tf.Tensor) => f(xs).mul(r).sum())(x);
    return [y.dataSync() as Float32Array, dx.dataSync() as Float32Array];
  });
}

// Shapes with 3 channels: stock tfjs-backend-wasm 4.22 gets MaxPoolGrad, MaxPool3D(Grad),
// ResizeNearestNeighborGrad and the Conv3D backprops wrong on them (e.g. MaxPool3D's maximum off by 0.018).
const cases: readonly [string, number[], (x: tf.Tensor) => tf.Tensor][] = [
  ['maxPool 2x2 (MaxPoolGrad)', [2, 6, 6, 3], (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')],
  ['maxPool 3x3 stride 2 same (MaxPoolGrad)', [2, 7, 7, 5], (x) => tf.maxPool(x as tf.Tensor4D, 3, 2, 'same')],
  ['maxPool3d (MaxPool3D, MaxPool3DGrad)', [2, 4, 4, 4, 3], (x) => tf.maxPool3d(x as tf.Tensor5D, 2, 2, 'valid')],
  ['resizeNearestNeighbor (ResizeNearestNeighborGrad)', [2, 3, 3, 3], (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [6, 6])],
  ['conv3d stride 2, dx (Conv3DBackpropInputV2)', [1, 6, 6, 6, 2], (x) => tf.conv3d(x as tf.Tensor5D, t([3, 3, 3, 2, 3], 5) as tf.Tensor5D, 2, 'same')],
  ['conv3d stride 2, dW (Conv3DBackpropFilterV2)', [3, 3, 3, 2, 3], (w) => tf.conv3d(t([1, 6, 6, 6, 2], 4) as tf.Tensor5D, w as tf.Tensor5D, 2, 'same')],
  ['gather (UnsortedSegmentSum)', [6, 3], (x) => tf.gather(x, tf.tensor1d([0, 2, 2, 5, 1], 'int32'))],
];

describe('kernels run on the cpu backend for wasm', () => {
  let want: [Float32Array, Float32Array][];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    want = cases.map(([, shape, f]) => valueAndGrad(shape, f));
    await activateWasm();
  });

  it.each(cases.map(([name], i) => [name, i] as const))('equal the cpu backend: %s', (_, i) => {
    const [, shape, f] = cases[i]!;
    const before = liveCounts();

    const [y, dx] = valueAndGrad(shape, f);

    expect(tf.getBackend()).toBe('wasm');
    expect(relativeError(y, want[i]![0])).toBeLessThan(1e-6);
    expect(relativeError(dx, want[i]![1])).toBeLessThan(1e-6);
    expect(liveCounts()).toEqual(before);
  });

  it('sums gathered rows back into the rows they came from (the Embedding gradient)', () => {
    // gather rows [0, 2, 2] of a 3x2 table; the gradient of Σ gather ⊙ [[1,2],[3,4],[5,6]] is
    // row 0: [1,2], row 1: 0, row 2: [3+5, 4+6].
    const table = tf.zeros([3, 2]);
    const r = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const ids = tf.tensor1d([0, 2, 2], 'int32');

    const d = tf.grad((x: tf.Tensor) => tf.gather(x, ids).mul(r).sum())(table);

    expect(Array.from(d.dataSync())).toEqual([1, 2, 0, 0, 8, 10]);
    tf.dispose([table, r, ids, d]);
  });
});
