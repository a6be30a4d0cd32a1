import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { buildAggregator } from './aggregators.js';

const ctx = { clients: 100, clientsPerRound: 10, seed: 0 };

describe('buildAggregator', () => {
  it("leaves 'mean' to the algorithm's own weighted mean", () => {
    expect(buildAggregator('mean', ctx)).toBeUndefined();
  });

  it('makes robust, DP and secure aggregators unweighted and wrappers of the mean weighted', () => {
    for (const name of ['median', 'trimmed-mean:0.1', 'krum:2', 'dp:1.0:0.5', 'secure:1']) expect(buildAggregator(name, ctx)?.weighted).toBe(false);
    for (const name of ['clip:1', 'zeroing:10', 'quantize:8']) expect(buildAggregator(name, ctx)?.weighted).toBe(true);
  });

  it('throws a ValueError listing the valid forms for an unknown name', () => {
    expect(() => buildAggregator('avg', ctx)).toThrow(ValueError);
    expect(() => buildAggregator('avg', ctx)).toThrow(/Valid forms: mean, median/);
  });

  it('throws when a required parameter is missing or not a number', () => {
    expect(() => buildAggregator('clip', ctx)).toThrow(/parameter 1 is missing/);
    expect(() => buildAggregator('dp:x:1', ctx)).toThrow(/"x" is not a number/);
  });
});

describe('buildAggregator with every algorithm', () => {
  it('builds a process for each algorithm with an unweighted robust aggregator', async () => {
    const tf = await import('@tensorflow/tfjs');
    const { fromKerasModel } = await import('@fedkit/keras-adapter');
    const { TensorSpec } = await import('@fedkit/core');
    const { ALGORITHMS, buildAlgorithm } = await import('./algorithms.js');
    const modelFn = () =>
      fromKerasModel(tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] }), {
        loss: 'mse',
        inputSpec: { x: new TensorSpec([null, 2]), y: new TensorSpec([null, 1]) },
      });
    for (const name of ALGORITHMS) {
      const process = buildAlgorithm(name, { modelFn, clientOptimizerFn: () => tf.train.sgd(0.1), modelAggregator: buildAggregator('median', ctx)! });
      expect(process.initialize().round).toBe(0);
    }
  });
});
