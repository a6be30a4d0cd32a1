import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { liveCounts, relativeError, seededValues } from './testing/fixtures.js';
import { activateWasm } from './wasm-runtime.js';

interface MatMulCase {
  readonly aShape: number[];
  readonly bShape: number[];
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

// Logical product [.., 3, 5] x [.., 5, 4]; stored shapes swap the last two axes where transposed.
const cases: MatMulCase[] = [];
for (const batch of [[], [2], [2, 3]]) {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      cases.push({
        aShape: [...batch, ...(transposeA ? [5, 3] : [3, 5])],
        bShape: [...batch, ...(transposeB ? [4, 5] : [5, 4])],
        transposeA,
        transposeB,
      });
    }
  }
}

const size = (shape: number[]): number => shape.reduce((p, d) => p * d, 1);

/** The product and dL/da, dL/db of L = Σ matMul(a, b) ⊙ R, on the active backend. */
function matMulAndGrads(c: MatMulCase): Float32Array[] {
  return tf.tidy(() => {
    const a = tf.tensor(seededValues(size(c.aShape), 11), c.aShape);
    const b = tf.tensor(seededValues(size(c.bShape), 12), c.bShape);
    const f = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => tf.matMul(x, y, c.transposeA, c.transposeB);
    const loss = (x: tf.Tensor, y: tf.Tensor): tf.Scalar => {
      const p = f(x, y);
      return p.mul(tf.tensor(seededValues(p.size, 13), p.shape)).sum();
    };
    const [da, db] = tf.grads(loss)([a, b]);
    return [f(a, b), da!, db!].map((t) => t.dataSync() as Float32Array);
  });
}

describe('BatchMatMul on wasm', () => {
  let want: Float32Array[][];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    want = cases.map(matMulAndGrads);
    await activateWasm();
  });

  it.each(cases.map((c, i) => [`a ${JSON.stringify(c.aShape)}${c.transposeA ? 'ᵀ' : ''} · b ${JSON.stringify(c.bShape)}${c.transposeB ? 'ᵀ' : ''}`, i] as const))(
    'product and gradients match the cpu backend within 1e-4: %s',
    (_, i) => {
      const before = liveCounts();

      const [product, da, db] = matMulAndGrads(cases[i]!);

      expect(tf.getBackend()).toBe('wasm');
      expect(relativeError(product!, want[i]![0]!)).toBeLessThan(1e-4);
      expect(relativeError(da!, want[i]![1]!)).toBeLessThan(1e-4);
      expect(relativeError(db!, want[i]![2]!)).toBeLessThan(1e-4);
      expect(liveCounts()).toEqual(before);
    },
  );

  it('broadcasts one transposed b over a batch of a like the cpu backend', async () => {
    // tfjs cannot differentiate a broadcast matMul on any backend, so only the product is compared.
    const product = (): Float32Array =>
      tf.tidy(() => {
        const a = tf.tensor(seededValues(3 * 5 * 6, 21), [3, 5, 6]);
        const b = tf.tensor(seededValues(4 * 6, 22), [1, 4, 6]);
        return tf.matMul(a, b, false, true).dataSync() as Float32Array;
      });
    await tf.setBackend('cpu');
    const onCpu = product();
    await activateWasm();
    const before = liveCounts();

    const onWasm = product();

    expect(relativeError(onWasm, onCpu)).toBeLessThan(1e-4);
    expect(liveCounts()).toEqual(before);
  });

  it('computes a transposed product exactly on a case worked by hand', () => {
    // a = [[1, 2], [3, 4]], b = [[5, 6], [7, 8]]
    // aᵀ · bᵀ = [[1, 3], [2, 4]] · [[5, 7], [6, 8]] = [[1·5+3·6, 1·7+3·8], [2·5+4·6, 2·7+4·8]] = [[23, 31], [34, 46]]
    const got = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]]), true, true).arraySync());

    expect(got).toEqual([
      [23, 31],
      [34, 46],
    ]);
  });
});
