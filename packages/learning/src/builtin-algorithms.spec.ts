import { describe, expect, it } from 'vitest';

import { createFedkitContainer, pluginNames, resolvePlugin, ValueError } from '@fedkit/core';

import { ALGORITHM_PLUGIN, type AlgorithmPlugin } from './algorithm-plugin.js';
import { unweightedMeanFactory } from './mean-aggregator.js';
import { registerLearning } from './register-learning.js';
import { LinearModel, datasetOf } from './testing/linear-model.js';

const c = registerLearning(createFedkitContainer());
const algorithm = (name: string): AlgorithmPlugin => resolvePlugin<AlgorithmPlugin>(c, ALGORITHM_PLUGIN, name, 'algorithm');
const common = { modelFn: () => new LinearModel([0], 0), clientOptimizer: { name: 'sgd' as const, learningRate: 0.1 }, totalClients: 10 };

describe('the registered algorithms', () => {
  it('are resolvable by name', () => {
    expect(pluginNames(c, ALGORITHM_PLUGIN)).toEqual(['fedadagrad', 'fedadam', 'fedavg', 'fedavg-unweighted', 'fedavgm', 'fednova', 'fedprox', 'fedsgd', 'fedyogi', 'qfedavg', 'scaffold']);
  });

  it('each runs a round with its defaults', async () => {
    for (const name of pluginNames(c, ALGORITHM_PLUGIN)) {
      const process = algorithm(name).build(common);
      const out = await process.next(process.initialize(), [datasetOf([{ x: [[1]], y: [[1]] }])], { clientIds: [0] });
      expect(out.metrics.failures).toBe(0);
    }
  });

  it('fedavg with an unweighted aggregator runs as unweighted FedAvg (TFF build_unweighted_fed_avg)', async () => {
    // Client A: 2 examples x = 1, y = 1 → update −0.2; client B: 1 example x = 1, y = 4 → update −0.8 (SGD 0.1 from 0).
    // Unweighted: mean −0.5 → w = 0.5 (weighted would give (2·−0.2 − 0.8)/3 = −0.4 → 0.4).
    const process = algorithm('fedavg').build({ ...common, modelAggregator: unweightedMeanFactory() });
    const out = await process.next(process.initialize(), [datasetOf([{ x: [[1], [1]], y: [[1], [1]] }]), datasetOf([{ x: [[1]], y: [[4]] }])]);
    expect(out.state.globalModelWeights.trainable[0]![0]).toBeCloseTo(0.5, 6);
  });

  it('fedprox takes proximalStrength and refuses a negative one; fednova refuses a model aggregator', () => {
    expect(() => algorithm('fedprox').build({ ...common, proximalStrength: -1 })).toThrow(ValueError);
    expect(() => algorithm('fednova').build({ ...common, modelAggregator: unweightedMeanFactory() })).toThrow(ValueError);
  });

  it('fedsgd ignores the client optimizer and says so', () => {
    expect(algorithm('fedsgd').ignores).toContain('clientOptimizer');
  });
});
