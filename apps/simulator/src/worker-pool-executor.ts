import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import type { ClientExecutor, ClientTask, ClientTaskOutcome } from '@fedkit/learning';

import { ClientBatches, type ArrayData } from './array-data.js';

/** Options of {@link WorkerPoolExecutor}. */
export interface WorkerPoolOptions {
  /** A built-in task name or an absolute path to a task module (each worker loads it). */
  readonly task: string;
  /** Seed passed to the task's model factory (weights are overwritten per client anyway). */
  readonly seed: number;
  /** The runtime each worker activates (`wasm`, `cpu`): use the one the main thread got. */
  readonly runtime: string;
  /** Client SGD learning rate. */
  readonly clientLr: number;
  /** The training data every client indexes into; copied once into shared memory. */
  readonly data: ArrayData;
  /** Number of worker threads; default the number of CPU cores. */
  readonly numWorkers?: number;
}

interface Slot {
  readonly worker: Worker;
  busy: boolean;
}

interface Pending {
  resolve(o: ClientTaskOutcome): void;
  reject(e: unknown): void;
  slot: Slot;
  clientIndex: number;
}

function workerFile(): URL {
  const here = new URL('./client-worker.js', import.meta.url);
  // Under vitest this module runs from src/ (TypeScript); the worker must be the built JavaScript.
  return existsSync(fileURLToPath(here)) ? here : new URL('../dist/client-worker.js', import.meta.url);
}

function share(a: Float32Array | Int32Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(a.byteLength);
  new Uint8Array(sab).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return sab;
}

/**
 * Runs clients on `worker_threads`, each worker with its own tfjs, runtime
 * and model built once from the task module. Weights travel as transferable
 * Float32Arrays, client data as index lists over training data held in
 * shared memory (so a client's dataset must be a {@link ClientBatches}).
 * Training is the same function as in-process ({@link trainClient}) with the
 * same data order, so results equal the sequential executor's to the bit.
 *
 * @example
 * ```ts
 * const pool = new WorkerPoolExecutor({ task: 'mnist-2nn', seed: 0, runtime: 'wasm', clientLr: 0.1, data: train });
 * await pool.start();
 * const process = buildWeightedFedAvg({ modelFn, clientOptimizerFn, executor: pool });
 * // ...
 * await pool.close();
 * ```
 */
export class WorkerPoolExecutor implements ClientExecutor {
  readonly numWorkers: number;
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly options: WorkerPoolOptions) {
    this.numWorkers = options.numWorkers ?? cpus().length;
    if (!Number.isInteger(this.numWorkers) || this.numWorkers < 1) throw new RangeError(`numWorkers must be a positive integer, found ${this.numWorkers}.`);
  }

  /** Starts the workers and waits until each has its runtime and model. */
  async start(): Promise<void> {
    const d = this.options.data;
    const init = {
      task: this.options.task,
      seed: this.options.seed,
      runtime: this.options.runtime,
      clientLr: this.options.clientLr,
      x: share(d.x),
      y: share(d.y),
      yInt: d.y instanceof Int32Array,
      xShape: [...d.xShape],
      yShape: [...d.yShape],
      count: d.count,
    };
    await Promise.all(
      Array.from({ length: this.numWorkers }, async () => {
        const worker = new Worker(workerFile(), { workerData: init });
        const slot: Slot = { worker, busy: false };
        this.slots.push(slot);
        await new Promise<void>((resolve, reject) => {
          const onMessage = (m: { ready?: boolean; fatal?: string }): void => {
            if (m.ready === true) {
              worker.off('message', onMessage);
              resolve();
            } else if (m.fatal !== undefined) reject(new Error(`A client worker failed to start: ${m.fatal}`));
          };
          worker.on('message', onMessage);
          worker.once('error', reject);
        });
        worker.on('message', (m: { id: number; ok: boolean; aborted?: boolean } & Record<string, unknown>) => this.onResult(m));
        worker.on('error', (e) => {
          for (const [id, p] of this.pending) if (p.slot === slot) (this.pending.delete(id), p.reject(e));
        });
      }),
    );
  }

  private onResult(m: { id: number; ok: boolean; aborted?: boolean } & Record<string, unknown>): void {
    const p = this.pending.get(m.id);
    if (p === undefined) return;
    this.pending.delete(m.id);
    p.slot.busy = false;
    this.waiting.shift()?.();
    if (m.ok) {
      p.resolve({ clientIndex: p.clientIndex, ok: true, result: m['result'] as never, ms: m['ms'] as number });
    } else if (m.aborted === true) {
      p.reject(new DOMException('The round was aborted.', 'AbortError'));
    } else {
      p.resolve({
        clientIndex: p.clientIndex,
        ok: false,
        error: m['error'] as string,
        numExamples: m['numExamples'] as number,
        numBatches: m['numBatches'] as number,
        ms: m['ms'] as number,
      });
    }
  }

  private async acquire(signal?: AbortSignal): Promise<Slot> {
    for (;;) {
      signal?.throwIfAborted();
      const free = this.slots.find((s) => !s.busy);
      if (free !== undefined) {
        free.busy = true;
        return free;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  async runClients(tasks: readonly ClientTask[], options: { readonly signal?: AbortSignal } = {}): Promise<ClientTaskOutcome[]> {
    if (this.slots.length === 0) throw new Error('WorkerPoolExecutor.start() must be awaited before runClients.');
    return Promise.all(tasks.map((t) => this.runOne(t, options.signal)));
  }

  private async runOne(task: ClientTask, signal?: AbortSignal): Promise<ClientTaskOutcome> {
    if (!(task.data instanceof ClientBatches)) {
      throw new TypeError(
        `WorkerPoolExecutor sends client data as index lists, so client ${task.clientIndex}'s dataset must be a ClientBatches; ` +
          'use the sequential executor for other datasets.',
      );
    }
    const slot = await this.acquire(signal);
    const id = this.nextId++;
    const w = task.weights;
    const trainable = w.trainable.map((a) => a.slice());
    const nonTrainable = w.nonTrainable.map((a) => a.slice());
    return new Promise<ClientTaskOutcome>((resolve, reject) => {
      const onAbort = (): void => slot.worker.postMessage({ type: 'abort', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, { resolve: (o) => (done(), resolve(o)), reject: (e) => (done(), reject(e)), slot, clientIndex: task.clientIndex });
      slot.worker.postMessage(
        {
          type: 'train',
          id,
          clientIndex: task.clientIndex,
          trainable,
          nonTrainable,
          trainableShapes: w.trainableShapes,
          nonTrainableShapes: w.nonTrainableShapes,
          training: task.training,
          plan: (task.data as ClientBatches).plan,
        },
        [...trainable, ...nonTrainable].map((a) => a.buffer as ArrayBuffer),
      );
    });
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}
