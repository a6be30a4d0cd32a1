/**
 * SCAFFOLD — Karimireddy, Kale, Mohri, Reddi, Stich and Suresh, "SCAFFOLD:
 * Stochastic Controlled Averaging for Federated Learning", ICML 2020
 * (https://arxiv.org/abs/1910.06378), Algorithm 1, option II. Control variates
 * correct each client's drift towards its own optimum on heterogeneous data.
 */
import {
  StructSpec,
  ValueError,
  type ClientResult,
  type ClientWork,
  type ClientWorkOptions,
  type LearningProcess,
  type LearningProcessState,
} from '@fedkit/core';

import { clientOptimizerOf, passThrough, startingPoint, type LocalTrainingAlgorithmOptions } from './algorithm-options.js';
import type { AlgorithmPlugin } from './algorithm-plugin.js';
import { applyOptimizerFinalizer } from './apply-optimizer-finalizer.js';
import { broadcastDistributor } from './broadcast-distributor.js';
import { buildClientWork } from './client-work.js';
import { composeLearningProcess } from './compose-learning-process.js';
import { unweightedMeanFactory } from './mean-aggregator.js';
import { sgd, type ServerOptimizerState } from './server-optimizer.js';
import { sizesOf } from './weights-spec.js';

/** SCAFFOLD's client-work state: the server control variate c and each client's cᵢ (by client id; absent = zeros). */
export interface ScaffoldState {
  readonly control: Float32Array[];
  readonly clientControls: Readonly<Record<string, Float32Array[]>>;
}

/**
 * Wraps a client work whose clients run `scaffold_training` with SCAFFOLD's
 * state: each task gets c and its client's cᵢ; after the round cᵢ ← cᵢ + Δcᵢ
 * for every client that trained, and c ← c + ΣΔcᵢ / N (the paper's
 * (|S|/N)·mean Δcᵢ, N = `totalClients`). Needs the round's `clientIds`.
 *
 * @example
 * ```ts
 * const work = scaffoldClientWork(buildClientWork({ model, update: { name: 'scaffold_training' }, optimizer, weighted: false }), 100);
 * ```
 */
export function scaffoldClientWork(inner: ClientWork<Record<string, never>>, totalClients: number): ClientWork<ScaffoldState> {
  if (!Number.isInteger(totalClients) || totalClients < 1) throw new ValueError(`SCAFFOLD needs totalClients (N) as a positive integer, found ${totalClients}.`);
  const sizes = sizesOf(inner.updateSpec);
  const zeros = (): Float32Array[] => sizes.map((n) => new Float32Array(n));
  return {
    ...inner,
    stateSpec: new StructSpec({ control: inner.updateSpec, client_controls: new StructSpec([]) }),
    initialize: () => ({ control: zeros(), clientControls: {} }),
    async next(state, weights, clientData, options: ClientWorkOptions = {}) {
      const ids = options.clientIds;
      if (ids === undefined || ids.length !== clientData.length) {
        throw new ValueError('SCAFFOLD keeps a control variate per client, so each round needs clientIds (one per client dataset): next(state, data, { clientIds }).');
      }
      const clientControls: Record<string, Float32Array[]> = { ...state.clientControls };
      const deltaSum = sizes.map((n) => new Float64Array(n));
      const take = (r: ClientResult & { readonly clientIndex: number }): void => {
        const delta = r.outputs?.['control_delta'];
        if (r.updateWeight === 0 || delta === undefined) return;
        const id = String(ids[r.clientIndex]);
        const before = state.clientControls[id] ?? zeros();
        clientControls[id] = before.map((a, i) => {
          const out = new Float32Array(a.length);
          for (let k = 0; k < a.length; k++) out[k] = a[k]! + delta[i]![k]!;
          return out;
        });
        delta.forEach((d, i) => {
          const s = deltaSum[i]!;
          for (let k = 0; k < s.length; k++) s[k]! += d[k]!;
        });
      };
      const out = await inner.next({}, weights, clientData, {
        ...options,
        taskInputs: (i) => ({ control: state.control, client_control: state.clientControls[String(ids[i])] ?? zeros() }),
        ...(options.onResult === undefined ? {} : { onResult: (r) => (take(r), options.onResult!(r)) }),
      });
      if (options.onResult === undefined) for (const r of out.result.clientResults) take(r);
      const control = state.control.map((c, i) => {
        const next = new Float32Array(c.length);
        for (let k = 0; k < c.length; k++) next[k] = c[k]! + deltaSum[i]![k]! / totalClients;
        return next;
      });
      return { state: { control, clientControls }, result: out.result, measurements: out.measurements };
    },
  };
}

/** Options of {@link buildScaffold}. */
export type ScaffoldOptions = Omit<LocalTrainingAlgorithmOptions, 'clientOptimizerFn' | 'clientWeighting'> & {
  /** N, the number of clients in the population (the control variate's step is |S|/N). */
  readonly totalClients: number;
};

/** The state of a SCAFFOLD process: control variates in `clientWork`. */
export type ScaffoldProcessState = LearningProcessState<Record<string, never>, ScaffoldState, unknown, ServerOptimizerState>;

/**
 * SCAFFOLD: clients run `scaffold_training` with plain SGD; the server averages
 * the updates (unweighted, as the paper) and applies them with
 * `serverOptimizerFn` (default `sgd(1.0)`, η_g = 1), and updates the control
 * variates kept in the client work's state (checkpointed with the rest).
 *
 * @throws ValueError when the client optimizer is not an SGD config.
 * @example
 * ```ts
 * const process = buildScaffold({ modelFn, clientOptimizer: { name: 'sgd', learningRate: 0.1 }, totalClients: 100 });
 * const out = await process.next(state, datasets, { clientIds });
 * ```
 */
export function buildScaffold(options: ScaffoldOptions): LearningProcess<ScaffoldProcessState> {
  const optimizer = clientOptimizerOf(options);
  if (typeof optimizer === 'function' || optimizer.name !== 'sgd') {
    throw new ValueError("SCAFFOLD's control-variate correction assumes plain SGD on the clients; pass clientOptimizer: { name: 'sgd', learningRate }.");
  }
  const { model, initialModelWeights, weightsSpec } = startingPoint(options.modelFn);
  const inner = buildClientWork({ model, update: { name: 'scaffold_training' }, optimizer, weighted: false, clientWeighting: 'uniform', ...passThrough(options) });
  return composeLearningProcess({
    initialModelWeights,
    distributor: broadcastDistributor(weightsSpec),
    clientWork: scaffoldClientWork(inner, options.totalClients),
    aggregator: options.modelAggregator ?? unweightedMeanFactory(),
    finalizer: applyOptimizerFinalizer((options.serverOptimizerFn ?? (() => sgd(1.0)))(), weightsSpec),
  }) as LearningProcess<ScaffoldProcessState>;
}

/** SCAFFOLD in the algorithm registry (`--algorithm scaffold`; N from `totalClients`). */
export const scaffoldPlugin: AlgorithmPlugin = {
  name: 'scaffold',
  description: 'SCAFFOLD: control variates correct client drift on non-IID data, option II (Karimireddy et al. 2020); client SGD only',
  defaultServerLearningRate: 1.0,
  ignores: ['proximalStrength'],
  build: (o) => {
    if (o.totalClients === undefined) throw new ValueError('SCAFFOLD needs totalClients (the population size N).');
    return buildScaffold({
      modelFn: o.modelFn,
      clientOptimizer: o.clientOptimizer,
      totalClients: o.totalClients,
      serverOptimizerFn: () => sgd(o.serverLearningRate ?? 1.0),
      ...(o.modelAggregator === undefined ? {} : { modelAggregator: o.modelAggregator }),
      ...(o.executor === undefined ? {} : { executor: o.executor }),
      ...(o.minClients === undefined ? {} : { minClients: o.minClients }),
    }) as unknown as LearningProcess<LearningProcessState>;
  },
};
