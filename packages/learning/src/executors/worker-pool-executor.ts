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

import type { BoardMessage } from './client-worker.js';
import { recycleLent } from './result-buffers.js';
import { sharedWeightBytes, shareWeights, toShared, type SharedLabeledArrays } from './shared-arrays.js';
import { TaskClaims } from './task-claims.js';

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
  /** The tag this worker writes into a claim board (unique in the pool, > 0). */
  readonly tag: number;
  /** The client it said it started and has not reported yet. */
  running?: Job;
  /** Set when the pool terminated the worker because its client ran past the timeout. */
  timedOut?: number;
  timer?: NodeJS.Timeout;
}

interface Job {
  readonly id: number;
  readonly task: ClientTask;
  /** Its place in its board (the order workers claim in). */
  readonly index: number;
  readonly done: (o: ClientTaskOutcome) => void;
  readonly fail: (e: unknown) => void;
  start: number;
  readonly timeoutMs?: number;
  finished: boolean;
}

/** One runClients call: its tasks, posted once to every worker, and the shared board they claim them from. */
interface Board {
  readonly claims: TaskClaims;
  readonly jobs: Job[];
  readonly message: BoardMessage;
}

/** Shared weight buffers kept for reuse: a round takes one, and two cover a round and the evaluation beside it. */
const SPARE_WEIGHT_BUFFERS = 2;

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
 * into shared memory that every worker reads, and client data travels as
 * references (a dataset with `toDataRef()`) resolved by the worker over data
 * held in shared memory. Training is {@link runClientTask}, as in-process, so
 * results equal the in-process executor's to the bit.
 *
 * A round's tasks are posted once to every worker, the clients with the most
 * examples first, with a claim board in shared memory (`TaskClaims`): a
 * free worker claims the next task itself, so no worker waits for the main
 * thread between clients and all stay busy to the end of a round. Updates come
 * back in shared buffers the workers reuse once the consumer calls the
 * outcome's `recycle` (client work does after a streaming aggregator took the
 * update), else as transferred Float32Arrays. Each outcome is streamed to
 * `onOutcome` as it arrives. A worker that dies fails its client (a failure
 * of the round), is replaced, and the round goes on; several deaths in a row
 * reject the round.
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
  /** The runClients calls in progress, oldest first (workers take from the oldest). */
  private readonly boards: Board[] = [];
  private readonly jobs = new Map<number, Job>();
  private readonly shared: SharedLabeledArrays | undefined;
  /** Shared weight buffers of finished rounds, reused by the next ones (at most {@link SPARE_WEIGHT_BUFFERS}). */
  private readonly spareWeightBuffers: SharedArrayBuffer[] = [];
  private nextId = 0;
  private nextTag = 1;
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
    const tag = this.nextTag++;
    const worker = new Worker(workerFile(), { workerData: { environment: this.options.environment, shared: this.shared, tag } });
    const slot: Slot = { worker, tag };
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
    worker.on('message', (m: WorkerMessage) => this.onMessage(slot, m));
    worker.on('error', () => undefined); // 'exit' follows and is handled there.
    worker.once('exit', (code) => this.onExit(slot, code));
    this.slots.push(slot);
    // A replacement joins the rounds in progress: it claims what nobody has taken yet.
    for (const board of this.boards) worker.postMessage(board.message);
    return slot;
  }

  private onMessage(slot: Slot, m: WorkerMessage): void {
    if (m.fatal !== undefined) {
      // The worker's task loop broke outside any client: replace the worker (its client fails as for a death).
      void slot.worker.terminate();
      return;
    }
    if (m.started !== undefined) {
      const job = this.jobs.get(m.started);
      if (job === undefined) return;
      job.start = performance.now();
      slot.running = job;
      if (job.timeoutMs !== undefined) {
        // The worker checks the deadline between batches itself; this is the backstop for a client stuck inside one.
        const ms = job.timeoutMs;
        slot.timer = setTimeout(() => {
          if (slot.running !== job) return;
          slot.timedOut = ms;
          void slot.worker.terminate();
        }, ms + TIMEOUT_GRACE_MS);
      }
      return;
    }
    if (m.id === undefined) return;
    const job = this.jobs.get(m.id);
    if (slot.running !== undefined && slot.running === job) {
      slot.running = undefined;
      clearTimeout(slot.timer);
    }
    const lent = m.lent === true && m.outcome?.ok === true ? m.outcome.result : undefined;
    const recycle = lent === undefined ? undefined : once(() => recycleLent(lent.update.length > 0 ? lent.update : Object.values(lent.outputs ?? {}).flat()));
    if (job === undefined) {
      recycle?.(); // a client of a round that was given up: nobody reads it
      return;
    }
    this.deathsInARow = 0;
    if (m.aborted === true || m.outcome === undefined) this.finish(job, { error: new DOMException('The round was aborted.', 'AbortError') });
    else this.finish(job, { outcome: { ...m.outcome, clientIndex: job.task.clientIndex, ...(recycle === undefined ? {} : { recycle }) } as ClientTaskOutcome });
  }

  private finish(job: Job, how: { outcome: ClientTaskOutcome } | { error: unknown }): void {
    if (job.finished) return;
    job.finished = true;
    this.jobs.delete(job.id);
    if ('outcome' in how) job.done(how.outcome);
    else job.fail(how.error);
  }

  private onExit(slot: Slot, code: number): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    clearTimeout(slot.timer);
    if (this.closed) return;
    // A worker the pool terminated for a client past its timeout is replaced without counting as a death.
    if (slot.timedOut === undefined) this.deathsInARow += 1;
    const cause =
      slot.timedOut === undefined
        ? `its worker thread died (exit code ${code})`
        : `still running after the client timeout of ${slot.timedOut} ms, so its worker thread was terminated and replaced`;
    // The clients it claimed and did not report (at most one; the board says so even if its 'started' never arrived).
    for (const board of this.boards) {
      for (const job of board.jobs) {
        if (job.finished || board.claims.ownerOf(job.index) !== slot.tag) continue;
        this.finish(job, {
          outcome: { clientIndex: job.task.clientIndex, ok: false, error: `client ${job.task.clientId ?? job.task.clientIndex}: ${cause}`, numExamples: 0, numBatches: 0, ms: performance.now() - job.start },
        });
      }
    }
    const limit = this.options.maxConsecutiveDeaths ?? 3;
    if (slot.timedOut === undefined && this.deathsInARow >= limit) {
      this.stop(new Error(`${this.deathsInARow} client worker threads died in a row (last: exit code ${code}); stopping. Check memory limits and the task's model.`));
      return;
    }
    this.spawn().catch((e: unknown) => this.stop(e instanceof Error ? e : new Error(String(e))));
  }

  /** Fails every unfinished client of every round in progress with `error`; later rounds reject with it. */
  private stop(error: Error): void {
    this.fatal = error;
    for (const board of this.boards) {
      board.claims.close();
      for (const job of board.jobs) this.finish(job, { error });
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
    if (tasks.length === 0) return [];
    const kept: ClientTaskOutcome[] = [];
    // Longest first (LPT): the clients with the most examples start first, so the round does not end
    // with one worker training a big client while the others wait. Sums do not depend on the order
    // (client work releases results in client-index order).
    const order = tasks.map((task, i) => ({ task, i, work: workOf(task) })).sort((a, b) => b.work - a.work || a.i - b.i);
    const claims = TaskClaims.create(tasks.length);
    const jobs: Job[] = [];
    const settled = order.map(
      ({ task }, index) =>
        new Promise<void>((resolve, reject) => {
          const job: Job = {
            id: this.nextId++,
            task,
            index,
            start: performance.now(),
            finished: false,
            ...(options.clientTimeoutMs === undefined ? {} : { timeoutMs: options.clientTimeoutMs }),
            done: (o) => {
              if (options.onOutcome === undefined) kept.push(o);
              else options.onOutcome(o);
              resolve();
            },
            fail: reject,
          };
          jobs.push(job);
          this.jobs.set(job.id, job);
        }),
    );
    const id = this.nextId++;
    const shared = new Map<ModelWeightArrays, ModelWeightArrays>();
    const message: BoardMessage = {
      type: 'board',
      id,
      claims: claims.cells,
      jobs: jobs.map((j) => ({ id: j.id, task: this.toPlain(j.task, shared), ...(j.timeoutMs === undefined ? {} : { timeoutMs: j.timeoutMs }) })),
    };
    const board: Board = { claims, jobs, message };
    this.boards.push(board);
    const onAbort = (): void => {
      const reason: unknown = signal?.reason;
      // Nobody takes what is left; the clients running are told to stop and report `aborted`.
      for (const index of claims.close()) this.finish(jobs[index]!, { error: reason });
      for (const s of this.slots) s.worker.postMessage({ type: 'abort', board: id });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    for (const s of this.slots) s.worker.postMessage(message);
    try {
      await Promise.all(settled);
      // Every client reported (a worker reads the weights until it posts its outcome) or its worker is gone, so
      // the round's weight buffers are free. After an abort or a failed round a worker may still be reading: not reused.
      for (const w of shared.values()) {
        const view = w.trainable[0] ?? w.nonTrainable[0];
        if (view !== undefined) this.spareWeightBuffers.push(view.buffer as SharedArrayBuffer);
      }
      this.spareWeightBuffers.splice(0, this.spareWeightBuffers.length - SPARE_WEIGHT_BUFFERS);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.boards.splice(this.boards.indexOf(board), 1);
      // A rejected round leaves its other clients to the workers' abort handling; their late reports are dropped.
      for (const job of jobs) this.jobs.delete(job.id);
    }
    // Workers kept dying during the round, even if the deaths only failed clients already running: stop with the cause.
    if (this.fatal !== undefined) throw this.fatal;
    return kept;
  }

  /**
   * The task as it crosses to a worker: the round's weights in shared memory (once per weights object of the
   * round, in a spare buffer of an earlier round when one has the size), the data as a reference.
   */
  private toPlain(task: ClientTask, shared: Map<ModelWeightArrays, ModelWeightArrays>): ClientTask {
    let weights = shared.get(task.weights);
    if (weights === undefined) {
      const bytes = sharedWeightBytes(task.weights);
      const spare = this.spareWeightBuffers.findIndex((b) => b.byteLength === bytes);
      weights = shareWeights(task.weights, spare < 0 ? undefined : this.spareWeightBuffers.splice(spare, 1)[0]);
      shared.set(task.weights, weights);
    }
    const data = isClientDataRef(task.data) ? task.data : (task.data as unknown as { toDataRef(): ClientTask['data'] }).toDataRef();
    return { ...task, weights, data };
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}

/** What a worker posts after it is ready: a claimed client, an outcome (or abort), or a fatal error. */
interface WorkerMessage {
  readonly started?: number;
  readonly id?: number;
  readonly outcome?: ClientTaskOutcome;
  readonly aborted?: boolean;
  /** The outcome's arrays are views over a buffer the worker lent (see ResultBuffers). */
  readonly lent?: boolean;
  readonly fatal?: string;
}

function once(f: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    f();
  };
}
