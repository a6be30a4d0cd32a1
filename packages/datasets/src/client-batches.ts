import * as tf from '@tensorflow/tfjs';

import { ValueError, type Batch, type ClientDataRef, type LabeledArrays, type ReferencedDataset } from '@fedkit/core';

import { createRng, shuffleInPlace } from './seeded-rng.js';

/** Which examples a client has and how it batches them in a round. */
export interface ClientBatchPlan {
  /** Row indices into the shared {@link LabeledArrays}. */
  readonly indices: readonly number[] | Int32Array;
  readonly batchSize: number;
  /** Local epochs: passes over the indices (E in the FedAvg paper). */
  readonly epochs: number;
  /** Seed of the per-epoch shuffle; undefined keeps the given order. */
  readonly shuffleSeed?: string;
}

/** The data reference a {@link ClientBatches} travels as: its plan over data the receiver already holds. */
export interface ArrayPlanRef extends ClientDataRef {
  readonly kind: 'array-plan';
  readonly plan: ClientBatchPlan;
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
    if (plan.shuffleSeed !== undefined) shuffleInPlace(order, createRng(`${plan.shuffleSeed}:epoch${e}`));
    for (let i = 0; i < order.length; i += plan.batchSize) batches.push(order.slice(i, i + plan.batchSize));
  }
  return batches;
}

/** Typed arrays a batch is assembled in; {@link ClientBatches} reuses them where the backend copies tensor values. */
export interface BatchBuffers {
  readonly x: Float32Array;
  readonly y: Float32Array | Int32Array;
}

/**
 * Copies rows of `data` into one batch `{ x, y }` (tensors owned by the caller).
 * With `buffers` (at least `rows.length` examples long) the rows are assembled
 * there instead of in fresh arrays: only for a backend that copies a tensor's
 * values at creation (wasm), since the cpu backend keeps the array itself.
 */
export function gatherBatch(data: LabeledArrays, rows: readonly number[], buffers?: BatchBuffers): Batch {
  const labelShape = data.labelShape ?? [];
  const xs = size(data.exampleShape);
  const ys = size(labelShape);
  const yInt = data.y instanceof Int32Array;
  const x = buffers === undefined ? new Float32Array(rows.length * xs) : buffers.x.subarray(0, rows.length * xs);
  const y = buffers === undefined ? (yInt ? new Int32Array(rows.length * ys) : new Float32Array(rows.length * ys)) : buffers.y.subarray(0, rows.length * ys);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    x.set(data.x.subarray(r * xs, (r + 1) * xs), i * xs);
    y.set(data.y.subarray(r * ys, (r + 1) * ys), i * ys);
  }
  return {
    x: tf.tensor(x, [rows.length, ...data.exampleShape], 'float32'),
    y: tf.tensor(y, [rows.length, ...labelShape], yInt ? 'int32' : 'float32'),
  };
}

/** Buffers for batches of up to `batchSize` examples of `data`. */
function batchBuffers(data: LabeledArrays, batchSize: number): BatchBuffers {
  const ys = size(data.labelShape ?? []);
  return {
    x: new Float32Array(batchSize * size(data.exampleShape)),
    y: data.y instanceof Int32Array ? new Int32Array(batchSize * ys) : new Float32Array(batchSize * ys),
  };
}

/**
 * One client's data for one round over {@link LabeledArrays}: an
 * `Iterable<Batch>` that makes each batch's tensors only when asked (the
 * consumer disposes them) and stops with the signal's reason once `signal` is
 * aborted. It travels to other threads as its plan (`toDataRef()`), resolved
 * there over the same data with {@link resolveArrayPlan}.
 *
 * @example
 * ```ts
 * const ds = new ClientBatches(train, { indices: [0, 1, 2], batchSize: 2, epochs: 1, shuffleSeed: 's:1:0' });
 * for (const batch of ds) { ...; tf.dispose([batch.x, batch.y]); }
 * ```
 */
export class ClientBatches implements Iterable<Batch>, ReferencedDataset {
  constructor(
    readonly data: LabeledArrays,
    readonly plan: ClientBatchPlan,
    readonly signal?: AbortSignal,
  ) {}

  *[Symbol.iterator](): Iterator<Batch> {
    // The wasm backend copies a new tensor's values into its heap, so one pair of buffers serves every batch;
    // the cpu backend keeps the array as the tensor's data, so there each batch needs its own.
    const buffers = tf.getBackend() === 'wasm' ? batchBuffers(this.data, this.plan.batchSize) : undefined;
    for (const rows of batchIndices(this.plan)) {
      this.signal?.throwIfAborted();
      yield gatherBatch(this.data, rows, buffers);
    }
  }

  toDataRef(): ArrayPlanRef {
    return { kind: 'array-plan', plan: { ...this.plan, indices: Array.from(this.plan.indices) } };
  }
}

/**
 * The dataset an `array-plan` reference names, over `data`.
 * @throws ValueError for another kind of reference or rows outside `data`.
 * @example
 * ```ts
 * const ds = resolveArrayPlan(train, new ClientBatches(train, plan).toDataRef());
 * ```
 */
export function resolveArrayPlan(data: LabeledArrays, ref: ClientDataRef, signal?: AbortSignal): ClientBatches {
  if (ref.kind !== 'array-plan') throw new ValueError(`Expected a data reference of kind "array-plan", found "${ref.kind}".`);
  const plan = (ref as ArrayPlanRef).plan;
  for (const i of plan.indices) {
    if (!Number.isInteger(i) || i < 0 || i >= data.numExamples) {
      throw new ValueError(`The data reference names row ${i}, but the data has rows 0..${data.numExamples - 1}.`);
    }
  }
  return new ClientBatches(data, plan, signal);
}

/** Splits `data` into consecutive batches of `batchSize` (for evaluation). */
export function arrayBatches(data: LabeledArrays, batchSize: number, signal?: AbortSignal): ClientBatches {
  return new ClientBatches(data, { indices: Array.from({ length: data.numExamples }, (_, i) => i), batchSize, epochs: 1 }, signal);
}
