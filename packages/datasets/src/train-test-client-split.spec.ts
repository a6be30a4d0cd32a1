import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

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
