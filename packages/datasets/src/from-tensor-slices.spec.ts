import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { fromTensorSlices } from './from-tensor-slices.js';

describe('fromTensorSlices', () => {
  it('makes one client per key with shapes from the nesting', () => {
    const cd = fromTensorSlices({
      a: { x: [[1, 2], [3, 4]], y: [[0], [1]] },
      b: { x: [[5, 6]], y: [[1]] },
    });
    expect(cd.clientIds).toEqual(['a', 'b']);
    expect(cd.elementSpec.toString()).toBe('<x=float32[2],y=int32[1]>');
    const { x, y } = cd.createDatasetForClient('a').toArrays();
    expect([...x.data]).toEqual([1, 2, 3, 4]);
    expect([...y.data]).toEqual([0, 1]);
  });

  it('keeps typed arrays and { data, shape } as given', () => {
    const cd = fromTensorSlices({ a: { x: { data: new Float32Array(12), shape: [3, 2, 2] }, y: new Float32Array([0.5, 1, 2]) } });
    // a Float32Array of labels is one float per example: per-example shape []
    expect(cd.elementSpec.toString()).toBe('<x=float32[2,2],y=float32>');
  });

  it('makes non-integer plain labels float32', () => {
    expect(fromTensorSlices({ a: { x: [[1]], y: [0.5] } }).elementSpec.toString()).toBe('<x=float32[1],y=float32>');
  });

  it('throws for mismatched counts, ragged rows, differing clients and no clients', () => {
    expect(() => fromTensorSlices({ a: { x: [[1], [2]], y: [0] } })).toThrow(/2 feature rows but 1 labels/);
    expect(() => fromTensorSlices({ a: { x: [[1, 2], [3]], y: [0, 1] } })).toThrow(/ragged/);
    expect(() => fromTensorSlices({ a: { x: [[1, 2]], y: [0] }, b: { x: [[1, 2, 3]], y: [0] } })).toThrow(/client "b"/);
    expect(() => fromTensorSlices({})).toThrow(ValueError);
  });
});
