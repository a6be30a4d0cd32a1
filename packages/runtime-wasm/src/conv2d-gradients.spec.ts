import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { liveCounts, relativeError, seededValues } from './testing/fixtures.js';
import { activateWasm } from './wasm-runtime.js';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase {
  readonly stride: number;
  readonly pad: Pad;
  readonly k: number;
  readonly inC: number;
  readonly outC: number;
  readonly size: number;
}

const cases: ConvCase[] = [];
for (const stride of [1, 2, 3]) {
  for (const pad of ['same', 'valid'] as const) {
    cases.push({ stride, pad, k: 1, inC: 3, outC: 4, size: 9 });
    cases.push({ stride, pad, k: 5, inC: 1, outC: 8, size: 12 });
    cases.push({ stride, pad, k: 5, inC: 6, outC: 3, size: 11 });
  }
}
// Explicit and numeric padding, asymmetric, and a non-square input.
cases.push({ stride: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]], k: 3, inC: 2, outC: 5, size: 8 });
cases.push({ stride: 2, pad: 1, k: 3, inC: 4, outC: 2, size: 10 });
cases.push({ stride: 1, pad: 6, k: 3, inC: 2, outC: 2, size: 5 }); // padding wider than the filter

const label = (c: ConvCase): string =>
  `stride ${c.stride}, pad ${JSON.stringify(c.pad)}, ${c.k}x${c.k}, ${c.inC}->${c.outC} channels`;

/** dL/dx and dL/dW of L = Σ conv2d(x, W) ⊙ R on the active backend, for fixed x, W, R. */
function convGrads(c: ConvCase): [Float32Array, Float32Array] {
  return tf.tidy(() => {
    const x = tf.tensor4d(seededValues(2 * c.size * (c.size + 1) * c.inC, 1), [2, c.size, c.size + 1, c.inC]);
    const w = tf.tensor4d(seededValues(c.k * c.k * c.inC * c.outC, 2), [c.k, c.k, c.inC, c.outC]);
    const loss = (xs: tf.Tensor, ws: tf.Tensor): tf.Scalar => {
      const y = tf.conv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, c.stride, c.pad);
      return y.mul(tf.tensor(seededValues(y.size, 3), y.shape)).sum();
    };
    const [dx, dw] = tf.grads(loss)([x, w]);
    return [dx!.dataSync() as Float32Array, dw!.dataSync() as Float32Array];
  });
}

interface TransposeCase {
  readonly stride: number;
  readonly pad: 'same' | 'valid';
  readonly outShape: [number, number, number, number];
}
// conv2dTranspose runs Conv2DBackpropInput directly, for any requested output shape.
const transposeCases: TransposeCase[] = [
  { stride: 1, pad: 'same', outShape: [2, 7, 7, 3] },
  { stride: 1, pad: 'valid', outShape: [2, 9, 9, 3] },
  { stride: 2, pad: 'same', outShape: [2, 14, 14, 3] },
];

function convTranspose(c: TransposeCase): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(seededValues(2 * 7 * 7 * 4, 4), [2, 7, 7, 4]);
    const w = tf.tensor4d(seededValues(3 * 3 * 3 * 4, 5), [3, 3, 3, 4]);
    return tf.conv2dTranspose(x, w, c.outShape, c.stride, c.pad).dataSync() as Float32Array;
  });
}

describe('Conv2D gradients on wasm', () => {
  let want: [Float32Array, Float32Array][];
  let wantTransposed: Float32Array[];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    want = cases.map(convGrads);
    wantTransposed = transposeCases.map(convTranspose);
    await activateWasm();
  });

  it.each(cases.map((c, i) => [label(c), i] as const))('match the cpu backend within 1e-4: %s', (_, i) => {
    const c = cases[i]!;
    const before = liveCounts();

    const [dx, dw] = convGrads(c);

    expect(tf.getBackend()).toBe('wasm');
    expect(relativeError(dx, want[i]![0])).toBeLessThan(1e-4);
    expect(relativeError(dw, want[i]![1])).toBeLessThan(1e-4);
    expect(liveCounts()).toEqual(before);
  });

  it.each(transposeCases.map((c, i) => [`stride ${c.stride}, ${c.pad}`, i] as const))(
    'conv2dTranspose matches the cpu backend within 1e-4: %s',
    (_, i) => {
      const before = liveCounts();

      const got = convTranspose(transposeCases[i]!);

      expect(relativeError(got, wantTransposed[i]!)).toBeLessThan(1e-4);
      expect(liveCounts()).toEqual(before);
    },
  );
});
