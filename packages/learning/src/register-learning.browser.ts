import type { DependencyContainer } from 'tsyringe';

import { inProcessExecutorPlugin, registerLearningWith } from './register-learning-with.js';

/**
 * Registers what @fedkit/learning provides in a browser: the algorithms
 * (`ALGORITHM_PLUGIN`), the `mean` aggregator (`AGGREGATOR_PLUGIN`), the
 * client-update blocks (`CLIENT_UPDATE_PLUGIN`) and the in-process executor
 * (`EXECUTOR_PLUGIN`); a browser has no worker_threads. Returns the container.
 *
 * @example
 * ```ts
 * const c = registerLearning(createFedkitContainer());
 * pluginNames(c, EXECUTOR_PLUGIN); // ['in-process']
 * ```
 */
export function registerLearning(container: DependencyContainer): DependencyContainer {
  return registerLearningWith(container, [inProcessExecutorPlugin]);
}
