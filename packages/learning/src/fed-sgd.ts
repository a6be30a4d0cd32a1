/**
 * Federated SGD — the FedSGD baseline of McMahan et al., "Communication-
 * Efficient Learning of Deep Networks from Decentralized Data", AISTATS 2017
 * (https://arxiv.org/abs/1602.05629).
 */
import type { LearningProcess } from '@fedkit/core';

import { withWeightedAggregator } from './as-weighted-aggregator.js';
import { buildDeltaProcess, type FedAvgState, type FederatedAlgorithmOptions } from './build-delta-process.js';
import { weightedMeanFactory } from './mean-aggregator.js';
import { sgd } from './server-optimizer.js';

/**
 * FedSGD (TFF's `build_fed_sgd`): clients take no local step; each sends the
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
  // An unweighted aggregator (median, Krum, DP, ...) is adapted as TFF's builders do.
  return buildDeltaProcess(withWeightedAggregator(options), { mode: 'gradient' }, true, weightedMeanFactory(), () => sgd(0.1));
}
