import type * as tf from '@tensorflow/tfjs';

import type { ClientDataset, Model, ModelWeightArrays } from '@fedkit/core';

import { ClientTrainingError, trainClient, type ClientTrainingConfig, type ClientTrainingResult } from './train-client.js';

/** One client's job for a round. */
export interface ClientTask {
  /** Position of the client in the round's `clientData`. */
  readonly clientIndex: number;
  /** The broadcast weights. */
  readonly weights: ModelWeightArrays;
  readonly data: ClientDataset;
  /** How to compute the update (plain JSON, can cross to a worker). */
  readonly training: ClientTrainingConfig;
}

/** The outcome of a {@link ClientTask}: a result, or a failure as data. */
export type ClientTaskOutcome =
  | { readonly clientIndex: number; readonly ok: true; readonly result: ClientTrainingResult; readonly ms: number }
  | {
      readonly clientIndex: number;
      readonly ok: false;
      readonly error: string;
      readonly numExamples: number;
      readonly numBatches: number;
      readonly ms: number;
    };

/**
 * Runs the clients of a round. The default runs them one after another in this
 * thread; a simulator can pass a parallel one (e.g. worker threads, each with
 * its own model from `modelFn` calling {@link trainClient}). Outcomes may come
 * back in any order: the process sorts them by `clientIndex`.
 * An aborted `signal` must make `runClients` reject.
 */
export interface ClientExecutor {
  runClients(tasks: readonly ClientTask[], options?: { readonly signal?: AbortSignal }): Promise<ClientTaskOutcome[]>;
}

/**
 * The default {@link ClientExecutor}: one model, reused for every client by
 * assigning weights; a fresh client optimizer per client, disposed after.
 * A failing client becomes a `{ ok: false }` outcome; an abort rejects.
 *
 * @example
 * ```ts
 * const executor = new SequentialExecutor(modelFn(), () => tf.train.sgd(0.1));
 * ```
 */
export class SequentialExecutor implements ClientExecutor {
  constructor(
    private readonly model: Model,
    private readonly clientOptimizerFn?: () => tf.Optimizer,
  ) {}

  async runClients(tasks: readonly ClientTask[], options: { readonly signal?: AbortSignal } = {}): Promise<ClientTaskOutcome[]> {
    const outcomes: ClientTaskOutcome[] = [];
    for (const task of tasks) {
      options.signal?.throwIfAborted();
      const start = performance.now();
      const optimizer = task.training.mode === 'local_training' ? this.clientOptimizerFn?.() : undefined;
      try {
        const result = await trainClient(this.model, task.weights, task.data, optimizer, {
          ...task.training,
          clientIndex: task.clientIndex,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
        outcomes.push({ clientIndex: task.clientIndex, ok: true, result, ms: performance.now() - start });
      } catch (e) {
        if (options.signal?.aborted === true) throw e;
        outcomes.push({
          clientIndex: task.clientIndex,
          ok: false,
          error: e instanceof Error ? e.message : String(e),
          numExamples: e instanceof ClientTrainingError ? e.numExamples : 0,
          numBatches: e instanceof ClientTrainingError ? e.numBatches : 0,
          ms: performance.now() - start,
        });
      } finally {
        optimizer?.dispose();
      }
    }
    return outcomes;
  }
}
