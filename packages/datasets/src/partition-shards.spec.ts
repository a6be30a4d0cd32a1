import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { partitionShards } from './partition-shards.js';
import { coversEachIndexOnce } from './testing/partition-checks.js';

// 40 examples, labels 0..7 interleaved (label = i % 8), 5 of each. 4 clients x 2 shards = 8 shards
// of 40 / 8 = 5 sorted examples, so every shard is exactly one label.
const labels = Int32Array.from({ length: 40 }, (_, i) => i % 8);

function runs(values: readonly number[]): number[][] {
  const out: number[][] = [];
  for (const v of values) {
    const last = out[out.length - 1];
    if (last !== undefined && last[0] === v) last.push(v);
    else out.push([v]);
  }
  return out;
}

describe('partitionShards', () => {
  it('covers every index once', () => {
    expect(coversEachIndexOnce(partitionShards(labels, 4, 2, { seed: 3 }), 40)).toBe(true);
  });

  it('gives each client exactly shardsPerClient label runs of one shard each', () => {
    const p = partitionShards(labels, 4, 2, { seed: 3 });
    const allLabels = new Set<number>();
    for (const client of p) {
      const r = runs(client.map((i) => labels[i]!));
      expect(r).toHaveLength(2);
      expect(r.map((run) => run.length)).toEqual([5, 5]);
      for (const run of r) allLabels.add(run[0]!);
    }
    // 8 shards, 8 labels: each label goes to one client only
    expect(allLabels.size).toBe(8);
  });

  it('works with 3 shards per client', () => {
    // 48 examples, 12 labels x 4; 4 clients x 3 shards = 12 shards of 4 -> 3 runs each
    const l = Int32Array.from({ length: 48 }, (_, i) => i % 12);
    for (const client of partitionShards(l, 4, 3, { seed: 0 })) expect(runs(client.map((i) => l[i]!))).toHaveLength(3);
  });

  it('same seed -> same partition, different seed -> different', () => {
    expect(partitionShards(labels, 4, 2, { seed: 3 })).toEqual(partitionShards(labels, 4, 2, { seed: 3 }));
    expect(partitionShards(labels, 4, 2, { seed: 3 })).not.toEqual(partitionShards(labels, 4, 2, { seed: 4 }));
  });

  it('throws when there are more shards than examples', () => {
    // 4 clients x 11 shards = 44 > 40
    expect(() => partitionShards(labels, 4, 11)).toThrow(ValueError);
  });
});
