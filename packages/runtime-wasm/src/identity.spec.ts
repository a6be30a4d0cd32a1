import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';

import { liveCounts } from './testing/fixtures.js';
import { activateWasm } from './wasm-runtime.js';

describe('Identity on wasm', () => {
  beforeAll(async () => {
    await activateWasm();
  });

  it('shares the memory of its input instead of copying it', () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const buffersBefore = tf.memory().numDataBuffers;

    const y = tf.clone(x);

    const backend = tf.backend() as BackendWasm;
    expect(tf.memory().numDataBuffers).toBe(buffersBefore);
    expect(backend.dataIdMap.get(y.dataId).memoryOffset).toBe(backend.dataIdMap.get(x.dataId).memoryOffset);
    tf.dispose([x, y]);
  });

  it('keeps the values alive for the clone when the original is disposed, and frees them with the last one', () => {
    const before = liveCounts();
    const x = tf.tensor1d([7, 8, 9]);
    const y = tf.clone(x);

    x.dispose();
    const values = Array.from(y.dataSync());
    y.dispose();

    expect(values).toEqual([7, 8, 9]);
    expect(liveCounts()).toEqual(before);
  });

  it('leaves the clone unchanged when the original variable is assigned a new value', () => {
    const [initial, next] = [tf.tensor1d([1, 2]), tf.tensor1d([10, 20])];
    const v = tf.variable(initial);
    const saved = tf.clone(v);

    v.assign(next);

    expect(Array.from(saved.dataSync())).toEqual([1, 2]);
    expect(Array.from(v.dataSync())).toEqual([10, 20]);
    tf.dispose([v, saved, initial, next]);
  });

  it('still copies strings (the stock kernel)', () => {
    const s = tf.tensor1d(['a', 'b'], 'string');

    const c = tf.clone(s);

    expect(c.dataSync()).toEqual(['a', 'b']);
    tf.dispose([s, c]);
  });
});
