import { describe, expect, it } from 'vitest';

import { fedAdagrad, fedAdam, fedAvgM, fedYogi, sgd, type ServerOptimizer } from './server-optimizer.js';

// Two parameters w = [1, 2]; pseudo-gradients g1 = [0.5, -1] then g2 = [1, 1].
function twoSteps(opt: ServerOptimizer): Float32Array {
  let state = opt.initialize([2]);
  let weights: Float32Array[] = [Float32Array.of(1, 2)];
  for (const g of [Float32Array.of(0.5, -1), Float32Array.of(1, 1)]) {
    const out = opt.step(state, weights, [g]);
    state = out.state;
    weights = out.weights;
  }
  expect(state.step).toBe(2);
  return weights[0]!;
}

describe('server optimizers', () => {
  it('sgd(1.0) subtracts the update', () => {
    const opt = sgd(1.0);
    const { weights } = opt.step(opt.initialize([2]), [Float32Array.of(1, 2)], [Float32Array.of(0.5, -1)]);
    expect(Array.from(weights[0]!)).toEqual([0.5, 3]);
  });

  it('fedAvgM: v ← 0.9v + g, w ← w − v', () => {
    const w = twoSteps(fedAvgM({ momentum: 0.9 }));
    // v1 = [0.5,-1], w1 = [0.5, 3]; v2 = 0.9·v1 + [1,1] = [1.45, 0.1]; w2 = [0.5-1.45, 3-0.1]
    expect(w[0]).toBeCloseTo(-0.95, 5);
    expect(w[1]).toBeCloseTo(2.9, 5);
  });

  it('fedAdam matches m ← β1m+(1−β1)g, v ← β2v+(1−β2)g², w ← w − η·m/(√v+τ) with Flower defaults', () => {
    const opt = fedAdam();
    expect(opt.hyperparameters).toEqual({ eta: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-9 });
    const w = twoSteps(opt);
    // step 1: m = [0.05, -0.1], v = [0.0025, 0.01], √v = [0.05, 0.1] → w1 = [1 - 0.1, 2 + 0.1] = [0.9, 2.1]
    // step 2: m = 0.9·m + 0.1·1 = [0.145, 0.01], v = 0.99·v + 0.01 = [0.012475, 0.0199]
    expect(w[0]).toBeCloseTo(0.9 - (0.1 * 0.145) / Math.sqrt(0.012475), 5); // 0.770178
    expect(w[1]).toBeCloseTo(2.1 - (0.1 * 0.01) / Math.sqrt(0.0199), 5); // 2.092911
  });

  it('fedYogi matches v ← v − (1−β2)g²·sign(v − g²) with Flower defaults (η 0.01, τ 1e-3)', () => {
    const opt = fedYogi();
    expect(opt.hyperparameters).toEqual({ eta: 0.01, beta1: 0.9, beta2: 0.99, tau: 1e-3 });
    const w = twoSteps(opt);
    // step 1: v0 = 0, g² = [0.25, 1], sign(0 − g²) = −1 → v1 = [0.0025, 0.01]; m1 = [0.05, -0.1]
    const w1 = [1 - (0.01 * 0.05) / (0.05 + 1e-3), 2 + (0.01 * 0.1) / (0.1 + 1e-3)];
    // step 2: g² = 1 > v1 → v2 = v1 + 0.01 = [0.0125, 0.02]; m2 = [0.145, 0.01]
    expect(w[0]).toBeCloseTo(w1[0]! - (0.01 * 0.145) / (Math.sqrt(0.0125) + 1e-3), 5);
    expect(w[1]).toBeCloseTo(w1[1]! - (0.01 * 0.01) / (Math.sqrt(0.02) + 1e-3), 5);
  });

  it('fedAdagrad matches v ← v + g², w ← w − η·g/(√v+τ) with Flower defaults', () => {
    const opt = fedAdagrad();
    expect(opt.hyperparameters).toEqual({ eta: 0.1, beta1: 0, beta2: 0, tau: 1e-9 });
    const w = twoSteps(opt);
    // step 1: v = [0.25, 1] → w1 = [1 - 0.1·0.5/0.5, 2 + 0.1·1/1] = [0.9, 2.1]
    // step 2: v = [1.25, 2] → w2 = [0.9 - 0.1/√1.25, 2.1 - 0.1/√2]
    expect(w[0]).toBeCloseTo(0.9 - 0.1 / Math.sqrt(1.25), 5);
    expect(w[1]).toBeCloseTo(2.1 - 0.1 / Math.sqrt(2), 5);
  });

  it('leaves its inputs untouched', () => {
    const opt = fedAdam();
    const state = opt.initialize([2]);
    const weights = [Float32Array.of(1, 2)];
    opt.step(state, weights, [Float32Array.of(0.5, -1)]);
    expect(Array.from(weights[0]!)).toEqual([1, 2]);
    expect(Array.from(state.slots['m']![0]!)).toEqual([0, 0]);
  });

  it('throws when the state was made for other sizes', () => {
    const opt = fedAdam();
    expect(() => opt.step(opt.initialize([3]), [Float32Array.of(1, 2)], [Float32Array.of(0, 0)])).toThrow(RangeError);
  });

  it('throws on a non-positive learning rate', () => {
    expect(() => sgd(0)).toThrow(RangeError);
    expect(() => fedAdam({ eta: -1 })).toThrow(RangeError);
  });
});
