import { describe, expect, it } from 'vitest';

import { StructSpec, TensorSpec, ValueError, type StreamingAggregator } from '@fedkit/core';

import { buildWeightedFedAvg } from './fed-avg.js';
import { buildQFedAvg, qFedAvgAggregator } from './q-fed-avg.js';
import { LinearModel, datasetOf } from './testing/linear-model.js';

const spec = new StructSpec([new TensorSpec([1])]);

describe('qFedAvgAggregator', () => {
  it('weighs updates by Fᵏ^q and divides by Σh (Li et al. 2020, Algorithm 2), computed by hand', async () => {
    // q = 1, client lr 0.5 → L = 2.
    // client 1: u = [1], F = 2:   Δ = 2 · 2 · 1 = 4,  h = 1 · 2⁰ · 2² · 1² + 2 · 2 = 8
    // client 2: u = [2], F = 0.5: Δ = 0.5 · 2 · 2 = 2, h = 1 · 0.5⁰ · 2² · 2² + 2 · 0.5 = 17
    // result = (4 + 2) / (8 + 17) = 0.24 (the 1e-10 Flower adds to F moves it below 1e-9).
    const agg = qFedAvgAggregator({ q: 1 }, 0.5).create(spec) as StreamingAggregator<Record<string, never>>;
    const acc = agg.accumulate(agg.initialize());
    acc.add([Float32Array.of(1)], 3, { initial_loss: 2 });
    acc.add([Float32Array.of(2)], 1, { initial_loss: 0.5 });
    acc.add([Float32Array.of(100)], 0, { initial_loss: 9 }); // weight 0: an empty or non-finite client, left out
    const out = await acc.finish();
    expect(out.result[0]![0]).toBeCloseTo(0.24, 6);
    expect(out.measurements['h_sum']).toBeCloseTo(25, 6);
  });

  it('with q = 0 is the unweighted mean of the updates', async () => {
    // Δ = L·u, h = L: Σ L·u / (n·L) = mean(u) = (1 + 3) / 2.
    const agg = qFedAvgAggregator({ q: 0 }, 0.1).create(spec) as StreamingAggregator<Record<string, never>>;
    const acc = agg.accumulate(agg.initialize());
    acc.add([Float32Array.of(1)], 5, { initial_loss: 4 });
    acc.add([Float32Array.of(3)], 1, { initial_loss: 0.1 });
    expect((await acc.finish()).result[0]![0]).toBeCloseTo(2, 5);
  });

  it('refuses q < 0 and a client without initial_loss', () => {
    expect(() => qFedAvgAggregator({ q: -1 }, 0.1)).toThrow(ValueError);
    const agg = qFedAvgAggregator({}, 0.1).create(spec) as StreamingAggregator<Record<string, never>>;
    expect(() => agg.accumulate(agg.initialize()).add([Float32Array.of(1)], 1, { local_steps: 1 })).toThrow(/needs each client's initial_loss/);
  });
});

describe('buildQFedAvg', () => {
  it('with q = 0 and one client equals FedAvg', async () => {
    const data = () => [datasetOf([{ x: [[1], [1]], y: [[1], [1]] }])];
    const q = buildQFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizer: { name: 'sgd', learningRate: 0.1 }, q: 0 });
    const avg = buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizer: { name: 'sgd', learningRate: 0.1 } });
    const a = await q.next(q.initialize(), data());
    const b = await avg.next(avg.initialize(), data());
    expect(a.state.globalModelWeights.trainable[0]![0]).toBeCloseTo(b.state.globalModelWeights.trainable[0]![0]!, 6);
  });

  it('measures each client loss at the broadcast weights before training, and moves further for the worse-off client with q = 1', async () => {
    // From w = b = 0, SGD 0.1. Client A: x = 1, y = 1: F = 1, grad −2 → u = [−0.2, −0.2]. Client B: x = 1, y = 3: F = 9, grad −6 → u = [−0.6, −0.6].
    // q = 1, L = 10: Δ_A = 1·10·u_A = [−2, −2], h_A = 1·1⁰·100·0.08 + 10·1 = 18;  Δ_B = 9·10·u_B = [−54, −54], h_B = 100·0.72 + 90 = 162.
    // w = 0 − (−56 / 180) = 0.3111 (the unweighted mean of the updates would give 0.4).
    const process = buildQFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizer: { name: 'sgd', learningRate: 0.1 }, q: 1 });
    const out = await process.next(process.initialize(), [datasetOf([{ x: [[1]], y: [[1]] }]), datasetOf([{ x: [[1]], y: [[3]] }])]);
    expect(out.state.globalModelWeights.trainable[0]![0]).toBeCloseTo(56 / 180, 5);
    expect(out.state.globalModelWeights.trainable[1]![0]).toBeCloseTo(56 / 180, 5);
    // The reported training metrics are the training pass's alone: loss (1 + 9) / 2 over 2 examples, 2 batches.
    expect(out.metrics.client_work.train).toMatchObject({ loss: 5, num_examples: 2, num_batches: 2 });
  });

  it('refuses a function client optimizer (its learning rate sets L)', () => {
    expect(() => buildQFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizer: () => ({}) as never })).toThrow(TypeError);
  });
});
