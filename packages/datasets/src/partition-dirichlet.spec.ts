import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { partitionDirichlet } from './partition-dirichlet.js';
import { coversEachIndexOnce, histogram, topTwoShare } from './testing/partition-checks.js';

// 10 classes x 500 examples = 5,000, shared among 50 clients (100 each on average).
const labels = Int32Array.from({ length: 5000 }, (_, i) => i % 10);

describe('partitionDirichlet', () => {
  it('covers every index once', () => {
    expect(coversEachIndexOnce(partitionDirichlet(labels, 50, 0.5, { seed: 1 }), 5000)).toBe(true);
  });

  it('with alpha = 100 is close to IID: every client holds every label, none above 20%', () => {
    // A client's share of a class is Beta(100, 4900): mean 0.02 (10 of 500), sd 0.002 (1 example),
    // so each label is about 10% of a client's ~100 examples; 20% would be 10 sd away.
    const p = partitionDirichlet(labels, 50, 100, { seed: 1 });
    for (const client of p) {
      const h = histogram(client, labels, 10);
      expect(Math.min(...h)).toBeGreaterThan(0);
      expect(Math.max(...h) / client.length).toBeLessThan(0.2);
    }
  });

  it('with alpha = 0.05 concentrates each client on one or two labels', () => {
    // Dir(0.05) over 50 clients gives nearly all of a class to one or two clients, so a client's
    // two largest labels hold almost all its examples. Counted over all examples (so that clients
    // holding a single stray example do not dominate): IID gives 2/10 = 20%, expect at least 85%.
    const inTopTwo = (alpha: number) =>
      partitionDirichlet(labels, 50, alpha, { seed: 1 })
        .filter((c) => c.length > 0)
        .reduce((sum, c) => sum + topTwoShare(histogram(c, labels, 10)) * c.length, 0) / 5000;
    expect(inTopTwo(0.05)).toBeGreaterThan(0.85);
    expect(inTopTwo(100)).toBeLessThan(0.3);
  });

  it('shuffles each client so that its labels are not grouped', () => {
    const p = partitionDirichlet(labels, 5, 100, { seed: 1 });
    const first = p[0]!.slice(0, 20).map((i) => labels[i]!);
    expect(new Set(first).size).toBeGreaterThan(1);
  });

  it('same seed -> same partition, different seed -> different', () => {
    expect(partitionDirichlet(labels, 50, 0.5, { seed: 1 })).toEqual(partitionDirichlet(labels, 50, 0.5, { seed: 1 }));
    expect(partitionDirichlet(labels, 50, 0.5, { seed: 1 })).not.toEqual(partitionDirichlet(labels, 50, 0.5, { seed: 2 }));
  });

  it('redraws until minPartitionSize holds, and throws when it cannot', () => {
    const p = partitionDirichlet(labels, 10, 1, { seed: 1, minPartitionSize: 50 });
    expect(Math.min(...p.map((c) => c.length))).toBeGreaterThanOrEqual(50);
    // 50 clients x 1,000 > 5,000 examples: impossible
    expect(() => partitionDirichlet(labels, 50, 1, { seed: 1, minPartitionSize: 1000, maxTries: 3 })).toThrow(/after 3 draws/);
  });

  it('throws for alpha <= 0', () => {
    expect(() => partitionDirichlet(labels, 5, 0)).toThrow(ValueError);
  });
});
