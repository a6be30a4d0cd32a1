import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { formatPartitionSummary, summarizePartition } from './summarize-partition.js';

const labels = [0, 1, 1, 2, 2, 2];

describe('summarizePartition', () => {
  it('counts examples and labels per client', () => {
    const s = summarizePartition([[0, 1, 2], [3, 4, 5]], labels);
    expect(s.counts).toEqual([3, 3]);
    // client 0: labels 0, 1, 1 -> [1, 2, 0]; client 1: 2, 2, 2 -> [0, 0, 3]
    expect(s.histograms).toEqual([[1, 2, 0], [0, 0, 3]]);
    expect(s.numClasses).toBe(3);
    expect(s.numExamples).toBe(6);
  });

  it('prints totals and one line per client', () => {
    const text = formatPartitionSummary(summarizePartition([[0, 1, 2], [3, 4, 5], [0]], labels), 2);
    expect(text).toContain('3 clients, 7 examples; per client min 1 / median 3 / max 3');
    expect(text).toContain('[1 2 0]');
    expect(text).toContain('... 1 more clients');
  });

  it('throws for an index without a label', () => {
    expect(() => summarizePartition([[6]], labels)).toThrow(ValueError);
  });
});
