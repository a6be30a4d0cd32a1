import type { ClientEnvironment, ClientExecutor, ClientTask, ClientTaskOutcome, RunClientsOptions } from '@fedkit/core';

import type { ClientUpdate } from '../client-update.js';
import { runClientTask } from '../run-client-task.js';

/**
 * Runs the clients one after another in this thread, on one model reused for
 * every client (weights assigned per task) — TFF's sequential execution
 * context. Accepts function optimizers and in-memory datasets. A client
 * timeout is checked between batches, and a client still waiting for its next
 * batch 500 ms past it is given up (a client stuck inside one synchronous batch
 * cannot be interrupted in this thread; the worker-thread executor terminates it).
 *
 * @example
 * ```ts
 * const executor = new InProcessExecutor({ model: modelFn(), resolveData: (ref) => myData(ref) });
 * buildWeightedFedAvg({ modelFn, clientOptimizer: { name: 'sgd', learningRate: 0.1 }, executor });
 * ```
 */
export class InProcessExecutor implements ClientExecutor {
  readonly name = 'in-process';
  readonly acceptsLocalValues = true;

  constructor(
    private readonly environment: ClientEnvironment,
    private readonly clientUpdates?: ReadonlyMap<string, ClientUpdate>,
  ) {}

  async runClients(tasks: readonly ClientTask[], options: RunClientsOptions = {}): Promise<ClientTaskOutcome[]> {
    const kept: ClientTaskOutcome[] = [];
    for (const task of tasks) {
      options.signal?.throwIfAborted();
      const outcome = await runClientTask(task, this.environment, {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(this.clientUpdates === undefined ? {} : { clientUpdates: this.clientUpdates }),
        ...(options.clientTimeoutMs === undefined ? {} : { timeoutMs: options.clientTimeoutMs }),
      });
      if (options.onOutcome === undefined) kept.push(outcome);
      else options.onOutcome(outcome);
    }
    return kept;
  }
}

/** An environment over a model alone: tasks must carry their datasets (no references). */
export function modelEnvironment(model: ClientEnvironment['model']): ClientEnvironment {
  return {
    model,
    resolveData: (ref) => {
      throw new TypeError(`This executor's environment has no data resolver, so a client task cannot refer to its data (${ref.kind}); pass the dataset itself.`);
    },
  };
}
