import type * as tf from '@tensorflow/tfjs';

import { ValueError, type AggregatorFactory, type LearningProcess, type Model } from '@fedkit/core';
import {
  buildFedSgd,
  buildUnweightedFedAvg,
  buildWeightedFedAvg,
  buildWeightedFedProx,
  fedAdagrad,
  fedAdam,
  fedAvgM,
  fedYogi,
  sgd,
  type ClientExecutor,
  type FedAvgState,
  type ServerOptimizer,
} from '@fedkit/learning';

/** The algorithms `--algorithm` accepts. */
export const ALGORITHMS = ['fedavg', 'fedavgm', 'fedadam', 'fedyogi', 'fedadagrad', 'fedprox', 'fedsgd'] as const;
/** One of {@link ALGORITHMS}. */
export type AlgorithmName = (typeof ALGORITHMS)[number];

/** Inputs of {@link buildAlgorithm}. */
export interface AlgorithmOptions {
  readonly modelFn: () => Model;
  readonly clientOptimizerFn: () => tf.Optimizer;
  /** Server learning rate; each algorithm's default when undefined. */
  readonly serverLr?: number;
  /** FedProx's μ (default 0.01). */
  readonly proximalStrength?: number;
  readonly executor?: ClientExecutor;
  /** The model aggregator (`--aggregator`); the algorithm's weighted mean when undefined. */
  readonly modelAggregator?: AggregatorFactory;
}

/** The server learning rate each algorithm uses when `--server-lr` is not given. */
export const DEFAULT_SERVER_LR: Readonly<Record<AlgorithmName, number>> = {
  fedavg: 1.0,
  fedavgm: 1.0,
  fedadam: 0.1,
  fedyogi: 0.01,
  fedadagrad: 0.1,
  fedprox: 1.0,
  fedsgd: 0.1,
};

/**
 * Builds a learning process by algorithm name: FedAvg (server SGD), FedAvgM
 * (server momentum 0.9), FedAdam/FedYogi/FedAdagrad (Reddi et al. 2021),
 * FedProx and FedSGD, all from @fedkit/learning.
 * @throws ValueError listing the valid names for an unknown algorithm.
 * @example
 * ```ts
 * const process = buildAlgorithm('fedadam', { modelFn, clientOptimizerFn: () => tf.train.sgd(0.1), serverLr: 0.01 });
 * ```
 */
export function buildAlgorithm(name: string, options: AlgorithmOptions): LearningProcess<FedAvgState> {
  if (!(ALGORITHMS as readonly string[]).includes(name)) {
    throw new ValueError(`Unknown algorithm "${name}". Valid algorithms: ${ALGORITHMS.join(', ')}.`);
  }
  const algorithm = name as AlgorithmName;
  const lr = options.serverLr ?? DEFAULT_SERVER_LR[algorithm];
  const server: Record<AlgorithmName, () => ServerOptimizer> = {
    fedavg: () => sgd(lr),
    fedavgm: () => fedAvgM({ learningRate: lr, momentum: 0.9 }),
    fedadam: () => fedAdam({ eta: lr }),
    fedyogi: () => fedYogi({ eta: lr }),
    fedadagrad: () => fedAdagrad({ eta: lr }),
    fedprox: () => sgd(lr),
    fedsgd: () => sgd(lr),
  };
  const common = {
    modelFn: options.modelFn,
    serverOptimizerFn: server[algorithm],
    ...(options.executor === undefined ? {} : { executor: options.executor }),
    ...(options.modelAggregator === undefined ? {} : { modelAggregator: options.modelAggregator }),
  };
  const unweighted = options.modelAggregator !== undefined && !options.modelAggregator.weighted;
  // FedSGD and FedProx adapt an unweighted aggregator themselves (asWeightedAggregator); the FedAvg family
  // switches to its unweighted variant, as TFF's build_unweighted_fed_avg.
  if (algorithm === 'fedsgd') return buildFedSgd(common);
  if (algorithm === 'fedprox') {
    return buildWeightedFedProx({ ...common, clientOptimizerFn: options.clientOptimizerFn, proximalStrength: options.proximalStrength ?? 0.01 });
  }
  if (unweighted) return buildUnweightedFedAvg({ ...common, clientOptimizerFn: options.clientOptimizerFn });
  return buildWeightedFedAvg({ ...common, clientOptimizerFn: options.clientOptimizerFn });
}
