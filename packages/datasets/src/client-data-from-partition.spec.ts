import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { clientDataFromPartition } from './client-data-from-partition.js';

// 4 examples of 2 features: example i = [i, i], label i.
const xs = Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3]);
const ys = Int32Array.from([0, 1, 2, 3]);

describe('clientDataFromPartition', () => {
  it('gives client c the rows partition[c], with ids "0", "1", ...', () => {
    const cd = clientDataFromPartition(xs, ys, [[3, 0], [1, 2]], [2]);
    expect(cd.clientIds).toEqual(['0', '1']);
    expect(cd.elementSpec.toString()).toBe('<x=float32[2],y=int32[1]>');
    const { x, y } = cd.createDatasetForClient('0').toArrays();
    expect([...x.data]).toEqual([3, 3, 0, 0]);
    expect([...y.data]).toEqual([3, 0]);
  });

  it('accepts any example shape of the same size and custom ids', () => {
    const cd = clientDataFromPartition(xs, ys, [[0], [1, 2, 3]], [2, 1], { clientIds: ['p', 'q'] });
    expect(cd.elementSpec.toString()).toBe('<x=float32[2,1],y=int32[1]>');
    expect(cd.createDatasetForClient('q').cardinality()).toBe(3);
  });

  it('converts labels to float32 on request (for tfjs-layers losses)', () => {
    const cd = clientDataFromPartition(xs, ys, [[2, 3]], [2], { labelDtype: 'float32' });
    expect(cd.elementSpec.toString()).toBe('<x=float32[2],y=float32[1]>');
    expect([...cd.createDatasetForClient('0').toArrays().y.data]).toEqual([2, 3]);
  });

  it('throws when ids and partition differ in length, or the shape does not fit', () => {
    expect(() => clientDataFromPartition(xs, ys, [[0]], [2], { clientIds: ['a', 'b'] })).toThrow(ValueError);
    // 8 values are not a whole number of 3-value rows
    expect(() => clientDataFromPartition(xs, ys, [[0]], [3])).toThrow(ValueError);
  });
});
