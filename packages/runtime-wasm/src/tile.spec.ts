import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { liveCounts } from './testing/fixtures.js';
import { activateWasm } from './wasm-runtime.js';

describe('Tile on wasm', () => {
  beforeAll(async () => {
    await activateWasm();
  });

  it('repeats a matrix along both axes', () => {
    // [[1,2],[3,4]] tiled [2,3]: each row repeated 3 times across, the 2 rows repeated twice down.
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const before = liveCounts();

    const y = tf.tile(x, [2, 3]);

    expect(y.shape).toEqual([4, 6]);
    expect(y.arraySync()).toEqual([
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
    ]);
    y.dispose();
    expect(liveCounts()).toEqual(before);
    x.dispose();
  });

  it('broadcasts per-channel values over batch and space, as the batchNorm gradient does', () => {
    const x = tf.tensor4d([0.5, -1, 2], [1, 1, 1, 3]);

    const y = tf.tile(x, [2, 3, 5, 1]);

    expect(y.shape).toEqual([2, 3, 5, 3]);
    const values = Array.from(y.dataSync());
    expect(values).toEqual(Array.from({ length: 30 }, () => [0.5, -1, 2]).flat());
    tf.dispose([x, y]);
  });

  it.each([
    ['int32, rank 3', [1, 2, 3, 4, 5, 6], [1, 3, 2], 'int32', [3, 1, 2]],
    ['bool, rank 1', [1, 0, 1], [3], 'bool', [4]],
    ['odd repeats, rank 5', [1, 2, 3, 4], [2, 1, 2, 1, 1], 'float32', [1, 3, 1, 5, 7]],
  ] as const)('equals the cpu backend: %s', async (_, values, shape, dtype, reps) => {
    const tiled = (): unknown => tf.tidy(() => tf.tile(tf.tensor([...values], [...shape], dtype), [...reps]).arraySync());
    const got = tiled();
    await tf.setBackend('cpu');
    const want = tiled();
    await activateWasm();

    expect(got).toEqual(want);
  });
});
