import { StructSpec, TensorSpec } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { asWeightedAggregator } from './as-weighted-aggregator.js';
import { unweightedMeanFactory, weightedMeanFactory } from './mean-aggregator.js';

const spec = new StructSpec([new TensorSpec([1])]);

describe('asWeightedAggregator', () => {
  it('ignores the weights but leaves out clients of weight 0', async () => {
    const agg = asWeightedAggregator(unweightedMeanFactory()).create(spec);
    expect(agg.weighted).toBe(true);
    // values 1, 3, 100 with weights 5, 1, 0: the unweighted mean of 1 and 3 is 2
    const { result } = await agg.next(agg.initialize(), [[Float32Array.of(1)], [Float32Array.of(3)], [Float32Array.of(100)]], [5, 1, 0]);
    expect(Array.from(result[0]!)).toEqual([2]);
  });

  it('returns a weighted factory unchanged', () => {
    const weighted = weightedMeanFactory();
    expect(asWeightedAggregator(weighted)).toBe(weighted);
  });
});
