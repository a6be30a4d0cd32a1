/**
 * Federated SGD — the FedSGD baseline of McMahan et al., "Communication-
 * Efficient Learning of Deep Networks from Decentralized Data", AISTATS 2017
 * (https://arxiv.org/abs/1602.05629).
 */
import type { LearningProcess } from '@fedkit/core';

import { passThrough, startingPoint, type FedAvgState, type FederatedAlgorithmOptions } from './algorithm-options.js';
import { applyOptimizerFinalizer } from './apply-optimizer-finalizer.js';
import { asWeightedAggregator } from './as-weighted-aggregator.js';
import { broadcastDistributor } from './broadcast-distributor.js';
import { buildClientWork } from './client-work.js';
import { composeLearningProcess } from './compose-learning-process.js';
import { weightedMeanFactory } from './mean-aggregator.js';
import { sgd } from './server-optimizer.js';

/**
 * FedSGD (TFF's `build_fed_sgd`): clients run the `mean_gradient` update (no
 * local step, so no client optimizer, learning rate or epochs): each sends the
 * example-weighted mean gradient of its loss at the global weights, weighted
 * by its number of examples, and the server applies the weighted mean with
 * `serverOptimizerFn` (default `sgd(0.1)`). With single-batch clients this is
 * one step of centralized SGD on the union of their data.
 *
 * @example
 * ```ts
 * const process = buildFedSgd({ modelFn, serverOptimizerFn: () => sgd(0.1) });
 * ```
 */
export function buildFedSgd(options: FederatedAlgorithmOptions): LearningProcess<FedAvgState> {
  const { model, initialModelWeights, weightsSpec } = startingPoint(options.modelFn);
  return composeLearningProcess({
    initialModelWeights,
    distributor: broadcastDistributor(weightsSpec),
    clientWork: buildClientWork({ model, update: { name: 'mean_gradient' }, weighted: true, ...passThrough(options) }),
    aggregator: options.modelAggregator === undefined ? weightedMeanFactory() : asWeightedAggregator(options.modelAggregator),
    finalizer: applyOptimizerFinalizer((options.serverOptimizerFn ?? (() => sgd(0.1)))(), weightsSpec),
  }) as LearningProcess<FedAvgState>;
}
