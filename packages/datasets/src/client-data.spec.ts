import * as tf from '@tensorflow/tfjs';
import { disposeBatch, ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { fromClientsAndFn } from './client-data.js';
import { clientDataFromPartition } from './client-data-from-partition.js';
import { ClientDataset } from './client-dataset.js';
import { partitionIid } from './partition-iid.js';

// 6 examples of one feature; value = label = row number.
const xs = Float32Array.from([0, 1, 2, 3, 4, 5]);
const ys = Int32Array.from([0, 1, 2, 3, 4, 5]);
const rows: Record<string, number[]> = { a: [0, 1], b: [2, 3, 4], c: [5] };
const make = () => fromClientsAndFn(['a', 'b', 'c'], (id) => ClientDataset.fromArrays(xs, ys, { xShape: [1], indices: rows[id]! }));
const labels = (ds: ClientDataset) => [...ds.arrays()].flatMap((e) => [...e.y.data]);

describe('ClientData', () => {
  it('creates each client dataset on demand', () => {
    const cd = make();
    expect(cd.clientIds).toEqual(['a', 'b', 'c']);
    expect(cd.elementSpec.toString()).toBe('<x=float32[1],y=int32[1]>');
    expect(labels(cd.createDatasetForClient('b'))).toEqual([2, 3, 4]);
  });

  it('throws a ValueError naming an unknown client id', () => {
    expect(() => make().createDatasetForClient('zebra')).toThrow(ValueError);
    expect(() => make().createDatasetForClient('zebra')).toThrow(/"zebra"/);
  });

  it('throws for duplicated or missing ids', () => {
    expect(() => fromClientsAndFn(['a', 'a'], () => ClientDataset.fromArrays(xs, ys, { xShape: [1] }))).toThrow(/"a"/);
    expect(() => fromClientsAndFn([], () => ClientDataset.fromArrays(xs, ys, { xShape: [1] }))).toThrow(ValueError);
  });

  it('preprocesses every dataset and reports the preprocessed spec', () => {
    const batched = make().preprocess((ds) => ds.batch(2));
    expect(batched.elementSpec.toString()).toBe('<x=float32[?,1],y=int32[?,1]>');
    // client b: 3 examples in batches of 2 -> 2 batches
    expect(batched.createDatasetForClient('b').cardinality()).toBe(2);
  });

  it('lists datasets in id order, limited, or shuffled by a seed', () => {
    const cd = make();
    expect([...cd.datasets()].map((d) => d.cardinality())).toEqual([2, 3, 1]);
    expect([...cd.datasets({ limit: 2 })].map((d) => d.cardinality())).toEqual([2, 3]);
    const shuffled = [...cd.datasets({ seed: 5 })].map((d) => d.cardinality());
    expect([...shuffled].sort()).toEqual([1, 2, 3]);
    expect([...cd.datasets({ seed: 5 })].map((d) => d.cardinality())).toEqual(shuffled);
  });

  it('concatenates all clients for a centralized baseline', () => {
    const all = make().createDatasetFromAllClients();
    expect(all.cardinality()).toBe(6);
    expect(labels(all)).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...labels(make().createDatasetFromAllClients(1))].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('over 10,000 clients creates no tensor before use and keeps memory flat while one client is iterated', () => {
    // 20,000 examples of 4 features dealt IID to 10,000 clients: 2 examples each.
    const n = 20_000;
    const x = new Float32Array(n * 4);
    const y = Int32Array.from({ length: n }, (_, i) => i % 10);
    const before = tf.memory().numTensors;
    const cd = clientDataFromPartition(x, y, partitionIid(y, 10_000, { seed: 1 }), [4]).preprocess((ds) => ds.shuffle(10, 2).batch(1));
    expect(cd.clientIds).toHaveLength(10_000);
    const ds = cd.createDatasetForClient('9999');
    expect(tf.memory().numTensors).toBe(before);
    let batches = 0;
    for (const batch of ds) {
      expect(tf.memory().numTensors).toBe(before + 2);
      disposeBatch(batch);
      batches++;
    }
    // 2 examples, batch size 1 -> 2 batches
    expect(batches).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });
});
