import type { LabeledArrays } from '@fedkit/core';
import { ClientBatches, type Partition } from '@fedkit/datasets';
import type { PersonalizationClientData } from '@fedkit/learning';

/** Share of each client's examples it fine-tunes on; the rest is its personal test data. */
export const PERSONALIZATION_TRAIN_FRACTION = 0.8;

/**
 * Each client's own train/test split for personalization evaluation: the first 80% of its examples
 * (in partition order, which the partitions shuffle) to fine-tune on, the rest (at least one) to evaluate on.
 * Porting note: TFF's `build_personalization_eval` takes each client's `train_data` / `test_data` already
 * split; the simulator splits every client the same way. Both datasets are re-iterable (`ClientBatches`).
 * @example
 * ```ts
 * const clients = personalizationClients(data.train, partition, 10, 0); // clients[7].trainData, clients[7].testData
 * ```
 */
export function personalizationClients(train: LabeledArrays, partition: Partition, batchSize: number, seed: number, signal?: AbortSignal): PersonalizationClientData[] {
  return partition.map((indices, clientId) => {
    const numTest = Math.max(1, Math.round(indices.length * (1 - PERSONALIZATION_TRAIN_FRACTION)));
    const trainIndices = indices.slice(0, indices.length - numTest);
    const testIndices = indices.slice(indices.length - numTest);
    return {
      trainData: new ClientBatches(train, { indices: trainIndices, batchSize, epochs: 1, shuffleSeed: `${seed}:personalization:${clientId}` }, signal),
      testData: new ClientBatches(train, { indices: testIndices, batchSize: Math.max(batchSize, 500), epochs: 1 }, signal),
    };
  });
}
