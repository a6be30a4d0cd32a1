/**
 * q-FedAvg (q-FFL) — Li, Sanjabi, Beirami and Smith, "Fair Resource Allocation
 * in Federated Learning", ICLR 2020 (https://arxiv.org/abs/1905.10497),
 * Algorithm 2. Clients with a higher loss get more say: with L = 1/lr,
 *   Δₖ = Fₖ^q · L(w − w̄ₖ),  hₖ = q Fₖ^(q−1) ‖L(w − w̄ₖ)‖² + L Fₖ^q,  w ← w − Σₖ Δₖ / Σₖ hₖ,
 * where Fₖ is client k's loss at the broadcast weights. q = 0 is FedAvg with equal client weights.
 *
 * Porting note: Flower's `QFedAvg` uses one loss for every client (a server-side evaluation of
 * the broadcast weights); this follows the paper, where each client measures its own Fₖ.
 */
import { ValueError, type AggregatorFactory, type LearningProcess } from '@fedkit/core';

import { clientOptimizerOf, passThrough, startingPoint, type FedAvgState, type LocalTrainingAlgorithmOptions } from './algorithm-options.js';
import type { AlgorithmPlugin } from './algorithm-plugin.js';
import { applyOptimizerFinalizer } from './apply-optimizer-finalizer.js';
import { broadcastDistributor } from './broadcast-distributor.js';
import { buildClientWork } from './client-work.js';
import { composeLearningProcess } from './compose-learning-process.js';
import { sgd } from './server-optimizer.js';
import { sideValueAggregator } from './side-value-aggregator.js';

/** Options of {@link qFedAvgAggregator} and {@link buildQFedAvg}. */
export interface QFedAvgOptions {
  /** Fairness q ≥ 0 (Flower's default 0.2); 0 weighs every client equally. */
  readonly q?: number;
}

/**
 * q-FedAvg's aggregation as a streaming aggregator: each client's update uₖ
 * (= w − w̄ₖ) and `extra.initial_loss` Fₖ give Δₖ and hₖ (see the module
 * comment, with L = 1 / `learningRate`, the clients' learning rate); the result
 * is ΣΔₖ / Σhₖ, which a server `sgd(1.0)` subtracts. Clients of weight 0 are
 * left out. Measurements: `h_sum`.
 *
 * @throws ValueError for q < 0 or learningRate ≤ 0; on `add`, for a client without `initial_loss`.
 * @example
 * ```ts
 * const agg = qFedAvgAggregator({ q: 1 }, 0.5).create(spec);
 * ```
 */
export function qFedAvgAggregator(options: QFedAvgOptions, learningRate: number): AggregatorFactory<Record<string, never>> {
  const q = options.q ?? 0.2;
  if (!(q >= 0) || !Number.isFinite(q)) throw new ValueError(`q-FedAvg's q must be a finite number >= 0, found ${q}.`);
  if (!(learningRate > 0)) throw new ValueError(`q-FedAvg needs the clients' learning rate > 0 (L = 1/lr), found ${learningRate}.`);
  const L = 1 / learningRate;
  return sideValueAggregator('q-FedAvg', 'initial_loss', ['h_sum'], (sizes) => {
    const sums = sizes.map((n) => new Float64Array(n));
    let hSum = 0;
    return {
      add(value, weight = 0, extra) {
        if (weight === 0) return;
        const loss = extra?.['initial_loss'];
        if (loss === undefined || !Number.isFinite(loss)) {
          throw new ValueError(`q-FedAvg needs each client's initial_loss beside its update, found ${String(loss)}; use the qffl_training client update.`);
        }
        // Flower adds 1e-10 so that a zero loss keeps F^(q−1) finite.
        const F = loss + 1e-10;
        let squared = 0;
        for (const a of value) for (let k = 0; k < a.length; k++) squared += a[k]! * a[k]!;
        const fq = F ** q;
        hSum += q * F ** (q - 1) * L * L * squared + L * fq;
        value.forEach((a, i) => {
          const s = sums[i]!;
          for (let k = 0; k < s.length; k++) s[k]! += fq * L * a[k]!;
        });
      },
      async finish() {
        const result = sums.map((s) => {
          const out = new Float32Array(s.length);
          if (hSum > 0) for (let k = 0; k < s.length; k++) out[k] = s[k]! / hSum;
          return out;
        });
        return { state: {}, result, measurements: { h_sum: hSum } };
      },
    };
  });
}

/** Options of {@link buildQFedAvg}: FedAvg's with a config client optimizer (its learning rate is L⁻¹), and q. */
export type BuildQFedAvgOptions = Omit<LocalTrainingAlgorithmOptions, 'modelAggregator' | 'clientWeighting' | 'clientOptimizerFn'> & QFedAvgOptions;

/**
 * q-FedAvg: clients run `qffl_training`; the server applies ΣΔₖ/Σhₖ with
 * `serverOptimizerFn` (default `sgd(1.0)`, the paper's update).
 *
 * @throws TypeError when the client optimizer is not a config (its learning rate is needed on the server).
 * @example
 * ```ts
 * const process = buildQFedAvg({ modelFn, clientOptimizer: { name: 'sgd', learningRate: 0.1 }, q: 1 });
 * ```
 */
export function buildQFedAvg(options: BuildQFedAvgOptions): LearningProcess<FedAvgState> {
  const optimizer = clientOptimizerOf(options);
  if (typeof optimizer === 'function') throw new TypeError("q-FedAvg needs clientOptimizer as a config ({ name: 'sgd', learningRate }): its learning rate sets L = 1/lr.");
  const { model, initialModelWeights, weightsSpec } = startingPoint(options.modelFn);
  return composeLearningProcess({
    initialModelWeights,
    distributor: broadcastDistributor(weightsSpec),
    clientWork: buildClientWork({ model, update: { name: 'qffl_training' }, optimizer, weighted: true, ...passThrough(options) }),
    aggregator: qFedAvgAggregator(options, optimizer.learningRate),
    finalizer: applyOptimizerFinalizer((options.serverOptimizerFn ?? (() => sgd(1.0)))(), weightsSpec),
  }) as LearningProcess<FedAvgState>;
}

/** q-FedAvg in the algorithm registry (`--algorithm qfedavg`, q = 0.2). */
export const qFedAvgPlugin: AlgorithmPlugin = {
  name: 'qfedavg',
  description: 'q-FedAvg (q-FFL): fair aggregation favouring high-loss clients, q = 0.2 (Li et al. 2020)',
  defaultServerLearningRate: 1.0,
  ignores: ['proximalStrength', 'modelAggregator'],
  build: (o) =>
    buildQFedAvg({
      modelFn: o.modelFn,
      clientOptimizer: o.clientOptimizer,
      serverOptimizerFn: () => sgd(o.serverLearningRate ?? 1.0),
      ...(o.executor === undefined ? {} : { executor: o.executor }),
      ...(o.minClients === undefined ? {} : { minClients: o.minClients }),
    }),
};
