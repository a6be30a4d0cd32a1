import * as tf from '@tensorflow/tfjs';
import { disposeBatch, ValueError, type ClientDataset as CoreClientDataset } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { ClientDataset } from './client-dataset.js';
import type { ArrayElement } from './nd-array.js';

// 5 examples of 2 features: example i is [10*i, 10*i + 1], label i.
const xs = new Float32Array([0, 1, 10, 11, 20, 21, 30, 31, 40, 41]);
const ys = new Int32Array([0, 1, 2, 3, 4]);
const five = () => ClientDataset.fromArrays(xs, ys, { xShape: [2] });
const labelsOf = (els: Iterable<ArrayElement>) => [...els].map((e) => [...e.y.data]);

describe('ClientDataset', () => {
  it('yields one element per row with the documented spec', () => {
    const ds = five();
    expect(ds.elementSpec.toString()).toBe('<x=float32[2],y=int32[1]>');
    expect(ds.cardinality()).toBe(5);
    const els = [...ds.arrays()];
    expect(els.map((e) => [...e.x.data])).toEqual([[0, 1], [10, 11], [20, 21], [30, 31], [40, 41]]);
    expect(els[0]!.y.shape).toEqual([1]);
  });

  it('selects rows through indices', () => {
    const ds = ClientDataset.fromArrays(xs, ys, { xShape: [2], indices: [4, 1] });
    expect(ds.cardinality()).toBe(2);
    expect(labelsOf(ds.arrays())).toEqual([[4], [1]]);
  });

  it('throws when the arrays do not fit the shapes', () => {
    // 10 feature values are 3.33 rows of 3.
    expect(() => ClientDataset.fromArrays(xs, ys, { xShape: [3] })).toThrow(ValueError);
  });

  it('throws for an index outside the rows', () => {
    expect(() => ClientDataset.fromArrays(xs, ys, { xShape: [2], indices: [5] })).toThrow(/index 5/);
  });

  it('batches with a short last batch, or drops it', () => {
    const b = five().batch(2);
    expect(b.elementSpec.toString()).toBe('<x=float32[?,2],y=int32[?,1]>');
    // ceil(5 / 2) = 3 batches of 2, 2, 1
    expect(b.cardinality()).toBe(3);
    const els = [...b.arrays()];
    expect(els.map((e) => e.x.shape)).toEqual([[2, 2], [2, 2], [1, 2]]);
    expect([...els[1]!.x.data]).toEqual([20, 21, 30, 31]);
    expect(els[2]!.y.shape).toEqual([1, 1]);
    const d = five().batch(2, { dropRemainder: true });
    expect(d.elementSpec.toString()).toBe('<x=float32[2,2],y=int32[2,1]>');
    // floor(5 / 2) = 2
    expect(d.cardinality()).toBe(2);
    expect([...d.arrays()]).toHaveLength(2);
  });

  it('throws for a batch size that is not a positive integer', () => {
    expect(() => five().batch(0)).toThrow(ValueError);
    expect(() => five().batch(1.5)).toThrow(ValueError);
  });

  it('shuffles into a permutation that depends on the seed only', () => {
    const order = (seed: number) => labelsOf(five().shuffle(5, seed).arrays()).flat();
    expect([...order(1)].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(order(1)).toEqual(order(1));
    const orders = new Set([1, 2, 3, 4, 5, 6].map((s) => order(s).join()));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('reshuffles each pass unless told not to', () => {
    const ds = ClientDataset.fromArrays(new Float32Array(50), Int32Array.from({ length: 50 }, (_, i) => i), { xShape: [1] });
    const s = ds.shuffle(50, 3);
    const first = labelsOf(s.arrays()).join();
    // 50! orders: two passes agreeing by chance is impossible in practice.
    expect(labelsOf(s.arrays()).join()).not.toBe(first);
    const fixed = ds.shuffle(50, 3, { reshuffleEachIteration: false });
    expect(labelsOf(fixed.arrays()).join()).toBe(labelsOf(fixed.arrays()).join());
  });

  it('a buffer of 1 keeps the order', () => {
    expect(labelsOf(five().shuffle(1, 9).arrays()).flat()).toEqual([0, 1, 2, 3, 4]);
  });

  it('repeats and takes', () => {
    expect(five().repeat(2).cardinality()).toBe(10);
    expect(labelsOf(five().take(2).repeat(3).arrays()).flat()).toEqual([0, 1, 0, 1, 0, 1]);
    const forever = five().repeat();
    expect(forever.cardinality()).toBe(Infinity);
    // 12 elements of an endless 0..4 cycle
    expect(labelsOf(forever.take(12).arrays()).flat()).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1]);
    expect(five().take(0).cardinality()).toBe(0);
    expect([...five().take(0).arrays()]).toEqual([]);
  });

  it('batches across epochs after repeat, as tf.data does', () => {
    // 5 examples x 2 epochs = 10 -> batches of 4, 4, 2
    expect([...five().repeat(2).batch(4).arrays()].map((e) => e.x.shape[0])).toEqual([4, 4, 2]);
  });

  it('maps elements and infers the new spec, keeping an unknown batch dimension', () => {
    const doubled = five().map((e) => ({ x: { data: e.x.data.map((v) => 2 * v), shape: e.x.shape }, y: e.y }));
    expect([...[...doubled.arrays()][1]!.x.data]).toEqual([20, 22]);
    const reshaped = five()
      .batch(2)
      .map((b) => ({ x: { data: b.x.data, shape: [b.x.shape[0]!, 2, 1] }, y: b.y }));
    expect(reshaped.elementSpec.toString()).toBe('<x=float32[?,2,1],y=int32[?,1]>');
  });

  it('throws a ValueError pointing at the spec argument when map cannot be probed', () => {
    const bad = (): ArrayElement => {
      throw new Error('needs real data');
    };
    expect(() => five().map(bad)).toThrow(/map\(fn, elementSpec\)/);
  });

  it('stacks every element with toArrays', () => {
    const { x, y } = five().take(3).toArrays();
    expect(x.shape).toEqual([3, 2]);
    expect([...x.data]).toEqual([0, 1, 10, 11, 20, 21]);
    expect(y.shape).toEqual([3, 1]);
    expect(ClientDataset.empty(five().elementSpec).toArrays().x.shape).toEqual([0, 2]);
    expect(() => five().repeat().toArrays()).toThrow(ValueError);
  });

  it('concatenates datasets', () => {
    const ds = five().take(2).concatenate(five().take(1));
    expect(ds.cardinality()).toBe(3);
    expect(labelsOf(ds.arrays()).flat()).toEqual([0, 1, 0]);
  });

  it('iterates as tensors that the consumer disposes, leaking nothing', () => {
    const ds: CoreClientDataset = five().batch(2);
    const before = tf.memory().numTensors;
    const shapes: number[][] = [];
    for (const batch of ds as Iterable<{ x: tf.Tensor; y: tf.Tensor }>) {
      // exactly the batch's two tensors exist while it is used
      expect(tf.memory().numTensors).toBe(before + 2);
      shapes.push(batch.x.shape);
      expect(batch.y.dtype).toBe('int32');
      disposeBatch(batch);
    }
    expect(shapes).toEqual([[2, 2], [2, 2], [1, 2]]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('copies unbatched rows into tensors, so a tensor never aliases the shared arrays', () => {
    const [first] = five();
    expect(first!.x.dataSync()).not.toBe(xs);
    first!.x.dataSync()[0] = 99;
    expect(xs[0]).toBe(0);
    disposeBatch(first!);
  });

  it('builds from elements and checks them', () => {
    const el = (n: number): ArrayElement => ({ x: { data: new Float32Array(n), shape: [n] }, y: { data: new Int32Array(1), shape: [1] } });
    expect(ClientDataset.fromElements([el(2), el(2)]).cardinality()).toBe(2);
    expect(() => ClientDataset.fromElements([el(2), el(3)])).toThrow(ValueError);
    expect(() => ClientDataset.fromElements([])).toThrow(ValueError);
  });
});
