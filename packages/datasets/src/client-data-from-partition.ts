import { ValueError } from '@fedkit/core';

import { fromClientsAndFn, type ClientData } from './client-data.js';
import { ClientDataset } from './client-dataset.js';
import type { NdArrayData } from './nd-array.js';
import type { Partition } from './partition.js';

/** Options of {@link clientDataFromPartition}. */
export interface ClientDataFromPartitionOptions {
  /** Shape of one label; `[1]` by default, so batches of labels are `[batch, 1]`. */
  readonly labelShape?: readonly number[];
  /** Client ids, one per partition entry; `'0'`, `'1'`, ... by default. */
  readonly clientIds?: readonly string[];
  /**
   * dtype of the labels; default: that of `ys`. fedkit's losses take int32
   * labels, but tfjs-layers' own `sparseCategoricalCrossentropy` (used by
   * `model.compile` + `fit`/`trainOnBatch`) throws on int32 labels, so pass
   * `'float32'` when training through tfjs-layers directly. The labels are
   * converted once and shared by all clients.
   */
  readonly labelDtype?: 'int32' | 'float32';
}

/**
 * A federated {@link ClientData} over one pair of flat arrays, client `c`
 * holding the examples `partition[c]` (e.g. from `partitionIid`). Only the
 * partition is kept per client; the arrays are shared, and a client's examples
 * are read (as views) only when its dataset is iterated.
 *
 * Elements are `{ x: float32[...shape], y: int32[1] }`; batching gives
 * `<x=float32[?,...shape],y=int32[?,1]>`, the label layout Keras's
 * `SparseCategoricalCrossentropy` accepts (as in TFF's EMNIST examples).
 *
 * @param shape shape of one example's features (`[784]`, or `[28, 28, 1]` for a CNN: any shape with the same size).
 * @throws ValueError when the arrays do not fit `shape`, ids and partition differ in length, or an index is out of range.
 * @example
 * ```ts
 * const { train } = loadMnist();
 * const cd = clientDataFromPartition(train.x, train.y, partitionIid(train.y, 100), [784])
 *   .preprocess((ds) => ds.shuffle(100, 0).batch(20));
 * ```
 */
export function clientDataFromPartition(
  xs: NdArrayData,
  ys: NdArrayData,
  partition: Partition,
  shape: readonly number[],
  options: ClientDataFromPartitionOptions = {},
): ClientData {
  const ids = options.clientIds ?? partition.map((_, c) => String(c));
  if (ids.length !== partition.length) {
    throw new ValueError(`clientDataFromPartition: ${ids.length} client ids for a partition of ${partition.length} clients; give one id per client.`);
  }
  const labelShape = options.labelShape ?? [1];
  const labels =
    options.labelDtype === 'float32' && !(ys instanceof Float32Array)
      ? Float32Array.from(ys)
      : options.labelDtype === 'int32' && !(ys instanceof Int32Array)
        ? Int32Array.from(ys)
        : ys;
  // Validate the shapes once, on an empty selection, so a mistake shows up here rather than at first use.
  ClientDataset.fromArrays(xs, labels, { xShape: shape, yShape: labelShape, indices: [] });
  const position = new Map(ids.map((id, c) => [id, c]));
  return fromClientsAndFn(ids, (id) =>
    ClientDataset.fromArrays(xs, labels, { xShape: shape, yShape: labelShape, indices: partition[position.get(id)!]! }),
  );
}
