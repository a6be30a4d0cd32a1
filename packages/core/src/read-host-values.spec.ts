import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { readHostValues } from './read-host-values.js';

// The cpu backend (core's tests): values come from dataSync(). The wasm path (a view of the heap, no copy) is
// tested in @fedkit/runtime-wasm, where that backend is available.
describe('readHostValues', () => {
  it('gives read the tensor\'s values and returns what read returns', () => {
    const t = tf.tensor2d([1, 2, 3, 4.5], [2, 2]);

    const sum = readHostValues(t, (values) => values.reduce((a, b) => a + b, 0));

    expect(sum).toBe(10.5);
    t.dispose();
  });

  it('reads int32 and bool tensors with their own array types', () => {
    const ints = tf.tensor1d([3, -1], 'int32');
    const flags = tf.tensor1d([true, false, true], 'bool');

    const read = [readHostValues(ints, (v) => [v.constructor.name, Array.from(v)]), readHostValues(flags, (v) => Array.from(v))];

    expect(read).toEqual([['Int32Array', [3, -1]], [1, 0, 1]]);
    tf.dispose([ints, flags]);
  });

  it('throws tfjs\'s own error for a disposed tensor, without calling read', () => {
    const t = tf.tensor1d([1]);
    t.dispose();
    let called = false;

    expect(() => readHostValues(t, () => (called = true))).toThrow(/disposed/);
    expect(called).toBe(false);
  });
});
