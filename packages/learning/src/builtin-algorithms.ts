import type { AlgorithmBuildOptions, AlgorithmPlugin } from './algorithm-plugin.js';
import { buildUnweightedFedAvg, buildWeightedFedAvg } from './fed-avg.js';
import { fedNovaPlugin } from './fed-nova.js';
import { buildWeightedFedProx } from './fed-prox.js';
import { buildFedSgd } from './fed-sgd.js';
import { qFedAvgPlugin } from './q-fed-avg.js';
import { scaffoldPlugin } from './scaffold.js';
import { fedAdagrad, fedAdam, fedAvgM, fedYogi, sgd, type ServerOptimizer } from './server-optimizer.js';

function common(o: AlgorithmBuildOptions): Omit<AlgorithmBuildOptions, 'clientOptimizer' | 'serverLearningRate' | 'proximalStrength'> & { clientOptimizer: AlgorithmBuildOptions['clientOptimizer'] } {
  return {
    modelFn: o.modelFn,
    clientOptimizer: o.clientOptimizer,
    ...(o.modelAggregator === undefined ? {} : { modelAggregator: o.modelAggregator }),
    ...(o.executor === undefined ? {} : { executor: o.executor }),
    ...(o.minClients === undefined ? {} : { minClients: o.minClients }),
  };
}

function fedAvgWith(name: string, description: string, lr: number, server: (lr: number) => ServerOptimizer): AlgorithmPlugin {
  return {
    name,
    description,
    defaultServerLearningRate: lr,
    ignores: ['proximalStrength'],
    build: (o) => {
      const options = { ...common(o), serverOptimizerFn: () => server(o.serverLearningRate ?? lr) };
      // A robust, DP or secure aggregator is unweighted: FedAvg then counts every client once, as TFF's build_unweighted_fed_avg.
      return o.modelAggregator !== undefined && !o.modelAggregator.weighted ? buildUnweightedFedAvg(options) : buildWeightedFedAvg(options);
    },
  };
}

/**
 * The algorithms fedkit registers: FedAvg and its server-optimizer variants
 * (Reddi et al. 2021), FedProx, FedSGD and FedNova. Server learning-rate
 * defaults are those that improve the built-in MNIST tasks.
 */
export const BUILTIN_ALGORITHMS: readonly AlgorithmPlugin[] = [
  fedAvgWith('fedavg', 'FedAvg, weighted by examples (McMahan et al. 2017); server SGD', 1.0, (lr) => sgd(lr)),
  {
    name: 'fedavg-unweighted',
    description: 'FedAvg, every client with data counts once (TFF build_unweighted_fed_avg)',
    defaultServerLearningRate: 1.0,
    ignores: ['proximalStrength'],
    build: (o) => buildUnweightedFedAvg({ ...common(o), serverOptimizerFn: () => sgd(o.serverLearningRate ?? 1.0) }),
  },
  fedAvgWith('fedavgm', 'FedAvg with server momentum 0.9 (Hsu et al. 2019)', 1.0, (lr) => fedAvgM({ learningRate: lr, momentum: 0.9 })),
  fedAvgWith('fedadam', 'FedAdam: FedAvg with a server Adam (Reddi et al. 2021)', 0.01, (eta) => fedAdam({ eta })),
  fedAvgWith('fedyogi', 'FedYogi: FedAvg with a server Yogi (Reddi et al. 2021)', 0.1, (eta) => fedYogi({ eta })),
  fedAvgWith('fedadagrad', 'FedAdagrad: FedAvg with a server Adagrad (Reddi et al. 2021)', 0.1, (eta) => fedAdagrad({ eta })),
  {
    name: 'fedprox',
    description: 'FedProx: local loss + mu/2 ||w - w_global||^2 (Li et al. 2020); --proximal-strength sets mu',
    defaultServerLearningRate: 1.0,
    build: (o) => buildWeightedFedProx({ ...common(o), proximalStrength: o.proximalStrength ?? 0.01, serverOptimizerFn: () => sgd(o.serverLearningRate ?? 1.0) }),
  },
  {
    name: 'fedsgd',
    description: 'FedSGD: one mean gradient per client, no local step (McMahan et al. 2017)',
    defaultServerLearningRate: 0.1,
    ignores: ['clientOptimizer', 'proximalStrength'],
    build: (o) => {
      const { clientOptimizer: _unused, ...rest } = common(o);
      return buildFedSgd({ ...rest, serverOptimizerFn: () => sgd(o.serverLearningRate ?? 0.1) });
    },
  },
  fedNovaPlugin,
  qFedAvgPlugin,
  scaffoldPlugin,
];
