import { describe, expect, it } from 'vitest';

import { ValueError } from '@fedkit/core';

import { buildScaffold } from './scaffold.js';
import { LinearModel, datasetOf } from './testing/linear-model.js';

const first = (a: readonly Float32Array[]): number[] => a.map((x) => x[0]!);

describe('buildScaffold', () => {
  it('two rounds by hand: control variates, the corrected client step and the server update (Karimireddy et al. 2020, Alg. 1 option II)', async () => {
    // y = w·x + b from w = b = 0, MSE, client SGD η = 0.1, N = 2 clients.
    const process = buildScaffold({ modelFn: () => new LinearModel([0], 0), clientOptimizer: { name: 'sgd', learningRate: 0.1 }, totalClients: 2 });
    const a = () => datasetOf([{ x: [[1]], y: [[1]] }]);
    const b = () => datasetOf([{ x: [[1]], y: [[3]] }]);

    // Round 1, c = cᵢ = 0 (plain SGD). A: grad −2 → y = 0.2, Δc_A = u/(Kη) = −0.2/0.1 = −2. B: grad −6 → y = 0.6, Δc_B = −6.
    // Server: x = 0 + mean(0.2, 0.6) = 0.4; c = 0 + (−2 − 6)/N = −4.
    const one = await process.next(process.initialize(), [a(), b()], { clientIds: [0, 1] });
    expect(first(one.state.globalModelWeights.trainable)).toEqual([expect.closeTo(0.4, 6), expect.closeTo(0.4, 6)]);
    expect(first(one.state.clientWork.control)).toEqual([expect.closeTo(-4, 5), expect.closeTo(-4, 5)]);
    expect(first(one.state.clientWork.clientControls['0']!)).toEqual([expect.closeTo(-2, 5), expect.closeTo(-2, 5)]);
    expect(first(one.state.clientWork.clientControls['1']!)).toEqual([expect.closeTo(-6, 5), expect.closeTo(-6, 5)]);

    // Round 2, client A alone: at x = 0.4 its gradient is 2·(0.8 − 1) = −0.4; corrected −0.4 − c_A + c = −0.4 + 2 − 4 = −2.4
    // → y = 0.64, u = −0.24; Δc_A = −c + u/(Kη) = 4 − 2.4 = 1.6 → c_A = −0.4; c = −4 + 1.6/2 = −3.2; x = 0.64.
    // (FedAvg would have stepped by 0.04 only: y = 0.44.)
    const two = await process.next(one.state, [a()], { clientIds: [0] });
    expect(first(two.state.globalModelWeights.trainable)).toEqual([expect.closeTo(0.64, 5), expect.closeTo(0.64, 5)]);
    expect(first(two.state.clientWork.clientControls['0']!)).toEqual([expect.closeTo(-0.4, 5), expect.closeTo(-0.4, 5)]);
    expect(first(two.state.clientWork.control)).toEqual([expect.closeTo(-3.2, 5), expect.closeTo(-3.2, 5)]);
    expect(first(two.state.clientWork.clientControls['1']!)).toEqual([expect.closeTo(-6, 5), expect.closeTo(-6, 5)]);
    // The reported loss is the model's own, without the correction term: (0.8 − 1)² at the first step.
    expect(two.metrics.client_work.train['loss']).toBeCloseTo(0.04, 5);
  });

  it('refuses a round without client ids and a client optimizer other than SGD', async () => {
    const process = buildScaffold({ modelFn: () => new LinearModel([0], 0), clientOptimizer: { name: 'sgd', learningRate: 0.1 }, totalClients: 2 });
    await expect(process.next(process.initialize(), [datasetOf([{ x: [[1]], y: [[1]] }])])).rejects.toThrow(/needs clientIds/);
    expect(() => buildScaffold({ modelFn: () => new LinearModel([0], 0), clientOptimizer: { name: 'adam', learningRate: 0.1 }, totalClients: 2 })).toThrow(ValueError);
  });
});
