import type * as tf from '@tensorflow/tfjs';

import { ModelWeights, type AggregatorFactory, type LearningProcess, type LearningProcessState, type Model } from '@fedkit/core';

import { applyOptimizerFinalizer } from './apply-optimizer-finalizer.js';
import { broadcastDistributor } from './broadcast-distributor.js';
import type { ClientExecutor } from './client-executor.js';
import { composeLearningProcess } from './compose-learning-process.js';
import { ModelDeltaClientWork, type ClientWeighting, type MetricsAggregator } from './model-delta-client-work.js';
import type { ServerOptimizer, ServerOptimizerState } from './server-optimizer.js';
import type { ClientTrainingConfig } from './train-client.js';
import { weightsSpecOf } from './weights-spec.js';

/** Options shared by the FedAvg family of builders. */
export interface FederatedAlgorithmOptions {
  /** A no-argument factory of a new Model; called once per process (and once per worker by parallel executors). */
  readonly modelFn: () => Model;
  /** A server optimizer (default depends on the algorithm). */
  readonly serverOptimizerFn?: () => ServerOptimizer;
  /** Aggregates the client updates (default: weighted or unweighted mean). */
  readonly modelAggregator?: AggregatorFactory;
  /** Combines client metrics (default: sum then finalize). */
  readonly metricsAggregator?: MetricsAggregator;
  /** Runs the clients (default: sequential, in this thread). */
  readonly executor?: ClientExecutor;
  /** Minimum number of successful clients for a round (default 1). */
  readonly minClients?: number;
}

/** The state of the processes built here: server optimizer state in `finalizer`. */
export type FedAvgState = LearningProcessState<Record<string, never>, Record<string, never>, unknown, ServerOptimizerState>;

/** Internal: composes broadcast → model-delta client work → mean → apply-optimizer. */
export function buildDeltaProcess(
  options: FederatedAlgorithmOptions & {
    readonly clientOptimizerFn?: () => tf.Optimizer;
    readonly clientWeighting?: ClientWeighting;
  },
  training: ClientTrainingConfig,
  weighted: boolean,
  defaultAggregator: AggregatorFactory,
  defaultServerOptimizer: () => ServerOptimizer,
): LearningProcess<FedAvgState> {
  if (typeof options.modelFn !== 'function') {
    throw new TypeError('modelFn must be a no-argument function returning a new Model, e.g. () => fromKerasModel(build(), {...}).');
  }
  const model = options.modelFn();
  const initial = ModelWeights.fromModel(model);
  let initialModelWeights;
  try {
    initialModelWeights = initial.toArrays();
  } finally {
    initial.dispose();
  }
  const weightsSpec = weightsSpecOf(initialModelWeights);
  const clientWork = new ModelDeltaClientWork({
    model,
    training,
    weighted,
    ...(options.clientOptimizerFn === undefined ? {} : { clientOptimizerFn: options.clientOptimizerFn }),
    ...(options.clientWeighting === undefined ? {} : { clientWeighting: options.clientWeighting }),
    ...(options.metricsAggregator === undefined ? {} : { metricsAggregator: options.metricsAggregator }),
    ...(options.executor === undefined ? {} : { executor: options.executor }),
    ...(options.minClients === undefined ? {} : { minClients: options.minClients }),
  });
  return composeLearningProcess({
    initialModelWeights,
    distributor: broadcastDistributor(weightsSpec),
    clientWork,
    aggregator: options.modelAggregator ?? defaultAggregator,
    finalizer: applyOptimizerFinalizer((options.serverOptimizerFn ?? defaultServerOptimizer)(), weightsSpec),
  }) as LearningProcess<FedAvgState>;
}
