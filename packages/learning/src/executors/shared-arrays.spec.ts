import { describe, expect, it } from 'vitest';

import { shareWeights } from './shared-arrays.js';

describe('shareWeights', () => {
  it('copies every array once into one shared buffer, keeping values and shapes', () => {
    const weights = { trainable: [Float32Array.of(1, 2, 3), Float32Array.of(4)], nonTrainable: [Float32Array.of(5, 6)], trainableShapes: [[3], [1]], nonTrainableShapes: [[2]] };
    const shared = shareWeights(weights);
    const arrays = [...shared.trainable, ...shared.nonTrainable];
    expect(arrays.map((a) => Array.from(a))).toEqual([[1, 2, 3], [4], [5, 6]]);
    expect(arrays.every((a) => a.buffer instanceof SharedArrayBuffer && a.buffer === arrays[0]!.buffer)).toBe(true);
    expect(arrays[0]!.buffer.byteLength).toBe(6 * 4);
    expect(shared.trainableShapes).toEqual([[3], [1]]);
    // A copy: the round's own arrays can change without the workers seeing it.
    weights.trainable[0]![0] = 99;
    expect(shared.trainable[0]![0]).toBe(1);
  });
});
