import seedrandom from 'seedrandom';
import { StructSpec, TensorSpec } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { quantize, quantizeArray } from './quantize.js';
import { testMean } from './testing/mean-factory.js';

describe('quantize', () => {
  it('is unbiased: the mean of many stochastic quantizations equals the input within 1%', () => {
    const input = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i) * 3 + 0.5);
    const random = seedrandom('unbiased');
    const acc = new Float64Array(input.length);
    const trials = 2000;
    for (let t = 0; t < trials; t++) quantizeArray(input, 2, true, random).forEach((v, i) => (acc[i]! += v));
    const range = 6; // max - min of the input is about 6
    input.forEach((x, i) => expect(Math.abs(acc[i]! / trials - x)).toBeLessThan(0.01 * range));
  });

  it('reports bytes before and after (8 bits: one byte per value plus min/max)', async () => {
    const agg = quantize(testMean(), { bits: 8, minSize: 1000 }).create(new StructSpec([new TensorSpec([1000]), new TensorSpec([10])]));
    const value = [new Float32Array(1000).map((_, i) => i / 1000), new Float32Array(10)];
    const { measurements } = await agg.next(agg.initialize(), [value, value], [1, 1]);
    // before: 2 clients × (1000 + 10) × 4 = 8080; after: 2 × ((1000 + 8) + 10 × 4) = 2096
    expect(measurements['bytes_before']).toBe(8080);
    expect(measurements['bytes_after']).toBe(2096);
  });
});
