import { checkNumClients, splitSizes, type Partition, type PartitionOptions } from './partition.js';
import { createRng, permutation } from './seeded-rng.js';

/**
 * IID partition: shuffles all indices with the seed and deals them into
 * `numClients` parts whose sizes differ by at most one (Flower's `IidPartitioner`).
 *
 * @param labels one label per example (only its length is used; labels are taken for a uniform partitioner signature).
 * @throws ValueError when `numClients` is not in `[1, labels.length]`.
 * @example
 * ```ts
 * const partition = partitionIid(train.y, 100, { seed: 0 }); // 100 clients of 85 examples for 8,500
 * ```
 */
export function partitionIid(labels: ArrayLike<number>, numClients: number, options: PartitionOptions = {}): Partition {
  const n = labels.length;
  checkNumClients('partitionIid', numClients, n, 'examples');
  const order = permutation(n, createRng(options.seed));
  let start = 0;
  return splitSizes(n, numClients).map((size) => {
    const part = order.slice(start, start + size);
    start += size;
    return part;
  });
}
