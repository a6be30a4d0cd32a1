import * as tf from '@tensorflow/tfjs';
import { StructSpec } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { buildWeightedFedAvg } from './fed-avg.js';
import { fedAdagrad, fedAdam, fedAvgM, fedYogi, type ServerOptimizer } from './server-optimizer.js';
import { LinearModel, datasetOf } from './testing/linear-model.js';

// A 2-parameter model y = k·x + b at k = b = 0; one client with x = [[2]], y = [[2]], client SGD 0.1.
// err = -2, dL/dpred = -4; dk = -4·2 = -8, db = -4 → trained k = 0.8, b = 0.4
// pseudo-gradient g = initial − trained = [-0.8, -0.4]
async function oneRound(serverOptimizerFn: () => ServerOptimizer) {
  const process = buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1), serverOptimizerFn });
  const out = await process.next(process.initialize(), [datasetOf([{ x: [[2]], y: [[2]] }])]);
  const w = out.state.globalModelWeights.trainable;
  return { k: w[0]![0]!, b: w[1]![0]!, state: out.state.finalizer };
}

describe('FedOpt server optimizers in a round', () => {
  it('FedAdam (reddi): m = 0.1·g, v = 0.01·g², w = −0.1·m/(√v + 1e-9)', async () => {
    const { k, b, state } = await oneRound(() => fedAdam({ eta: 0.1, variant: 'reddi' }));
    // k: m = -0.08, v = 0.0064, √v = 0.08 → w = 0.1·0.08/0.08 = 0.1; b: m = -0.04, √v = 0.04 → 0.1
    expect(k).toBeCloseTo(0.1, 5);
    expect(b).toBeCloseTo(0.1, 5);
    expect(state.step).toBe(1);
    expect(state.slots['m']![0]![0]).toBeCloseTo(-0.08, 6);
    expect(state.slots['v']![1]![0]).toBeCloseTo(0.0016, 7);
  });

  it('FedYogi (reddi): v = 0 − 0.01·g²·sign(0 − g²) = 0.01·g², w = −0.01·m/(√v + 1e-3)', async () => {
    const { k, b } = await oneRound(() => fedYogi({ variant: 'reddi' }));
    expect(k).toBeCloseTo((0.01 * 0.08) / (0.08 + 1e-3), 6); // 0.0098765
    expect(b).toBeCloseTo((0.01 * 0.04) / (0.04 + 1e-3), 6); // 0.0097561
  });

  it('FedAdagrad (reddi): v = g², w = −0.1·g/(|g| + 1e-9)', async () => {
    const { k, b } = await oneRound(() => fedAdagrad({ eta: 0.1, variant: 'reddi' }));
    expect(k).toBeCloseTo(0.1, 5);
    expect(b).toBeCloseTo(0.1, 5);
  });

  it('FedAvgM: first round equals FedAvg (v = g), momentum kept in the state', async () => {
    const { k, b, state } = await oneRound(() => fedAvgM({ momentum: 0.9 }));
    expect(k).toBeCloseTo(0.8, 5);
    expect(b).toBeCloseTo(0.4, 5);
    expect(state.slots['momentum']![0]![0]).toBeCloseTo(-0.8, 5);
  });

  it('keeps old weights and state and reports update_non_finite 1 when the aggregate is not finite', async () => {
    // a custom aggregator that returns NaN reaches the finalizer
    const process = buildWeightedFedAvg({
      modelFn: () => new LinearModel([0], 0),
      clientOptimizerFn: () => tf.train.sgd(0.1),
      serverOptimizerFn: () => fedAdam(),
      modelAggregator: {
        weighted: true,
        create: (valueSpec) => ({
          weighted: true,
          valueSpec,
          stateSpec: valueSpec,
          measurementsSpec: new StructSpec([]),
          initialize: () => ({}),
          next: async (state) => ({ state, result: [Float32Array.of(NaN), Float32Array.of(0)], measurements: {} }),
        }),
      },
    });
    const s0 = process.initialize();
    const out = await process.next(s0, [datasetOf([{ x: [[2]], y: [[2]] }])]);
    expect(out.metrics.finalizer).toEqual({ update_non_finite: 1 });
    expect(out.state.globalModelWeights.trainable.map((w) => Array.from(w))).toEqual([[0], [0]]);
    expect(out.state.finalizer.step).toBe(0);
  });
});
