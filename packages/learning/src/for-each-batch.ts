import { checkCompatible, disposeBatch, normalizeBatch, type ClientDataset, type Model, type NamedBatch } from '@fedkit/core';

import { ClientTrainingError } from './client-training-error.js';
import { iterateBatches } from './iterate-batches.js';

/** Options of {@link forEachBatch}. */
export interface ForEachBatchOptions {
  /** Checked before each batch; an abort rethrows the signal's reason. */
  readonly signal?: AbortSignal;
  /** Starts every error message, e.g. `client 7`. */
  readonly label: string;
  /** A `performance.now()` time after which no further batch starts (the client fails with a ClientTrainingError). */
  readonly deadline?: number;
}

/** How much of a dataset {@link forEachBatch} consumed. */
export interface BatchCounts {
  readonly numExamples: number;
  readonly numBatches: number;
}

/**
 * The one batch loop of fedkit, shared by every client update block and by
 * evaluation: takes each batch of `dataset`, checks it against
 * `model.inputSpec`, hands it to `step` (which returns the batch's number of
 * examples) and disposes it. `step` may call `forwardPass` with `{ inputChecked: true }`.
 *
 * @throws ClientTrainingError (with the counts reached) when the data or `step` fails; the message starts with `label:`.
 * @example
 * ```ts
 * const { numExamples } = await forEachBatch(model, dataset, (batch) => model.forwardPass(batch, false).numExamples, { label: 'client 0' });
 * ```
 */
export async function forEachBatch(
  model: Model,
  dataset: ClientDataset,
  step: (batch: NamedBatch) => number,
  options: ForEachBatchOptions,
): Promise<BatchCounts> {
  let numExamples = 0;
  let numBatches = 0;
  try {
    for await (const batch of iterateBatches(dataset, options.signal)) {
      // Checked by the clock, not a timer: a dataset that never waits on I/O would starve a timer.
      if (options.deadline !== undefined && performance.now() > options.deadline) {
        disposeBatch(batch);
        throw new ClientTrainingError(`${options.label}: passed its deadline after ${numBatches} batches; the round goes on without it.`, numExamples, numBatches);
      }
      try {
        const named = normalizeBatch(batch);
        checkCompatible(model.inputSpec, named.y === undefined ? { x: named.x } : named);
        numExamples += step(named);
        numBatches += 1;
      } finally {
        disposeBatch(batch);
      }
    }
  } catch (e) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    if (e instanceof ClientTrainingError) throw e;
    throw new ClientTrainingError(`${options.label}: ${e instanceof Error ? e.message : String(e)}`, numExamples, numBatches, { cause: e });
  }
  return { numExamples, numBatches };
}
