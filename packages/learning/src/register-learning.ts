import { AGGREGATOR_PLUGIN, EXECUTOR_PLUGIN, registerPlugin, ValueError, type AggregatorPlugin, type ExecutorPlugin } from '@fedkit/core';
import type { DependencyContainer } from 'tsyringe';

import { ALGORITHM_PLUGIN } from './algorithm-plugin.js';
import { BUILTIN_ALGORITHMS } from './builtin-algorithms.js';
import { BUILTIN_CLIENT_UPDATES } from './builtin-client-updates.js';
import { CLIENT_UPDATE_PLUGIN } from './client-update.js';
import { InProcessExecutor } from './executors/in-process-executor.js';
import { WorkerPoolExecutor } from './executors/worker-pool-executor.js';
import { weightedMeanFactory } from './mean-aggregator.js';

const meanPlugin: AggregatorPlugin = {
  name: 'mean',
  usage: 'mean',
  description: "the algorithm's own mean (weighted by examples for FedAvg); streams, O(1) updates in memory",
  create: () => weightedMeanFactory(),
};

const inProcess: ExecutorPlugin = {
  name: 'in-process',
  description: 'clients one after another in this thread',
  create: async ({ environment }) => Object.assign(new InProcessExecutor(environment), { close: async () => undefined }),
};

const workerThreads: ExecutorPlugin = {
  name: 'worker-threads',
  description: 'clients on worker_threads, each with its own model and runtime (the default)',
  async create({ environmentSpec, sharedData, concurrency }) {
    if (environmentSpec === undefined) {
      throw new ValueError('The worker-threads executor needs an environmentSpec (a module that builds the model in each worker).');
    }
    const pool = new WorkerPoolExecutor({
      environment: environmentSpec,
      ...(sharedData === undefined ? {} : { sharedData }),
      ...(concurrency === undefined ? {} : { numWorkers: concurrency }),
    });
    await pool.start();
    return pool;
  },
};

/**
 * Registers what @fedkit/learning provides: the algorithms (`ALGORITHM_PLUGIN`),
 * the `mean` aggregator (`AGGREGATOR_PLUGIN`), the client-update blocks
 * (`CLIENT_UPDATE_PLUGIN`) and the in-process and worker-thread executors
 * (`EXECUTOR_PLUGIN`). Returns the container.
 *
 * @example
 * ```ts
 * const c = registerLearning(createFedkitContainer());
 * pluginNames(c, ALGORITHM_PLUGIN); // ['fedadagrad', 'fedadam', 'fedavg', ...]
 * ```
 */
export function registerLearning(container: DependencyContainer): DependencyContainer {
  for (const a of BUILTIN_ALGORITHMS) registerPlugin(container, ALGORITHM_PLUGIN, a);
  for (const u of BUILTIN_CLIENT_UPDATES.values()) registerPlugin(container, CLIENT_UPDATE_PLUGIN, u);
  registerPlugin(container, AGGREGATOR_PLUGIN, meanPlugin);
  registerPlugin(container, EXECUTOR_PLUGIN, inProcess);
  registerPlugin(container, EXECUTOR_PLUGIN, workerThreads);
  return container;
}
