import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { fromClientsAndFn } from './client-data.js';
import { ClientDataset } from './client-dataset.js';
import { fromTensorSlices } from './from-tensor-slices.js';
import { trainTestClientSplit } from './train-test-client-split.js';

const cd = fromTensorSlices(
  Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((id, i) => [id, { x: [[i]], y: [i] }])),
);

describe('trainTestClientSplit', () => {
  it('puts numTestClients clients in test and the rest in train, without overlap', () => {
    const [train, test] = trainTestClientSplit(cd, 2, 7);
    expect(test.clientIds).toHaveLength(2);
    expect(train.clientIds).toHaveLength(3);
    expect([...train.clientIds, ...test.clientIds].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(test.elementSpec.equals(cd.elementSpec)).toBe(true);
    expect(() => train.createDatasetForClient(test.clientIds[0]!)).toThrow(ValueError);
  });

  it('is deterministic for a seed', () => {
    expect(trainTestClientSplit(cd, 2, 7)[1].clientIds).toEqual(trainTestClientSplit(cd, 2, 7)[1].clientIds);
  });

  it('throws unless 1 <= numTestClients < number of clients', () => {
    expect(() => trainTestClientSplit(cd, 0)).toThrow(ValueError);
    expect(() => trainTestClientSplit(cd, 5)).toThrow(/between 1 and 4/);
  });
});

// TFF client_data_test.py: 10 clients '0'..'9', only the even ones have data.
const spec = cd.elementSpec;
const evenOdd = fromClientsAndFn(
  Array.from({ length: 10 }, (_, i) => String(i)),
  (id) => (Number(id) % 2 === 0 ? ClientDataset.fromArrays(Float32Array.of(Number(id)), Int32Array.of(0), { xShape: [1], yShape: [1] }) : ClientDataset.empty(spec)),
  spec,
);

describe('trainTestClientSplit with empty clients (TFF client_data_test.py)', () => {
  it('test_split_train_test_selects_nonempty_test_clients: test clients all have data, every client lands somewhere', () => {
    for (const seed of [0, 1, 2, 3]) {
      const [train, test] = trainTestClientSplit(evenOdd, 3, seed);
      expect(test.clientIds).toHaveLength(3);
      expect(test.clientIds.every((id) => Number(id) % 2 === 0)).toBe(true);
      expect([...train.clientIds, ...test.clientIds].sort()).toEqual([...evenOdd.clientIds].sort());
    }
    const [train, test] = trainTestClientSplit(evenOdd, 5);
    expect(test.clientIds).toEqual(['0', '2', '4', '6', '8']);
    expect(train.clientIds).toEqual(['1', '3', '5', '7', '9']);
  });

  it('test_split_train_test_not_enough_nonempty_clients: 6 test clients of 5 with data is a ValueError', () => {
    expect(() => trainTestClientSplit(evenOdd, 6)).toThrow(ValueError);
    expect(() => trainTestClientSplit(evenOdd, 6)).toThrow(/too many clients with no data: 5 of 10/);
  });

  it('test_split_train_test_too_few_clients: 11 of 10 clients', () => {
    expect(() => trainTestClientSplit(evenOdd, 11)).toThrow(/has only 10 clients, but 11/);
  });

  it('test_split_train_test_no_test_clients_requested: 0 test clients', () => {
    expect(() => trainTestClientSplit(evenOdd, 0)).toThrow(/please specify numTestClients > 0/);
  });

  it('treats a client whose batched dataset has no whole batch as empty (TFF: at least 1 batch)', () => {
    const batched = evenOdd.preprocess((ds) => ds.batch(2, { dropRemainder: true }));
    expect(() => trainTestClientSplit(batched, 1)).toThrow(/0 of 10 clients have data/);
  });
});
