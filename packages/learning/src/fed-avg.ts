/**
 * Federated Averaging — McMahan et al., "Communication-Efficient Learning of
 * Deep Networks from Decentralized Data", AISTATS 2017
 * (https://arxiv.org/abs/1602.05629) — with server optimizers from Reddi et
 * al. 2021 (https://arxiv.org/abs/2003.00295).
 */
import type { LearningProcess } from '@fedkit/core';

import { clientOptimizerOf, passThrough, startingPoint, type FedAvgState, type LocalTrainingAlgorithmOptions } from './algorithm-options.js';
import { applyOptimizerFinalizer } from './apply-optimizer-finalizer.js';
import { broadcastDistributor } from './broadcast-distributor.js';
import { buildClientWork } from './client-work.js';
import { composeLearningProcess } from './compose-learning-process.js';
import { unweightedMeanFactory, weightedMeanFactory } from './mean-aggregator.js';
import { sgd } from './server-optimizer.js';

/** Options of {@link buildWeightedFedAvg}. */
export type WeightedFedAvgOptions = LocalTrainingAlgorithmOptions;

/** Options of {@link buildUnweightedFedAvg}. */
export type UnweightedFedAvgOptions = Omit<LocalTrainingAlgorithmOptions, 'clientWeighting'>;

/**
 * Weighted FedAvg (TFF's `build_weighted_fed_avg`). Each client receives the
 * global weights, makes one pass over its dataset (repeat the dataset for
 * local epochs) with the `local_training` client update and sends
 * `initial − trained` weighted by its number of examples; a non-finite update
 * gets weight 0 and zeros. The server applies the weighted mean as a
 * pseudo-gradient with `serverOptimizerFn` (default `sgd(1.0)`: plain
 * averaging). Only trainable weights are averaged: non-trainable weights
 * (e.g. BatchNorm statistics) keep the server's values.
 *
 * @example
 * ```ts
 * const process = buildWeightedFedAvg({
 *   modelFn: () => fromKerasModel(makeKeras(), { loss: 'mse', inputSpec }),
 *   clientOptimizer: { name: 'sgd', learningRate: 0.01 },
 * });
 * let state = process.initialize();
 * for (let round = 0; round < 10; round++) {
 *   const out = await process.next(state, clientDatasets);
 *   state = out.state;
 *   console.log(out.metrics.client_work.train.loss);
 * }
 * ```
 */
export function buildWeightedFedAvg(options: WeightedFedAvgOptions): LearningProcess<FedAvgState> {
  const { model, initialModelWeights, weightsSpec } = startingPoint(options.modelFn);
  return composeLearningProcess({
    initialModelWeights,
    distributor: broadcastDistributor(weightsSpec),
    clientWork: buildClientWork({
      model,
      update: { name: 'local_training' },
      optimizer: clientOptimizerOf(options),
      weighted: true,
      ...passThrough(options),
    }),
    aggregator: options.modelAggregator ?? weightedMeanFactory(),
    finalizer: applyOptimizerFinalizer((options.serverOptimizerFn ?? (() => sgd(1.0)))(), weightsSpec),
  }) as LearningProcess<FedAvgState>;
}

/**
 * Unweighted FedAvg (TFF's `build_unweighted_fed_avg`): as
 * {@link buildWeightedFedAvg} but every client with data counts once
 * (unweighted mean); empty or non-finite clients are left out.
 *
 * @example
 * ```ts
 * const process = buildUnweightedFedAvg({ modelFn, clientOptimizer: { name: 'sgd', learningRate: 0.1 } });
 * ```
 */
export function buildUnweightedFedAvg(options: UnweightedFedAvgOptions): LearningProcess<FedAvgState> {
  const { model, initialModelWeights, weightsSpec } = startingPoint(options.modelFn);
  return composeLearningProcess({
    initialModelWeights,
    distributor: broadcastDistributor(weightsSpec),
    clientWork: buildClientWork({
      model,
      update: { name: 'local_training' },
      optimizer: clientOptimizerOf(options),
      weighted: false,
      ...passThrough({ ...options, clientWeighting: 'uniform' }),
    }),
    aggregator: options.modelAggregator ?? unweightedMeanFactory(),
    finalizer: applyOptimizerFinalizer((options.serverOptimizerFn ?? (() => sgd(1.0)))(), weightsSpec),
  }) as LearningProcess<FedAvgState>;
}
