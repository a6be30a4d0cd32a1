import { AGGREGATOR_PLUGIN, EXECUTOR_PLUGIN, registerPlugin, type AggregatorPlugin, type ExecutorPlugin } from '@fedkit/core';
import type { DependencyContainer } from 'tsyringe';

import { ALGORITHM_PLUGIN } from './algorithm-plugin.js';
import { BUILTIN_ALGORITHMS } from './builtin-algorithms.js';
import { BUILTIN_CLIENT_UPDATES } from './builtin-client-updates.js';
import { CLIENT_UPDATE_PLUGIN } from './client-update.js';
import { InProcessExecutor } from './executors/in-process-executor.js';
import { weightedMeanFactory } from './mean-aggregator.js';

const meanPlugin: AggregatorPlugin = {
  name: 'mean',
  usage: 'mean',
  description: "the algorithm's own mean (weighted by examples for FedAvg); streams, O(1) updates in memory",
  create: () => weightedMeanFactory(),
};

/** The `in-process` executor plugin: runs anywhere, a browser included. */
export const inProcessExecutorPlugin: ExecutorPlugin = {
  name: 'in-process',
  description: 'clients one after another in this thread',
  create: async ({ environment }) => Object.assign(new InProcessExecutor(environment), { close: async () => undefined }),
};

/**
 * Registers what @fedkit/learning provides: the algorithms (`ALGORITHM_PLUGIN`),
 * the `mean` aggregator (`AGGREGATOR_PLUGIN`), the client-update blocks
 * (`CLIENT_UPDATE_PLUGIN`) and `executors` (`EXECUTOR_PLUGIN`). The package's
 * entries pass their executors: the browser entry the in-process one, the Node
 * entry the worker-thread one too. Returns the container.
 * @example
 * ```ts
 * registerLearningWith(createFedkitContainer(), [inProcessExecutorPlugin]);
 * ```
 */
export function registerLearningWith(container: DependencyContainer, executors: readonly ExecutorPlugin[]): DependencyContainer {
  for (const a of BUILTIN_ALGORITHMS) registerPlugin(container, ALGORITHM_PLUGIN, a);
  for (const u of BUILTIN_CLIENT_UPDATES.values()) registerPlugin(container, CLIENT_UPDATE_PLUGIN, u);
  registerPlugin(container, AGGREGATOR_PLUGIN, meanPlugin);
  for (const e of executors) registerPlugin(container, EXECUTOR_PLUGIN, e);
  return container;
}
