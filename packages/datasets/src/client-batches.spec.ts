import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { ValueError, isClientDataRef, type LabeledArrays } from '@fedkit/core';

import { arrayBatches, batchIndices, ClientBatches, gatherBatch, resolveArrayPlan } from './client-batches.js';

// 5 examples of 2 features: example i is [i, 10 + i], label i % 2.
const data: LabeledArrays = {
  x: Float32Array.from({ length: 10 }, (_, k) => (k % 2 === 0 ? k / 2 : 10 + (k - 1) / 2)),
  y: Int32Array.of(0, 1, 0, 1, 0),
  numExamples: 5,
  exampleShape: [2],
};

describe('ClientBatches', () => {
  it('gathers the planned rows into batches of batchSize, the last one smaller, for each epoch', () => {
    const ds = new ClientBatches(data, { indices: [4, 1, 3], batchSize: 2, epochs: 2 });
    const batches = [...ds].map((b) => {
      const { x, y } = b as { x: tf.Tensor; y: tf.Tensor };
      const out = { x: x.arraySync(), y: y.arraySync(), dtype: y.dtype };
      tf.dispose([x, y]);
      return out;
    });
    expect(batches).toEqual([
      { x: [[4, 14], [1, 11]], y: [0, 1], dtype: 'int32' },
      { x: [[3, 13]], y: [1], dtype: 'int32' },
      { x: [[4, 14], [1, 11]], y: [0, 1], dtype: 'int32' },
      { x: [[3, 13]], y: [1], dtype: 'int32' },
    ]);
  });

  it('keeps every batch intact while later ones are made (each batch its own arrays on the cpu backend)', () => {
    // The cpu backend keeps a tensor's array as its data: reusing one buffer would rewrite batch 1 when making batch 2.
    const [first, second] = [...new ClientBatches(data, { indices: [0, 1, 2, 3], batchSize: 2, epochs: 1 })] as { x: tf.Tensor; y: tf.Tensor }[];
    expect(first!.x.arraySync()).toEqual([[0, 10], [1, 11]]);
    expect(second!.x.arraySync()).toEqual([[2, 12], [3, 13]]);
    tf.dispose([first!.x, first!.y, second!.x, second!.y]);
  });

  it('gatherBatch assembles a short batch in the front of given buffers', () => {
    const buffers = { x: new Float32Array(6).fill(-1), y: new Int32Array(3).fill(-1) };
    const { x, y } = gatherBatch(data, [4, 1], buffers) as { x: tf.Tensor; y: tf.Tensor };
    expect(Array.from(buffers.x)).toEqual([4, 14, 1, 11, -1, -1]);
    expect(Array.from(buffers.y)).toEqual([0, 1, -1]);
    expect(x.arraySync()).toEqual([[4, 14], [1, 11]]);
    expect(y.arraySync()).toEqual([0, 1]);
    tf.dispose([x, y]);
  });

  it('shuffles each epoch the same way for the same seed, and differently across epochs', () => {
    const plan = { indices: [0, 1, 2, 3, 4], batchSize: 5, epochs: 2, shuffleSeed: 's' };
    const a = batchIndices(plan);
    expect(batchIndices(plan)).toEqual(a);
    expect([...a[0]!].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(a[1]).not.toEqual(a[0]);
  });

  it('travels as a plain array-plan reference that resolves to the same batches over the same data', () => {
    const ds = new ClientBatches(data, { indices: Int32Array.of(2, 0), batchSize: 1, epochs: 1, shuffleSeed: 'k' });
    const ref = ds.toDataRef();
    expect(isClientDataRef(ref)).toBe(true);
    expect(JSON.parse(JSON.stringify(ref))).toEqual({ kind: 'array-plan', plan: { indices: [2, 0], batchSize: 1, epochs: 1, shuffleSeed: 'k' } });
    expect(batchIndices(resolveArrayPlan(data, ref).plan)).toEqual(batchIndices(ds.plan));
  });

  it('refuses a reference of another kind or naming rows the data does not have', () => {
    expect(() => resolveArrayPlan(data, { kind: 'leaf-user' })).toThrow(ValueError);
    expect(() => resolveArrayPlan(data, { kind: 'array-plan', plan: { indices: [5], batchSize: 1, epochs: 1 } })).toThrow(/names row 5, but the data has rows 0\.\.4/);
  });

  it('arrayBatches walks every example once in order (evaluation)', () => {
    expect(batchIndices(arrayBatches(data, 2).plan)).toEqual([[0, 1], [2, 3], [4]]);
  });
});
