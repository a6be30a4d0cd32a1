import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { partitionQuantity } from './partition-quantity.js';
import { coversEachIndexOnce } from './testing/partition-checks.js';

describe('partitionQuantity', () => {
  it('covers every index once', () => {
    expect(coversEachIndexOnce(partitionQuantity(1000, 10, 0.5, { seed: 1 }), 1000)).toBe(true);
  });

  it('with a large alpha gives near-equal sizes, with a small alpha skewed sizes', () => {
    // Dir(1000) over 10 clients: shares 0.1 +- 0.003, i.e. 100 +- 3 examples each.
    const even = partitionQuantity(1000, 10, 1000, { seed: 1 }).map((c) => c.length);
    for (const s of even) expect(Math.abs(s - 100)).toBeLessThan(20);
    // Dir(0.1) over 10 clients: the largest share is typically above 0.5; 0.25 is a loose bound.
    const skewed = partitionQuantity(1000, 10, 0.1, { seed: 1 }).map((c) => c.length);
    expect(Math.max(...skewed)).toBeGreaterThan(250);
  });

  it('same seed -> same partition, different seed -> different', () => {
    expect(partitionQuantity(100, 5, 1, { seed: 1 })).toEqual(partitionQuantity(100, 5, 1, { seed: 1 }));
    expect(partitionQuantity(100, 5, 1, { seed: 1 })).not.toEqual(partitionQuantity(100, 5, 1, { seed: 2 }));
  });

  it('throws for a bad n or alpha', () => {
    expect(() => partitionQuantity(-1, 5, 1)).toThrow(ValueError);
    expect(() => partitionQuantity(10, 5, -1)).toThrow(ValueError);
  });
});
