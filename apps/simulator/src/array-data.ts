import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';

import type { Batch } from '@fedkit/core';

/**
 * A data set held as flat typed arrays (examples along the first axis): the
 * form in which the simulator shares data with worker threads.
 */
export interface ArrayData {
  /** Features, `count × prod(xShape)` values. */
  readonly x: Float32Array;
  /** Labels, `count × prod(yShape)` values. */
  readonly y: Float32Array | Int32Array;
  /** Shape of one example's features, e.g. `[784]` or `[28, 28, 1]`. */
  readonly xShape: readonly number[];
  /** Shape of one example's label: `[]` for a sparse class id. */
  readonly yShape: readonly number[];
  readonly count: number;
}

/** Which examples a client has and how it batches them in a round. */
export interface ClientBatchPlan {
  /** Row indices into the shared {@link ArrayData}. */
  readonly indices: readonly number[] | Int32Array;
  readonly batchSize: number;
  /** Local epochs: passes over the indices (E in the FedAvg paper). */
  readonly epochs: number;
  /** Seed of the per-epoch shuffle; undefined keeps the given order. */
  readonly shuffleSeed?: string;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The example order of each batch of a plan (deterministic for a given `shuffleSeed`). */
export function batchIndices(plan: ClientBatchPlan): number[][] {
  if (!Number.isInteger(plan.batchSize) || plan.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, found ${plan.batchSize}.`);
  const batches: number[][] = [];
  for (let e = 0; e < plan.epochs; e++) {
    const order = Array.from(plan.indices);
    if (plan.shuffleSeed !== undefined) {
      const rng = seedrandom(`${plan.shuffleSeed}:epoch${e}`);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
    }
    for (let i = 0; i < order.length; i += plan.batchSize) batches.push(order.slice(i, i + plan.batchSize));
  }
  return batches;
}

/** Copies rows of `data` into one batch `{ x, y }` (tensors owned by the caller). */
export function gatherBatch(data: ArrayData, rows: readonly number[]): Batch {
  const xs = size(data.xShape);
  const ys = size(data.yShape);
  const x = new Float32Array(rows.length * xs);
  const y = data.y instanceof Int32Array ? new Int32Array(rows.length * ys) : new Float32Array(rows.length * ys);
  rows.forEach((r, i) => {
    x.set(data.x.subarray(r * xs, (r + 1) * xs), i * xs);
    y.set(data.y.subarray(r * ys, (r + 1) * ys), i * ys);
  });
  return {
    x: tf.tensor(x, [rows.length, ...data.xShape], 'float32'),
    y: tf.tensor(y, [rows.length, ...data.yShape], data.y instanceof Int32Array ? 'int32' : 'float32'),
  };
}

/**
 * One client's data for one round: an `Iterable<Batch>` that makes each
 * batch's tensors only when asked (the consumer disposes them) and stops with
 * the signal's reason once `signal` is aborted, before making any tensor.
 * It carries its {@link ArrayData} and {@link ClientBatchPlan}, which is what
 * a worker-thread executor sends instead of tensors.
 *
 * @example
 * ```ts
 * const ds = new ClientBatches(train, { indices: [0, 1, 2], batchSize: 2, epochs: 1, shuffleSeed: 's:1:0' });
 * for (const batch of ds) { ...; tf.dispose([batch.x, batch.y]); }
 * ```
 */
export class ClientBatches implements Iterable<Batch> {
  constructor(
    readonly data: ArrayData,
    readonly plan: ClientBatchPlan,
    readonly signal?: AbortSignal,
  ) {}

  *[Symbol.iterator](): Iterator<Batch> {
    for (const rows of batchIndices(this.plan)) {
      this.signal?.throwIfAborted();
      yield gatherBatch(this.data, rows);
    }
  }
}

/** Splits `data` into consecutive batches of `batchSize` (for evaluation). */
export function arrayBatches(data: ArrayData, batchSize: number, signal?: AbortSignal): ClientBatches {
  return new ClientBatches(data, { indices: Array.from({ length: data.count }, (_, i) => i), batchSize, epochs: 1 }, signal);
}
