/**
 * Federated Averaging — McMahan et al., "Communication-Efficient Learning of
 * Deep Networks from Decentralized Data", AISTATS 2017
 * (https://arxiv.org/abs/1602.05629) — with server optimizers from Reddi et
 * al. 2021 (https://arxiv.org/abs/2003.00295).
 */
import type * as tf from '@tensorflow/tfjs';

import type { LearningProcess } from '@fedkit/core';

import { buildDeltaProcess, type FedAvgState, type FederatedAlgorithmOptions } from './build-delta-process.js';
import { unweightedMeanFactory, weightedMeanFactory } from './mean-aggregator.js';
import type { ClientWeighting } from './model-delta-client-work.js';
import { sgd } from './server-optimizer.js';

/** Options of {@link buildWeightedFedAvg}. */
export interface WeightedFedAvgOptions extends FederatedAlgorithmOptions {
  /** A new client optimizer, created per client per round (its state never persists across rounds). */
  readonly clientOptimizerFn: () => tf.Optimizer;
  /** Default `num_examples`. */
  readonly clientWeighting?: ClientWeighting;
}

/** Options of {@link buildUnweightedFedAvg}. */
export type UnweightedFedAvgOptions = Omit<WeightedFedAvgOptions, 'clientWeighting'>;

/**
 * Weighted FedAvg (TFF's `build_weighted_fed_avg`). Each client receives the
 * global weights, makes one pass over its dataset (repeat the dataset for
 * local epochs) and sends `initial − trained` weighted by its number of
 * examples; a non-finite update gets weight 0 and zeros. The server applies
 * the weighted mean as a pseudo-gradient with `serverOptimizerFn` (default
 * `sgd(1.0)`: plain averaging). Only trainable weights are averaged:
 * non-trainable weights (e.g. BatchNorm statistics) keep the server's values.
 *
 * @example
 * ```ts
 * const process = buildWeightedFedAvg({
 *   modelFn: () => fromKerasModel(makeKeras(), { loss: 'mse', inputSpec }),
 *   clientOptimizerFn: () => tf.train.sgd(0.01),
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
  return buildDeltaProcess(options, { mode: 'local_training' }, true, weightedMeanFactory(), () => sgd(1.0));
}

/**
 * Unweighted FedAvg (TFF's `build_unweighted_fed_avg`): as
 * {@link buildWeightedFedAvg} but every client with data counts once
 * (unweighted mean); empty or non-finite clients are left out.
 *
 * @example
 * ```ts
 * const process = buildUnweightedFedAvg({ modelFn, clientOptimizerFn: () => tf.train.sgd(0.1) });
 * ```
 */
export function buildUnweightedFedAvg(options: UnweightedFedAvgOptions): LearningProcess<FedAvgState> {
  return buildDeltaProcess({ ...options, clientWeighting: 'uniform' }, { mode: 'local_training' }, false, unweightedMeanFactory(), () => sgd(1.0));
}
