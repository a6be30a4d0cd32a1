import { ValueError, type ExecutorPlugin } from '@fedkit/core';
import type { DependencyContainer } from 'tsyringe';

import { WorkerPoolExecutor } from './executors/worker-pool-executor.js';
import { inProcessExecutorPlugin, registerLearningWith } from './register-learning-with.js';

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
 * (`EXECUTOR_PLUGIN`). Returns the container. (In a browser, the package's
 * browser entry registers the in-process executor only.)
 *
 * @example
 * ```ts
 * const c = registerLearning(createFedkitContainer());
 * pluginNames(c, ALGORITHM_PLUGIN); // ['fedadagrad', 'fedadam', 'fedavg', ...]
 * ```
 */
export function registerLearning(container: DependencyContainer): DependencyContainer {
  return registerLearningWith(container, [inProcessExecutorPlugin, workerThreads]);
}
