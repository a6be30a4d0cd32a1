import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { StructSpec, TensorSpec, ValueError, type StreamingAggregator } from '@fedkit/core';

import { buildWeightedFedAvg } from './fed-avg.js';
import { buildFedNova, fedNovaAggregator } from './fed-nova.js';
import { weightedMeanFactory } from './mean-aggregator.js';
import { LinearModel, datasetOf } from './testing/linear-model.js';

const spec = new StructSpec([new TensorSpec([2])]);

describe('fedNovaAggregator', () => {
  it('divides each update by its local steps and rescales by the weighted mean of steps (Wang et al. 2020, eq. 6)', async () => {
    const agg = fedNovaAggregator().create(spec) as StreamingAggregator<Record<string, never>>;
    const acc = agg.accumulate(agg.initialize());
    // client A: Δ = [6, 3], τ = 3, n = 1 → Δ/τ = [2, 1]
    // client B: Δ = [2, 4], τ = 1, n = 3 → Δ/τ = [2, 4]
    acc.add([Float32Array.of(6, 3)], 1, { local_steps: 3 });
    acc.add([Float32Array.of(2, 4)], 3, { local_steps: 1 });
    const out = await acc.finish();
    // p = [1/4, 3/4]; Σ p Δ/τ = [2, 1/4 + 3] = [2, 3.25]; τ_eff = 3/4 + 3/4 = 1.5 → [3, 4.875]
    expect(Array.from(out.result[0]!)).toEqual([3, 4.875]);
    expect(out.measurements).toEqual({ tau_eff: 1.5 });
    // FedAvg's weighted mean of the same updates would be [(6 + 6)/4, (3 + 12)/4] = [3, 3.75].
  });

  it('skips clients of weight 0 and refuses a weighted client without local_steps', async () => {
    const agg = fedNovaAggregator().create(spec) as StreamingAggregator<Record<string, never>>;
    const acc = agg.accumulate(agg.initialize());
    acc.add([Float32Array.of(NaN, NaN)], 0, {});
    acc.add([Float32Array.of(4, 2)], 2, { local_steps: 2 });
    expect(Array.from((await acc.finish()).result[0]!)).toEqual([4, 2]); // one client: τ_eff·Δ/τ = Δ
    expect(() => agg.accumulate(agg.initialize()).add([Float32Array.of(1, 1)], 1, {})).toThrow(ValueError);
  });
});

describe('buildFedNova', () => {
  it('equals FedAvg when every client takes the same number of steps', async () => {
    const data = () => [datasetOf([{ x: [[1], [1]], y: [[1], [1]] }]), datasetOf([{ x: [[1]], y: [[4]] }])];
    const nova = buildFedNova({ modelFn: () => new LinearModel([0], 0), clientOptimizer: { name: 'sgd', learningRate: 0.1 } });
    const avg = buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizer: { name: 'sgd', learningRate: 0.1 } });
    const a = await nova.next(nova.initialize(), data());
    const b = await avg.next(avg.initialize(), data());
    expect(Array.from(a.state.globalModelWeights.trainable[0]!)).toEqual(Array.from(b.state.globalModelWeights.trainable[0]!));
    expect(a.metrics.aggregator).toEqual({ tau_eff: 1 });
  });

  it('normalizes a client that took two steps: one round by hand', async () => {
    // y = w·x + b from w = b = 0, SGD lr 0.1, MSE mean over the batch.
    // Client A: one batch x = 1, y = 1: grad dw = db = 2·(0 − 1) = −2 → w = b = 0.2; Δ_A = [−0.2], [−0.2]; τ = 1, n = 1.
    // Client B: two batches x = 1, y = 2: step 1 grad −4 → w = b = 0.4; step 2 pred 0.8, grad 2·(0.8 − 2) = −2.4 → w = b = 0.64;
    //   Δ_B = [−0.64], [−0.64]; τ = 2, n = 2.
    // FedNova: p = [1/3, 2/3]; Σ p Δ/τ = (1/3)(−0.2) + (2/3)(−0.32) = −0.28; τ_eff = 1/3 + 4/3 = 5/3 → Δ = −0.4666…
    // Server SGD(1): w = 0 − (−0.46667) = 0.46667 (FedAvg would give (−0.2 − 1.28)/3 → 0.49333).
    const nova = buildFedNova({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1) });
    const out = await nova.next(nova.initialize(), [
      datasetOf([{ x: [[1]], y: [[1]] }]),
      datasetOf([{ x: [[1]], y: [[2]] }, { x: [[1]], y: [[2]] }]),
    ]);
    expect(out.state.globalModelWeights.trainable[0]![0]).toBeCloseTo(0.46667, 5);
    expect(out.state.globalModelWeights.trainable[1]![0]).toBeCloseTo(0.46667, 5);
    expect(out.metrics.aggregator['tau_eff']).toBeCloseTo(5 / 3, 6);
  });

  it('refuses a model aggregator: the normalized average is its aggregator', () => {
    expect(() =>
      buildFedNova({ modelFn: () => new LinearModel([0], 0), clientOptimizer: { name: 'sgd', learningRate: 0.1 }, modelAggregator: weightedMeanFactory() } as never),
    ).toThrow(ValueError);
  });
});
