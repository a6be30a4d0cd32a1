import * as tf from '@tensorflow/tfjs';
import type { Batch } from '@fedkit/core';

import type { SyntheticExamples } from './synthetic-data.js';

/**
 * A client dataset for fedkit's training loop: batches of `batch` examples (the last one partial), made as
 * tensors only when iterated and owned (disposed) by the consumer, as core's `ClientDataset` contract says.
 * Iterable again for every round.
 *
 * @example
 * ```ts
 * await process.next(state, clients.map((c) => batchesOf(c, 20)));
 * ```
 */
export function batchesOf(ex: SyntheticExamples, batch: number): Iterable<Batch> {
  const size = ex.x.length / ex.n;
  return {
    *[Symbol.iterator]() {
      for (let s = 0; s < ex.n; s += batch) {
        const m = Math.min(batch, ex.n - s);
        yield { x: tf.tensor(ex.x.subarray(s * size, (s + m) * size), [m, ...ex.xShape]), y: tf.tensor1d(ex.y.subarray(s, s + m), 'int32') };
      }
    },
  };
}
