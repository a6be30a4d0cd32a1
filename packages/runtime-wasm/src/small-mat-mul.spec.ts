import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { liveCounts, seededValues } from './testing/fixtures.js';
import { trainTwoNnSteps } from './testing/train-steps.js';
import { setSmallMatMulEnabled, SMALL_MAT_MUL_MAX_ROWS, useSmallMatMul } from './small-mat-mul.js';
import { installWasmTrainingKernels, uninstallWasmTrainingKernels } from './wasm-training-kernels.js';
import { activateWasm } from './wasm-runtime.js';

/** M x K times K x N: the shapes of a 2NN step at B=10 and 50, and every tile remainder (rows % 4, columns % 8). */
const shapes: [number, number, number][] = [
  [10, 784, 200],
  [10, 200, 200],
  [10, 200, 10],
  [50, 784, 200],
  [1, 5, 3],
  [3, 7, 9],
  [4, 8, 8],
  [13, 33, 27],
  [7, 1, 17],
  [32, 16, 12],
  [33, 16, 12],
];

const bits = (values: Float32Array): Uint32Array => new Uint32Array(values.buffer, values.byteOffset, values.length);

/** Runs `f` with the small-batch path on and then off (fedkit's kernels otherwise), returning both results. */
function withAndWithoutSmallPath(f: () => Float32Array): [Float32Array, Float32Array] {
  const fast = f();
  setSmallMatMulEnabled(false);
  try {
    return [fast, f()];
  } finally {
    setSmallMatMulEnabled(true);
  }
}

/** Runs `f` once on fedkit's kernels and once on the stock wasm kernels, returning both results. */
function fedkitAndStock(f: () => Float32Array): [Float32Array, Float32Array] {
  const fedkit = f();
  uninstallWasmTrainingKernels();
  try {
    return [fedkit, f()];
  } finally {
    installWasmTrainingKernels();
  }
}

describe('the small-batch matmul of the wasm runtime', () => {
  beforeAll(async () => {
    await activateWasm();
  });
  afterAll(() => {
    installWasmTrainingKernels();
  });

  it('runs products of up to 32 rows always, and larger ones only the first time their right operand is seen', () => {
    const backend = tf.backend() as BackendWasm;
    const info = (t: tf.Tensor): tf.TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
    const [small, large, w, batched, ints] = [tf.zeros([SMALL_MAT_MUL_MAX_ROWS, 4]), tf.zeros([SMALL_MAT_MUL_MAX_ROWS + 1, 4]), tf.zeros([4, 3]), tf.zeros([2, 4, 3]), tf.zeros([4, 3], 'int32')];

    const decisions = [
      useSmallMatMul(info(small), info(w), backend),
      useSmallMatMul(info(small), info(w), backend),
      useSmallMatMul(info(large), info(w), backend),
      useSmallMatMul(info(large), info(batched), backend),
      useSmallMatMul(info(small), info(ints), backend),
    ];
    const fresh = tf.zeros([4, 3]);
    const firstLarge = useSmallMatMul(info(large), info(fresh), backend);
    const secondLarge = useSmallMatMul(info(large), info(fresh), backend);
    setSmallMatMulEnabled(false);
    const whenOff = useSmallMatMul(info(small), info(fresh), backend);
    setSmallMatMulEnabled(true);

    expect(decisions).toEqual([true, true, false, false, false]);
    expect([firstLarge, secondLarge, whenOff]).toEqual([true, false, false]);
    tf.dispose([small, large, w, batched, ints, fresh]);
  });

  it.each(shapes)('gives the stock kernel\'s product to the bit: [%i, %i] x [%i, N]', (m, k, n) => {
    const before = liveCounts();
    const product = (): Float32Array =>
      tf.tidy(() => tf.matMul(tf.tensor(seededValues(m * k, 1), [m, k]), tf.tensor(seededValues(k * n, 2), [k, n])).dataSync() as Float32Array);

    const [fedkit, stock] = fedkitAndStock(product);

    expect(bits(fedkit)).toEqual(bits(stock));
    expect(liveCounts()).toEqual(before);
  });

  it.each(shapes)('gives the stock fused kernel\'s result (bias, then relu or linear) to the bit: [%i, %i] x [%i, N]', (m, k, n) => {
    const fused = (activation: 'relu' | 'linear') => (): Float32Array =>
      tf.tidy(() => {
        const a = tf.tensor(seededValues(m * k, 3), [m, k]);
        const b = tf.tensor(seededValues(k * n, 4), [k, n]);
        const bias = tf.tensor1d(seededValues(n, 5));
        return tf.fused.matMul({ a, b, bias, activation }).dataSync() as Float32Array;
      });

    const [reluFedkit, reluStock] = fedkitAndStock(fused('relu'));
    const [linearFedkit, linearStock] = fedkitAndStock(fused('linear'));

    expect(bits(reluFedkit)).toEqual(bits(reluStock));
    expect(bits(linearFedkit)).toEqual(bits(linearStock));
    // The inputs are centred, so relu clamps some outputs and the two cases differ.
    expect(Array.from(reluFedkit).some((v, i) => v !== linearFedkit[i])).toBe(true);
  });

  it('gives the transposed products of a dense gradient (xᵀ · dy, dy · Wᵀ) as the stock kernel on the transposed operands, to the bit', () => {
    // Porting note: stock wasm's own transposed product sums in another order (and is 5-14x slower), so
    // fedkit's reference for transposed operands is the stock plain product of explicitly transposed ones.
    const x = (): tf.Tensor => tf.tensor(seededValues(10 * 784, 6), [10, 784]);
    const dy = (): tf.Tensor => tf.tensor(seededValues(10 * 200, 7), [10, 200]);
    const w = (): tf.Tensor => tf.tensor(seededValues(784 * 200, 8), [784, 200]);

    const [fedkit] = fedkitAndStock(() => tf.tidy(() => tf.concat([tf.matMul(x(), dy(), true, false).flatten(), tf.matMul(dy(), w(), false, true).flatten()]).dataSync() as Float32Array));
    const [, stock] = fedkitAndStock(() => tf.tidy(() => tf.concat([tf.matMul(x().transpose(), dy()).flatten(), tf.matMul(dy(), w().transpose()).flatten()]).dataSync() as Float32Array));

    expect(bits(fedkit)).toEqual(bits(stock));
  });

  it('trains the 2NN to the same weights with and without the small-batch path, to the bit (B=10, 5 SGD steps)', () => {
    const train = (): Float32Array => trainTwoNnSteps(tf.train.sgd(0.1));

    const [fast, withoutSmallPath] = withAndWithoutSmallPath(train);

    expect(fast.length).toBe(784 * 200 + 200 + 200 * 200 + 200 + 200 * 10 + 10);
    expect(bits(fast)).toEqual(bits(withoutSmallPath));
  });
});
