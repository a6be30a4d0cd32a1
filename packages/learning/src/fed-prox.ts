/**
 * FedProx — Li et al., "Federated Optimization in Heterogeneous Networks",
 * MLSys 2020 (https://arxiv.org/abs/1812.06127).
 */
import type { LearningProcess } from '@fedkit/core';

import { clientOptimizerOf, passThrough, startingPoint, type FedAvgState, type LocalTrainingAlgorithmOptions } from './algorithm-options.js';
import { applyOptimizerFinalizer } from './apply-optimizer-finalizer.js';
import { asWeightedAggregator } from './as-weighted-aggregator.js';
import { broadcastDistributor } from './broadcast-distributor.js';
import { buildClientWork } from './client-work.js';
import { composeLearningProcess } from './compose-learning-process.js';
import { weightedMeanFactory } from './mean-aggregator.js';
import { proximalStrengthOf } from './proximal-training.js';
import { sgd } from './server-optimizer.js';

/** Options of {@link buildWeightedFedProx}. */
export interface WeightedFedProxOptions extends LocalTrainingAlgorithmOptions {
  /** μ ≥ 0: the client loss adds μ/2‖w − w_global‖² (μ = 0 is FedAvg). */
  readonly proximalStrength: number;
}

/**
 * Weighted FedProx (TFF's `build_weighted_fed_prox`): FedAvg whose clients
 * run the `proximal_training` update, whose loss adds μ/2‖w − w_global‖² over
 * the trainable weights, which keeps local models near the global one.
 * Reported training metrics are the model's own (without the proximal term).
 * An unweighted aggregator (median, Krum, DP, ...) is adapted with
 * {@link asWeightedAggregator}, as TFF's builders do.
 *
 * @throws ValueError when `proximalStrength` is negative or not finite (TFF raises ValueError).
 * @example
 * ```ts
 * const process = buildWeightedFedProx({ modelFn, clientOptimizer: { name: 'sgd', learningRate: 0.1 }, proximalStrength: 0.01 });
 * ```
 */
export function buildWeightedFedProx(options: WeightedFedProxOptions): LearningProcess<FedAvgState> {
  const proximalStrength = proximalStrengthOf({ proximalStrength: options.proximalStrength });
  const { model, initialModelWeights, weightsSpec } = startingPoint(options.modelFn);
  return composeLearningProcess({
    initialModelWeights,
    distributor: broadcastDistributor(weightsSpec),
    clientWork: buildClientWork({
      model,
      update: { name: 'proximal_training', config: { proximalStrength } },
      optimizer: clientOptimizerOf(options),
      weighted: true,
      ...passThrough(options),
    }),
    aggregator: options.modelAggregator === undefined ? weightedMeanFactory() : asWeightedAggregator(options.modelAggregator),
    finalizer: applyOptimizerFinalizer((options.serverOptimizerFn ?? (() => sgd(1.0)))(), weightsSpec),
  }) as LearningProcess<FedAvgState>;
}
