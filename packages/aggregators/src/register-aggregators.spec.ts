import { describe, expect, it } from 'vitest';

import { createFedkitContainer, pluginNames, resolveAggregator, AGGREGATOR_PLUGIN, type AggregatorFactory } from '@fedkit/core';

import { registerAggregators } from './register-aggregators.js';

// A stand-in for the algorithm's mean, so that the wrappers can be told apart from it.
const mean = (): AggregatorFactory => ({ weighted: true, create: () => { throw new Error('not used'); } });
const ctx = { clients: 100, clientsPerRound: 10, seed: 0 };

describe('registerAggregators', () => {
  const c = registerAggregators(createFedkitContainer(), { mean });

  it('registers every aggregator of the package by name', () => {
    expect(pluginNames(c, AGGREGATOR_PLUGIN)).toEqual(['bulyan', 'clip', 'dp', 'dp-client', 'krum', 'median', 'quantize', 'secure', 'trimmed-mean', 'zeroing']);
  });

  it('makes robust, DP and secure aggregators unweighted and wrappers of the mean weighted', () => {
    for (const spec of ['median', 'trimmed-mean:0.1', 'krum:2', 'bulyan:1', 'dp:1.0:0.5', 'dp-client:1:0.5', 'secure:1']) expect(resolveAggregator(c, spec, ctx).weighted).toBe(false);
    for (const spec of ['clip:1', 'zeroing:10', 'quantize:8']) expect(resolveAggregator(c, spec, ctx).weighted).toBe(true);
  });

  it('says which parameter is missing and what the form is', () => {
    expect(() => resolveAggregator(c, 'clip', ctx)).toThrow('--aggregator clip: parameter 1 is missing; the form is clip:<norm>.');
    expect(() => resolveAggregator(c, 'dp:1', ctx)).toThrow(/parameter 2 is missing; the form is dp:<noiseMultiplier>:<clipNorm>/);
  });
});
