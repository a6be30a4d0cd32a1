/**
 * FedNova — Wang, Liu, Liang, Joshi and Poor, "Tackling the Objective
 * Inconsistency Problem in Heterogeneous Federated Optimization", NeurIPS 2020
 * (https://arxiv.org/abs/2007.07481).
 *
 * Clients that take different numbers of local steps τᵢ pull FedAvg towards
 * the objectives of the busiest clients. FedNova normalizes each update by its
 * steps and rescales by the effective number of steps:
 *   Δ = τ_eff · Σᵢ pᵢ Δᵢ/τᵢ,  τ_eff = Σᵢ pᵢ τᵢ,  pᵢ = nᵢ / Σⱼ nⱼ
 * (the paper's equation 6 for local SGD, where ‖aᵢ‖₁ = τᵢ).
 */
import { ValueError, type AggregatorFactory, type LearningProcess, type Measurements } from '@fedkit/core';

import { clientOptimizerOf, passThrough, startingPoint, type FedAvgState, type LocalTrainingAlgorithmOptions } from './algorithm-options.js';
import type { AlgorithmPlugin } from './algorithm-plugin.js';
import { applyOptimizerFinalizer } from './apply-optimizer-finalizer.js';
import { broadcastDistributor } from './broadcast-distributor.js';
import { buildClientWork } from './client-work.js';
import { composeLearningProcess } from './compose-learning-process.js';
import { sgd } from './server-optimizer.js';
import { sideValueAggregator } from './side-value-aggregator.js';

/**
 * FedNova's normalized averaging as a streaming, weighted aggregator: each
 * client's value is divided by its `extra.local_steps` (τᵢ) and averaged with
 * its weight; the mean is scaled by the weighted mean of τᵢ. Measurements:
 * `tau_eff`.
 *
 * @throws ValueError (on `add`) when a client with weight > 0 reports no positive `local_steps`.
 * @example
 * ```ts
 * const agg = fedNovaAggregator().create(spec);
 * const acc = agg.accumulate(agg.initialize());
 * acc.add([Float32Array.of(4)], 1, { local_steps: 2 });
 * acc.add([Float32Array.of(3)], 1, { local_steps: 1 });
 * (await acc.finish()).result; // [Float32Array [3.75]]: 1.5 · (2 + 3) / 2
 * ```
 */
export function fedNovaAggregator(): AggregatorFactory<Record<string, never>> {
  return sideValueAggregator('FedNova', 'local_steps', ['tau_eff'], (sizes) => {
    const sums = sizes.map((n) => new Float64Array(n));
    let weightSum = 0;
    let tauSum = 0;
    return {
      add(value, weight = 0, extra) {
        if (weight === 0) return;
        const tau = extra?.['local_steps'];
        if (tau === undefined || !(tau > 0)) {
          throw new ValueError(`FedNova needs each client's local_steps > 0 beside its update, found ${String(tau)}; use a client update that reports it (local_training does).`);
        }
        weightSum += weight;
        tauSum += weight * tau;
        value.forEach((a, i) => {
          const s = sums[i]!;
          const f = weight / tau;
          for (let k = 0; k < s.length; k++) s[k]! += f * a[k]!;
        });
      },
      async finish() {
        const tauEff = weightSum > 0 ? tauSum / weightSum : 0;
        const result = sums.map((s) => {
          const out = new Float32Array(s.length);
          if (weightSum > 0) for (let k = 0; k < s.length; k++) out[k] = (s[k]! * tauEff) / weightSum;
          return out;
        });
        const measurements: Measurements = { tau_eff: tauEff };
        return { state: {}, result, measurements };
      },
    };
  });
}

/** Options of {@link buildFedNova}: FedAvg's, without a model aggregator (FedNova's averaging is the aggregator). */
export type FedNovaOptions = Omit<LocalTrainingAlgorithmOptions, 'modelAggregator' | 'clientWeighting'>;

/**
 * FedNova with local SGD: clients run `local_training` (which reports its
 * local steps), the server applies FedNova's normalized average with
 * `serverOptimizerFn` (default `sgd(1.0)`).
 *
 * @throws ValueError when a `modelAggregator` is given.
 * @example
 * ```ts
 * const process = buildFedNova({ modelFn, clientOptimizer: { name: 'sgd', learningRate: 0.1 } });
 * ```
 */
export function buildFedNova(options: FedNovaOptions): LearningProcess<FedAvgState> {
  if ((options as LocalTrainingAlgorithmOptions).modelAggregator !== undefined) {
    throw new ValueError("FedNova's normalized averaging is its aggregator, so it takes no modelAggregator; drop --aggregator or use fedavg.");
  }
  const { model, initialModelWeights, weightsSpec } = startingPoint(options.modelFn);
  return composeLearningProcess({
    initialModelWeights,
    distributor: broadcastDistributor(weightsSpec),
    clientWork: buildClientWork({ model, update: { name: 'local_training' }, optimizer: clientOptimizerOf(options), weighted: true, ...passThrough(options) }),
    aggregator: fedNovaAggregator(),
    finalizer: applyOptimizerFinalizer((options.serverOptimizerFn ?? (() => sgd(1.0)))(), weightsSpec),
  }) as LearningProcess<FedAvgState>;
}

/** FedNova in the algorithm registry (`--algorithm fednova`). */
export const fedNovaPlugin: AlgorithmPlugin = {
  name: 'fednova',
  description: 'FedNova: updates normalized by local steps (Wang et al. 2020)',
  defaultServerLearningRate: 1.0,
  ignores: ['proximalStrength'],
  build: (o) =>
    buildFedNova({
      modelFn: o.modelFn,
      clientOptimizer: o.clientOptimizer,
      serverOptimizerFn: () => sgd(o.serverLearningRate ?? 1.0),
      ...(o.modelAggregator === undefined ? {} : ({ modelAggregator: o.modelAggregator } as object)),
      ...(o.executor === undefined ? {} : { executor: o.executor }),
      ...(o.minClients === undefined ? {} : { minClients: o.minClients }),
    }),
};
