import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { partitionIid } from './partition-iid.js';
import { coversEachIndexOnce } from './testing/partition-checks.js';

const labels = Int32Array.from({ length: 10 }, (_, i) => i % 3);

describe('partitionIid', () => {
  it('deals every index exactly once into sizes that differ by at most one', () => {
    const p = partitionIid(labels, 3, { seed: 1 });
    expect(coversEachIndexOnce(p, 10)).toBe(true);
    // 10 = 4 + 3 + 3
    expect(p.map((c) => c.length)).toEqual([4, 3, 3]);
  });

  it('gives the same partition for the same seed and another for another seed', () => {
    expect(partitionIid(labels, 3, { seed: 1 })).toEqual(partitionIid(labels, 3, { seed: 1 }));
    expect(partitionIid(labels, 3, { seed: 1 })).not.toEqual(partitionIid(labels, 3, { seed: 2 }));
  });

  it('throws for more clients than examples', () => {
    expect(() => partitionIid(labels, 11)).toThrow(ValueError);
    expect(() => partitionIid(labels, 0)).toThrow(ValueError);
  });
});
