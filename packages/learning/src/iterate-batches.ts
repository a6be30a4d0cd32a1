import { disposeBatch, type Batch, type ClientDataset } from '@fedkit/core';

/**
 * Yields the batches of a client dataset: a sync or async iterable, or a
 * tfjs-data `Dataset` (through its `iterator()`). Checks `signal` before each
 * batch, so an aborted round stops between batches. The consumer disposes the
 * batches it receives, so an array of tensors can be used once only: pass a
 * re-iterable that makes fresh tensors per pass (a tfjs-data `Dataset`, or an
 * object whose `[Symbol.iterator]` is a generator) to train for several rounds.
 *
 * @throws TypeError when `dataset` is none of the accepted kinds.
 * @example
 * ```ts
 * for await (const batch of iterateBatches(tf.data.array(rows).batch(32))) { ... }
 * ```
 */
export async function* iterateBatches(dataset: ClientDataset, signal?: AbortSignal): AsyncGenerator<Batch> {
  const d = dataset as unknown as Record<PropertyKey, unknown>;
  if (typeof d[Symbol.asyncIterator] === 'function' || typeof d[Symbol.iterator] === 'function') {
    signal?.throwIfAborted();
    for await (const batch of dataset as AsyncIterable<Batch> | Iterable<Batch>) {
      if (signal?.aborted === true) {
        // Pulled but never handed to the consumer, so it is ours to dispose.
        disposeBatch(batch);
        signal.throwIfAborted();
      }
      yield batch;
    }
    return;
  }
  if (typeof d['iterator'] === 'function') {
    const it = await (dataset as { iterator(): Promise<{ next(): Promise<IteratorResult<Batch>> }> }).iterator();
    for (;;) {
      signal?.throwIfAborted();
      const r = await it.next();
      if (r.done === true) return;
      yield r.value;
    }
  }
  throw new TypeError(
    'A client dataset must be an Iterable<Batch>, an AsyncIterable<Batch> or a tfjs-data Dataset, ' +
      `found ${dataset === null ? 'null' : typeof dataset}. Wrap arrays of batches as they are; wrap generators by calling them.`,
  );
}
