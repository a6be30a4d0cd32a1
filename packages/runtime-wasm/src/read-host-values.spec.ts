import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { readHostValues } from '@fedkit/core';
import { beforeAll, describe, expect, it } from 'vitest';

import { activateWasm } from './wasm-runtime.js';

// @fedkit/core's readHostValues on the backend it exists for: its reads of wasm tensors are views of the heap.
describe('readHostValues on wasm', () => {
  beforeAll(async () => {
    await activateWasm();
  });

  it('reads a float32 tensor where it lies on the heap, without a copy', () => {
    const t = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const backend = tf.backend() as BackendWasm;

    const seen = readHostValues(t, (values) => ({ buffer: values.buffer, offset: values.byteOffset, values: Array.from(values) }));

    expect(seen.buffer).toBe(backend.wasm.HEAPU8.buffer);
    expect(seen.offset).toBe(backend.dataIdMap.get(t.dataId).memoryOffset);
    expect(seen.values).toEqual([1, 2, 3, 4, 5, 6]);
    t.dispose();
  });

  it('reads a variable\'s current value after assign, and int32 and bool tensors with their array types', () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    v.assign(tf.tensor1d([7, 8]));
    const ints = tf.tensor1d([3, -1], 'int32');
    const flags = tf.tensor1d([true, false], 'bool');

    const read = [readHostValues(v, (x) => Array.from(x)), readHostValues(ints, (x) => [x.constructor.name, Array.from(x)]), readHostValues(flags, (x) => [x.constructor.name, Array.from(x)])];

    expect(read).toEqual([[7, 8], ['Int32Array', [3, -1]], ['Uint8Array', [1, 0]]]);
    tf.dispose([v, ints, flags]);
  });

  it('falls back to dataSync() for a tensor whose data is still on another backend', async () => {
    await tf.setBackend('cpu');
    const t = tf.tensor1d([4, 5]);
    await tf.setBackend('wasm');

    const read = readHostValues(t, (values) => Array.from(values));

    expect(read).toEqual([4, 5]);
    t.dispose();
  });
});
