/**
 * The body of one worker thread of {@link WorkerPoolExecutor}: builds its
 * {@link ClientEnvironment} from the environment module (which registers the
 * same plugins and activates the same runtime as the main thread, then builds
 * the task's model once), then runs one client task per message through
 * {@link runClientTask}, the same code path as in-process.
 */
import { parentPort, workerData } from 'node:worker_threads';

import type { ClientEnvironment, ClientTask, CreateClientEnvironment, EnvironmentSpec } from '@fedkit/core';

import { runClientTask } from '../run-client-task.js';
import { fromShared, type SharedLabeledArrays } from './shared-arrays.js';

interface Init {
  readonly environment: EnvironmentSpec;
  readonly shared?: SharedLabeledArrays;
}

interface RunMessage {
  readonly type: 'run';
  readonly id: number;
  readonly task: ClientTask;
  readonly timeoutMs?: number;
}

const init = workerData as Init;
const port = parentPort!;
const aborts = new Map<number, AbortController>();

async function main(): Promise<void> {
  const mod = (await import(init.environment.module)) as { createClientEnvironment?: CreateClientEnvironment };
  if (typeof mod.createClientEnvironment !== 'function') {
    throw new TypeError(`The environment module ${init.environment.module} must export createClientEnvironment(options, context).`);
  }
  const env: ClientEnvironment = await mod.createClientEnvironment(init.environment.options, init.shared === undefined ? {} : { sharedData: fromShared(init.shared) });
  let queue = Promise.resolve();
  port.on('message', (msg: RunMessage | { type: 'abort'; id: number }) => {
    if (msg.type === 'abort') {
      aborts.get(msg.id)?.abort(new DOMException('The round was aborted.', 'AbortError'));
      return;
    }
    const controller = new AbortController();
    aborts.set(msg.id, controller);
    queue = queue.then(async () => {
      try {
        const outcome = await runClientTask(msg.task, env, { signal: controller.signal, ...(msg.timeoutMs === undefined ? {} : { timeoutMs: msg.timeoutMs }) });
        const transfer = outcome.ok ? [...outcome.result.update, ...Object.values(outcome.result.outputs ?? {}).flat()].map((u) => u.buffer as ArrayBuffer) : [];
        port.postMessage({ id: msg.id, outcome }, transfer);
      } catch {
        port.postMessage({ id: msg.id, aborted: true });
      } finally {
        aborts.delete(msg.id);
      }
    });
  });
  port.postMessage({ ready: true, runtime: env.runtime, runtimeMessage: env.runtimeMessage });
}

main().catch((e: unknown) => port.postMessage({ fatal: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
