import type * as tf from '@tensorflow/tfjs';

import {
  ModelWeights,
  type AggregatorFactory,
  type ClientExecutor,
  type ClientOptimizerSpec,
  type LearningProcessState,
  type Model,
  type ModelWeightArrays,
  type OptimizerConfig,
  type StructSpec,
} from '@fedkit/core';

import type { ClientWeighting, MetricsAggregator } from './client-work.js';
import type { ServerOptimizer, ServerOptimizerState } from './server-optimizer.js';
import { weightsSpecOf } from './weights-spec.js';

/** Options shared by the FedAvg family of builders. */
export interface FederatedAlgorithmOptions {
  /** A no-argument factory of a new Model; called once per process (executors' workers build their own from the task). */
  readonly modelFn: () => Model;
  /** A server optimizer (default depends on the algorithm). */
  readonly serverOptimizerFn?: () => ServerOptimizer;
  /** Aggregates the client updates (default: weighted or unweighted mean). */
  readonly modelAggregator?: AggregatorFactory;
  /** Combines client metrics (default: sum then finalize). */
  readonly metricsAggregator?: MetricsAggregator;
  /** Runs the clients (default: in-process, on the model `modelFn` made). */
  readonly executor?: ClientExecutor;
  /** Minimum number of successful clients for a round (default 1). */
  readonly minClients?: number;
}

/** Options of builders whose clients take optimizer steps. */
export interface LocalTrainingAlgorithmOptions extends FederatedAlgorithmOptions {
  /**
   * The client optimizer, created per client per round (its state never
   * persists across rounds): a Keras-style config (`{ name: 'adam', learningRate: 0.001 }`),
   * which reaches every executor, or a factory (in-process executors only).
   */
  readonly clientOptimizer?: ClientOptimizerSpec;
  /** TFF's name for a factory of the client optimizer; give this or `clientOptimizer`. */
  readonly clientOptimizerFn?: () => tf.Optimizer;
  /** Default `num_examples`. */
  readonly clientWeighting?: ClientWeighting;
  /** The client learning rate per round (0-based), e.g. `exponentialDecay(...)`; TFF's `build_scheduled_client_work`. */
  readonly clientLearningRateSchedule?: (round: number) => number;
}

/** The state of the processes built here: server optimizer state in `finalizer`. */
export type FedAvgState = LearningProcessState<Record<string, never>, Record<string, never>, unknown, ServerOptimizerState>;

/** The one client optimizer of a builder's options. @throws TypeError when none or both are given. */
export function clientOptimizerOf(options: LocalTrainingAlgorithmOptions): ClientOptimizerSpec {
  const { clientOptimizer, clientOptimizerFn } = options;
  if (clientOptimizer !== undefined && clientOptimizerFn !== undefined) {
    throw new TypeError('Give clientOptimizer or clientOptimizerFn, not both.');
  }
  const chosen: ClientOptimizerSpec | undefined = clientOptimizer ?? clientOptimizerFn;
  if (chosen === undefined) {
    throw new TypeError("Local training needs a client optimizer, e.g. clientOptimizer: { name: 'sgd', learningRate: 0.1 } (or clientOptimizerFn: () => tf.train.sgd(0.1)).");
  }
  return chosen as OptimizerConfig | (() => tf.Optimizer);
}

/** Calls `modelFn` once and reads its initial weights and their spec. */
export function startingPoint(modelFn: () => Model): { model: Model; initialModelWeights: ModelWeightArrays; weightsSpec: StructSpec } {
  if (typeof modelFn !== 'function') {
    throw new TypeError('modelFn must be a no-argument function returning a new Model, e.g. () => fromKerasModel(build(), {...}).');
  }
  const model = modelFn();
  const w = ModelWeights.fromModel(model);
  try {
    const initialModelWeights = w.toArrays();
    return { model, initialModelWeights, weightsSpec: weightsSpecOf(initialModelWeights) };
  } finally {
    w.dispose();
  }
}

/** The client-work options a builder passes through unchanged. */
export function passThrough(
  options: LocalTrainingAlgorithmOptions,
): Pick<LocalTrainingAlgorithmOptions, 'clientWeighting' | 'metricsAggregator' | 'executor' | 'minClients' | 'clientLearningRateSchedule'> {
  return {
    ...(options.clientLearningRateSchedule === undefined ? {} : { clientLearningRateSchedule: options.clientLearningRateSchedule }),
    ...(options.clientWeighting === undefined ? {} : { clientWeighting: options.clientWeighting }),
    ...(options.metricsAggregator === undefined ? {} : { metricsAggregator: options.metricsAggregator }),
    ...(options.executor === undefined ? {} : { executor: options.executor }),
    ...(options.minClients === undefined ? {} : { minClients: options.minClients }),
  };
}
