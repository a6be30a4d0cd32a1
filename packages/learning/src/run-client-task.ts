import type * as tf from '@tensorflow/tfjs';

import {
  isClientDataRef,
  ModelWeights,
  ValueError,
  type ClientDataset,
  type ClientEnvironment,
  type ClientTask,
  type ClientTaskOutcome,
} from '@fedkit/core';

import { allFinite } from './all-finite.js';
import { ClientTrainingError } from './client-training-error.js';
import type { ClientUpdate } from './client-update.js';
import { createOptimizer } from './create-optimizer.js';
import { BUILTIN_CLIENT_UPDATES } from './builtin-client-updates.js';

/** Options of {@link runClientTask}. */
export interface RunClientTaskOptions {
  readonly signal?: AbortSignal;
  /** Client-update blocks by name (default: the built-in ones). */
  readonly clientUpdates?: ReadonlyMap<string, ClientUpdate>;
  /** The client fails if it is still running this many milliseconds after it started (checked between batches). */
  readonly timeoutMs?: number;
  /** Where the update should be written, handed to the block (`ClientUpdateContext.allocateUpdate`). */
  readonly allocateUpdate?: (lengths: readonly number[]) => Float32Array[] | undefined;
}

/** The client-update block a task names, with its config checked. */
export function resolveClientUpdate(task: Pick<ClientTask, 'update' | 'optimizer'>, updates: ReadonlyMap<string, ClientUpdate> = BUILTIN_CLIENT_UPDATES): ClientUpdate {
  const block = updates.get(task.update.name);
  if (block === undefined) {
    throw new ValueError(`Unknown client update "${task.update.name}". Registered client updates: ${[...updates.keys()].sort().join(', ')}.`);
  }
  for (const key of Object.keys(task.update.config ?? {})) {
    if (!block.configKeys.includes(key)) {
      throw new ValueError(`The client update "${block.name}" has no option "${key}"; its options are: ${block.configKeys.join(', ') || 'none'}.`);
    }
  }
  if (block.needsOptimizer && task.optimizer === undefined) {
    throw new ValueError(`The client update "${block.name}" takes optimizer steps but the task has no client optimizer; pass e.g. { name: 'sgd', learningRate: 0.1 }.`);
  }
  return block;
}

/**
 * The one client code path: every executor (in-process, worker threads,
 * queues, remote clients) runs a client task through this function. It
 * assigns the broadcast weights to the environment's model, resets its
 * metrics, makes a fresh client optimizer (disposed after), runs the named
 * client-update block over the client's data, replaces a non-finite update by
 * zeros with weight 0, and returns the outcome. A failing client is an
 * outcome `{ ok: false }` whose error starts with `client <id>:`; only an
 * abort rejects.
 *
 * @example
 * ```ts
 * const outcome = await runClientTask(task, { model, resolveData: () => { throw new Error('no refs'); } });
 * ```
 */
export async function runClientTask(task: ClientTask, environment: ClientEnvironment, options: RunClientTaskOptions = {}): Promise<ClientTaskOutcome> {
  const start = performance.now();
  const label = `client ${task.clientId ?? task.clientIndex}`;
  const deadline = options.timeoutMs === undefined ? undefined : start + options.timeoutMs;
  let optimizer: tf.Optimizer | undefined;
  try {
    const block = resolveClientUpdate(task, options.clientUpdates);
    const { model } = environment;
    const initial = ModelWeights.fromArrays(task.weights);
    try {
      initial.assignWeightsTo(model);
    } finally {
      initial.dispose();
    }
    model.resetMetrics();
    if (block.needsOptimizer) optimizer = typeof task.optimizer === 'function' ? task.optimizer() : createOptimizer(task.optimizer!);
    const dataset: ClientDataset = isClientDataRef(task.data) ? environment.resolveData(task.data, options.signal) : task.data;
    // The deadline is checked between batches; this timer is for a dataset whose next batch never comes.
    const late = deadline === undefined ? undefined : new AbortController();
    const signal = late === undefined ? options.signal : options.signal === undefined ? late.signal : AbortSignal.any([options.signal, late.signal]);
    const running = block.run({
      model,
      weights: task.weights,
      dataset,
      config: task.update.config ?? {},
      inputs: task.inputs ?? {},
      ...(task.optimizer === undefined || typeof task.optimizer === 'function' ? {} : { optimizerConfig: task.optimizer }),
      label,
      ...(deadline === undefined ? {} : { deadline }),
      ...(optimizer === undefined ? {} : { optimizer }),
      ...(signal === undefined ? {} : { signal }),
      ...(options.allocateUpdate === undefined ? {} : { allocateUpdate: options.allocateUpdate }),
    });
    const out = late === undefined ? await running : await raceDeadline(running, late, deadline! + WAIT_GRACE_MS - performance.now(), options.timeoutMs!, label);
    const nonFinite = !allFinite([...out.update, ...Object.values(out.outputs ?? {}).flat()]);
    return {
      clientIndex: task.clientIndex,
      ok: true,
      ms: performance.now() - start,
      result: {
        update: nonFinite ? out.update.map((u) => new Float32Array(u.length)) : out.update,
        updateWeight: nonFinite ? 0 : out.numExamples,
        updateNonFinite: nonFinite,
        numExamples: out.numExamples,
        numBatches: out.numBatches,
        metrics: model.reportLocalUnfinalizedMetrics(),
        ...(out.extra === undefined ? {} : { extra: out.extra }),
        // A non-finite client contributes nothing: its side arrays are zeroed like its update.
        ...(out.outputs === undefined
          ? {}
          : { outputs: nonFinite ? Object.fromEntries(Object.entries(out.outputs).map(([k, v]) => [k, v.map((a) => new Float32Array(a.length))])) : out.outputs }),
      },
    };
  } catch (e) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    const message = e instanceof Error ? e.message : String(e);
    return {
      clientIndex: task.clientIndex,
      ok: false,
      error: message.startsWith(`${label}:`) ? message : `${label}: ${message}`,
      numExamples: e instanceof ClientTrainingError ? e.numExamples : 0,
      numBatches: e instanceof ClientTrainingError ? e.numBatches : 0,
      ms: performance.now() - start,
    };
  } finally {
    optimizer?.dispose();
  }
}

/** How long past its deadline a client may wait for its next batch (which the batch loop then refuses) before it is given up. */
const WAIT_GRACE_MS = 500;

/**
 * `running`, or a ClientTrainingError once the client's deadline (plus a grace) passes while it
 * still waits (a dataset whose next batch never comes). The abandoned run is
 * aborted through `late`, so that it stops before its next batch should one come,
 * and never trains the shared model beside the next client.
 */
async function raceDeadline<T>(running: Promise<T>, late: AbortController, remainingMs: number, timeoutMs: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      late.abort(new DOMException('The client passed its deadline.', 'TimeoutError'));
      reject(new ClientTrainingError(`${label}: still waiting for its data ${WAIT_GRACE_MS} ms after the client timeout of ${timeoutMs} ms; the round goes on without it.`, 0, 0));
    }, Math.max(0, remainingMs));
  });
  running.catch(() => undefined); // the abandoned run's own rejection (its abort) is expected
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
  }
}
