/**
 * FedProx — Li et al., "Federated Optimization in Heterogeneous Networks",
 * MLSys 2020 (https://arxiv.org/abs/1812.06127).
 */
import type { LearningProcess } from '@fedkit/core';

import { withWeightedAggregator } from './as-weighted-aggregator.js';
import { buildDeltaProcess, type FedAvgState } from './build-delta-process.js';
import type { WeightedFedAvgOptions } from './fed-avg.js';
import { weightedMeanFactory } from './mean-aggregator.js';
import { sgd } from './server-optimizer.js';

/** Options of {@link buildWeightedFedProx}. */
export interface WeightedFedProxOptions extends WeightedFedAvgOptions {
  /** μ ≥ 0: the client loss adds μ/2‖w − w_global‖² (μ = 0 is FedAvg). */
  readonly proximalStrength: number;
}

/**
 * Weighted FedProx (TFF's `build_weighted_fed_prox`): FedAvg whose client
 * loss adds the proximal term μ/2‖w − w_global‖² over the trainable weights,
 * which keeps local models near the global one. Reported training metrics are
 * the model's own (without the proximal term).
 *
 * @throws RangeError when `proximalStrength` is negative or not finite.
 * @example
 * ```ts
 * const process = buildWeightedFedProx({ modelFn, clientOptimizerFn: () => tf.train.sgd(0.1), proximalStrength: 0.01 });
 * ```
 */
export function buildWeightedFedProx(options: WeightedFedProxOptions): LearningProcess<FedAvgState> {
  const mu = options.proximalStrength;
  if (!(mu >= 0) || !Number.isFinite(mu)) {
    throw new RangeError(`proximalStrength must be a finite number >= 0, found ${mu}.`);
  }
  // An unweighted aggregator (median, Krum, DP, ...) is adapted as TFF's builders do.
  return buildDeltaProcess(withWeightedAggregator(options), { mode: 'local_training', proximalStrength: mu }, true, weightedMeanFactory(), () => sgd(1.0));
}
