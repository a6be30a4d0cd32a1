import type { AggregatorFactory, ClientExecutor, LearningProcess, LearningProcessState, Model, OptimizerConfig } from '@fedkit/core';

/** Token under which every federated algorithm (`--algorithm`) is registered. */
export const ALGORITHM_PLUGIN: unique symbol = Symbol.for('fedkit.AlgorithmPlugin');

/** What an {@link AlgorithmPlugin} builds from: the same inputs for every algorithm, each using what it needs. */
export interface AlgorithmBuildOptions {
  readonly modelFn: () => Model;
  /** The client optimizer (ignored by algorithms without local steps, e.g. FedSGD). */
  readonly clientOptimizer: OptimizerConfig;
  /** The server learning rate; the plugin's `defaultServerLearningRate` when undefined. */
  readonly serverLearningRate?: number;
  /** FedProx's μ; ignored by the others. */
  readonly proximalStrength?: number;
  readonly modelAggregator?: AggregatorFactory;
  readonly executor?: ClientExecutor;
  readonly minClients?: number;
  /** The population size N (SCAFFOLD's control-variate step); ignored by the others. */
  readonly totalClients?: number;
}

/**
 * A federated algorithm by name, for registries and CLIs: `build` picks the
 * blocks (it calls one of the builders), the rest describes it for `--help`.
 */
export interface AlgorithmPlugin {
  readonly name: string;
  /** One line for `--help`, with the paper. */
  readonly description: string;
  readonly defaultServerLearningRate: number;
  /** Option names of {@link AlgorithmBuildOptions} that this algorithm ignores (e.g. FedSGD: clientOptimizer). */
  readonly ignores?: readonly string[];
  build(options: AlgorithmBuildOptions): LearningProcess<LearningProcessState>;
}
