import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { buildWeightedFedAvg } from './fed-avg.js';
import { buildWeightedFedProx } from './fed-prox.js';
import { LinearModel, datasetOf } from './testing/linear-model.js';

// Three local steps on the same batch, so the proximal term (zero at the first step) acts on the later ones.
const batch = { x: [[1, 2], [3, 4]], y: [[5], [6]] };
const clients = () => [datasetOf([batch, batch, batch]), datasetOf([{ x: [[1, 0]], y: [[2]] }])];

function norm(arrays: Float32Array[]): number {
  return Math.sqrt(arrays.reduce((s, a) => s + a.reduce((t, v) => t + v * v, 0), 0));
}

describe('buildWeightedFedProx', () => {
  it('with μ = 0 equals FedAvg exactly', async () => {
    const avg = buildWeightedFedAvg({ modelFn: () => new LinearModel(), clientOptimizerFn: () => tf.train.sgd(0.01) });
    const prox = buildWeightedFedProx({ modelFn: () => new LinearModel(), clientOptimizerFn: () => tf.train.sgd(0.01), proximalStrength: 0 });
    const a = await avg.next(avg.initialize(), clients());
    const p = await prox.next(prox.initialize(), clients());
    expect(p.state.globalModelWeights.trainable.map((w) => Array.from(w))).toEqual(a.state.globalModelWeights.trainable.map((w) => Array.from(w)));
    expect(p.metrics).toEqual(a.metrics);
  });

  it('with μ > 0 makes a smaller update than FedAvg', async () => {
    const avg = buildWeightedFedAvg({ modelFn: () => new LinearModel(), clientOptimizerFn: () => tf.train.sgd(0.01) });
    const prox = buildWeightedFedProx({ modelFn: () => new LinearModel(), clientOptimizerFn: () => tf.train.sgd(0.01), proximalStrength: 10 });
    // start at 0, so the update norm is the norm of the new global weights
    const a = norm((await avg.next(avg.initialize(), clients())).state.globalModelWeights.trainable);
    const p = norm((await prox.next(prox.initialize(), clients())).state.globalModelWeights.trainable);
    expect(p).toBeLessThan(a);
    expect(p).toBeGreaterThan(0);
  });

  // TFF's build_weighted_fed_prox raises ValueError('proximal_strength must be a nonnegative float ...') (fed_prox.py).
  it('throws ValueError on a negative proximalStrength, as TFF does', () => {
    expect(() => buildWeightedFedProx({ modelFn: () => new LinearModel(), clientOptimizerFn: () => tf.train.sgd(0.01), proximalStrength: -1 })).toThrow(
      ValueError,
    );
  });
});
