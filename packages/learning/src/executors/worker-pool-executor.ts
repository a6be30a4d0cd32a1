import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import {
  hasDataRef,
  isClientDataRef,
  type ClientExecutor,
  type ClientTask,
  type ClientTaskOutcome,
  type EnvironmentSpec,
  type LabeledArrays,
  type ModelWeightArrays,
  type RunClientsOptions,
} from '@fedkit/core';

import { shareWeights, toShared, type SharedLabeledArrays } from './shared-arrays.js';

/** Options of {@link WorkerPoolExecutor}. */
export interface WorkerPoolOptions {
  /** How each worker builds its environment (registry, runtime, model, data resolver). */
  readonly environment: EnvironmentSpec;
  /** Training data every worker reads, copied once into shared memory. */
  readonly sharedData?: LabeledArrays;
  /** Number of worker threads; default the number of CPU cores. */
  readonly numWorkers?: number;
  /** Stop the run when this many workers die in a row with no client finishing between (default 3). */
  readonly maxConsecutiveDeaths?: number;
}

/** What a worker said when it became ready. */
export interface WorkerRuntime {
  readonly runtime?: string;
  readonly runtimeMessage?: string;
}

interface Slot {
  worker: Worker;
  job?: Job;
  /** Set when the pool terminated the worker because its client ran past the timeout. */
  timedOut?: number;
  timer?: NodeJS.Timeout;
}

interface Job {
  readonly id: number;
  readonly task: ClientTask;
  readonly done: (o: ClientTaskOutcome) => void;
  readonly fail: (e: unknown) => void;
  readonly start: number;
  readonly timeoutMs?: number;
  /** Expected examples to train, for longest-first ordering. */
  readonly work: number;
}

/** How long past a client's timeout the pool waits for the worker's own deadline check before terminating it. */
const TIMEOUT_GRACE_MS = 500;

/** A client's expected work in examples (rows × epochs) when its data is a batch plan (a `ClientBatches` or its reference), else 0. */
function workOf(task: ClientTask): number {
  const plan = (task.data as { plan?: { indices?: ArrayLike<number>; epochs?: number } }).plan;
  return (plan?.indices?.length ?? 0) * (plan?.epochs ?? 1);
}

function workerFile(): URL {
  const here = new URL('./client-worker.js', import.meta.url);
  // Under vitest this module runs from src/ (TypeScript); the worker must be the built JavaScript.
  return existsSync(fileURLToPath(here)) ? here : new URL('../../dist/executors/client-worker.js', import.meta.url);
}

/**
 * Runs clients on `worker_threads`, each worker with its own tfjs, runtime
 * and model, built by the environment module from the same registry as the
 * main thread. Tasks are plain data: a round's weights are copied once
 * into shared memory that every worker reads, updates come back as
 * transferred Float32Arrays, and client data travels as references (a dataset with `toDataRef()`)
 * resolved by the worker over data held in shared memory. Training is
 * {@link runClientTask}, as in-process, so results equal the in-process
 * executor's to the bit. Clients with the most examples go first and a free
 * worker takes the next task (so all stay busy to the end of a round); each outcome is streamed to `onOutcome` as it arrives.
 * A worker that dies fails its client (a failure of the round), is replaced,
 * and the round goes on; several deaths in a row reject the round.
 *
 * @example
 * ```ts
 * const pool = new WorkerPoolExecutor({ environment: { module: envModuleUrl, options: { task: 'mnist-2nn' } }, sharedData: train, numWorkers: 2 });
 * await pool.start();
 * const process = buildWeightedFedAvg({ modelFn, clientOptimizer: { name: 'sgd', learningRate: 0.1 }, executor: pool });
 * await pool.close();
 * ```
 */
export class WorkerPoolExecutor implements ClientExecutor {
  readonly name = 'worker-threads';
  readonly acceptsLocalValues = false;
  readonly numWorkers: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly shared: SharedLabeledArrays | undefined;
  /** Each round's weights in shared memory, made when the round's first task is sent (every task of a round holds the same object). */
  private readonly sharedWeights = new WeakMap<ModelWeightArrays, ModelWeightArrays>();
  private nextId = 0;
  private deathsInARow = 0;
  private closed = false;
  private fatal: Error | undefined;
  /** One entry per started worker: the runtime it activated. */
  readonly workerRuntimes: WorkerRuntime[] = [];

  constructor(private readonly options: WorkerPoolOptions) {
    this.numWorkers = options.numWorkers ?? cpus().length;
    if (!Number.isInteger(this.numWorkers) || this.numWorkers < 1) throw new RangeError(`numWorkers must be a positive integer, found ${this.numWorkers}.`);
    this.shared = options.sharedData === undefined ? undefined : toShared(options.sharedData);
  }

  /** Starts the workers and waits until each has its environment. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.numWorkers }, () => this.spawn()));
  }

  private async spawn(): Promise<Slot> {
    const worker = new Worker(workerFile(), { workerData: { environment: this.options.environment, shared: this.shared } });
    const slot: Slot = { worker };
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: { ready?: boolean; fatal?: string } & WorkerRuntime): void => {
        if (m.ready === true) {
          worker.off('message', onMessage);
          worker.off('exit', onExit);
          this.workerRuntimes.push({ ...(m.runtime === undefined ? {} : { runtime: m.runtime }), ...(m.runtimeMessage === undefined ? {} : { runtimeMessage: m.runtimeMessage }) });
          resolve();
        } else if (m.fatal !== undefined) {
          void worker.terminate();
          reject(new Error(`A client worker failed to start: ${m.fatal}`));
        }
      };
      const onExit = (code: number): void => reject(new Error(`A client worker exited with code ${code} before it was ready.`));
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.once('error', reject);
    });
    worker.on('message', (m: { id: number; outcome?: ClientTaskOutcome; aborted?: boolean }) => this.onMessage(slot, m));
    worker.on('error', () => undefined); // 'exit' follows and is handled there.
    worker.once('exit', (code) => this.onExit(slot, code));
    this.slots.push(slot);
    this.pump();
    return slot;
  }

  private onMessage(slot: Slot, m: { id: number; outcome?: ClientTaskOutcome; aborted?: boolean }): void {
    const job = slot.job;
    if (job === undefined || job.id !== m.id) return;
    slot.job = undefined;
    clearTimeout(slot.timer);
    this.deathsInARow = 0;
    if (m.aborted === true || m.outcome === undefined) job.fail(new DOMException('The round was aborted.', 'AbortError'));
    else job.done({ ...m.outcome, clientIndex: job.task.clientIndex });
    this.pump();
  }

  private onExit(slot: Slot, code: number): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    if (this.closed) return;
    const job = slot.job;
    slot.job = undefined;
    clearTimeout(slot.timer);
    // A worker the pool terminated for a client past its timeout is replaced without counting as a death.
    if (slot.timedOut === undefined) this.deathsInARow += 1;
    const cause =
      slot.timedOut === undefined
        ? `its worker thread died (exit code ${code})`
        : `still running after the client timeout of ${slot.timedOut} ms, so its worker thread was terminated and replaced`;
    if (job !== undefined) {
      job.done({
        clientIndex: job.task.clientIndex,
        ok: false,
        error: `client ${job.task.clientId ?? job.task.clientIndex}: ${cause}`,
        numExamples: 0,
        numBatches: 0,
        ms: performance.now() - job.start,
      });
    }
    const limit = this.options.maxConsecutiveDeaths ?? 3;
    if (slot.timedOut === undefined && this.deathsInARow >= limit) {
      this.fatal = new Error(`${this.deathsInARow} client worker threads died in a row (last: exit code ${code}); stopping. Check memory limits and the task's model.`);
      for (const j of this.queue.splice(0)) j.fail(this.fatal);
      return;
    }
    this.spawn().catch((e: unknown) => {
      this.fatal = e instanceof Error ? e : new Error(String(e));
      for (const j of this.queue.splice(0)) j.fail(this.fatal);
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job !== undefined) continue;
      const job = this.queue.shift();
      if (job === undefined) return;
      slot.job = job;
      if (job.timeoutMs !== undefined) {
        // The worker checks the deadline between batches itself; this is the backstop for a client stuck inside one.
        const ms = job.timeoutMs;
        slot.timer = setTimeout(() => {
          if (slot.job !== job) return;
          slot.timedOut = ms;
          void slot.worker.terminate();
        }, ms + TIMEOUT_GRACE_MS);
      }
      let weights = this.sharedWeights.get(job.task.weights);
      if (weights === undefined) {
        weights = shareWeights(job.task.weights);
        this.sharedWeights.set(job.task.weights, weights);
      }
      const data = isClientDataRef(job.task.data) ? job.task.data : (job.task.data as unknown as { toDataRef(): unknown }).toDataRef();
      slot.worker.postMessage({ type: 'run', id: job.id, timeoutMs: job.timeoutMs, task: { ...job.task, weights, data } });
    }
  }

  async runClients(tasks: readonly ClientTask[], options: RunClientsOptions = {}): Promise<ClientTaskOutcome[]> {
    if (this.slots.length === 0 && this.fatal === undefined) throw new Error('WorkerPoolExecutor.start() must be awaited before runClients.');
    if (this.fatal !== undefined) throw this.fatal;
    for (const t of tasks) {
      if (typeof t.optimizer === 'function') {
        throw new TypeError(
          `Client ${t.clientId ?? t.clientIndex}'s optimizer is a function, which cannot reach a worker thread; ` +
            "give the algorithm a plain config instead, e.g. clientOptimizer: { name: 'sgd', learningRate: 0.1 }.",
        );
      }
      if (!isClientDataRef(t.data) && !hasDataRef(t.data)) {
        throw new TypeError(
          `Client ${t.clientId ?? t.clientIndex}'s dataset cannot be sent to a worker thread; give the round datasets with toDataRef() ` +
            '(e.g. ClientBatches from @fedkit/datasets over the shared data), or use the in-process executor.',
        );
      }
    }
    const { signal } = options;
    signal?.throwIfAborted();
    const kept: ClientTaskOutcome[] = [];
    const jobs = tasks.map(
      (task) =>
        new Promise<void>((resolve, reject) => {
          const job: Job = {
            id: this.nextId++,
            task,
            work: workOf(task),
            start: performance.now(),
            ...(options.clientTimeoutMs === undefined ? {} : { timeoutMs: options.clientTimeoutMs }),
            done: (o) => {
              if (options.onOutcome === undefined) kept.push(o);
              else options.onOutcome(o);
              resolve();
            },
            fail: reject,
          };
          this.queue.push(job);
        }),
    );
    // Longest first (LPT): the clients with the most examples start first, so the round does not end
    // with one worker training a big client while the others wait. Sums do not depend on the order
    // (client work releases results in client-index order).
    this.queue.sort((a, b) => b.work - a.work);
    const onAbort = (): void => {
      const reason: unknown = signal?.reason;
      for (const j of this.queue.splice(0)) j.fail(reason);
      for (const s of this.slots) if (s.job !== undefined) s.worker.postMessage({ type: 'abort', id: s.job.id });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    this.pump();
    try {
      await Promise.all(jobs);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    // Workers kept dying during the round, even if the deaths only failed clients already running: stop with the cause.
    if (this.fatal !== undefined) throw this.fatal;
    return kept;
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}
