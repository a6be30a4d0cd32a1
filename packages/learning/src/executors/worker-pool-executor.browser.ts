/**
 * What bundlers for the browser load instead of `worker-pool-executor.ts`
 * (package.json `browser` map): worker threads are a Node feature, and the
 * Node module imports `node:worker_threads`, `node:os`, `node:fs` and
 * `node:url`, which no browser has. Everything else of @fedkit/learning (the
 * client code path above all) bundles for the browser unchanged.
 */
import type { ClientExecutor, ClientTask, ClientTaskOutcome } from '@fedkit/core';

/** Options of the Node `WorkerPoolExecutor` (only the type exists in browsers). */
export type WorkerPoolOptions = Readonly<Record<string, unknown>>;

/** What a worker said when it became ready. */
export interface WorkerRuntime {
  readonly runtime?: string;
  readonly runtimeMessage?: string;
}

/** The worker-thread executor's browser stand-in: constructing it throws, saying why. */
export class WorkerPoolExecutor implements ClientExecutor {
  readonly name = 'worker-threads';
  readonly acceptsLocalValues = false;

  constructor(_options?: WorkerPoolOptions) {
    throw new TypeError('WorkerPoolExecutor runs clients on Node worker threads and is not available in a browser; use InProcessExecutor there.');
  }

  runClients(_tasks: readonly ClientTask[]): Promise<ClientTaskOutcome[]> {
    return Promise.reject(new TypeError('WorkerPoolExecutor is not available in a browser.'));
  }
}
