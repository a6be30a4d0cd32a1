import { ValueError } from '@fedkit/core';

import { checkNumClients, splitSizes, type Partition, type PartitionOptions } from './partition.js';
import { createRng, permutation } from './seeded-rng.js';

/**
 * Pathological non-IID partition of McMahan et al. (2017), "Communication-
 * Efficient Learning of Deep Networks from Decentralized Data" (FedAvg): sort
 * the examples by label, cut the sorted list into `numClients * shardsPerClient`
 * shards of (nearly) equal size, and give each client `shardsPerClient` shards
 * drawn at random. With MNIST's 60,000 examples, 100 clients and 2 shards each,
 * every client holds two runs of 300 examples, so at most two digits.
 *
 * Each client's indices are its shards in sorted order, so its labels form
 * `shardsPerClient` non-decreasing runs; shuffle its dataset before training.
 *
 * @throws ValueError when there are fewer examples than shards.
 * @example
 * ```ts
 * const partition = partitionShards(train.y, 100, 2, { seed: 0 });
 * ```
 */
export function partitionShards(
  labels: ArrayLike<number>,
  numClients: number,
  shardsPerClient = 2,
  options: PartitionOptions = {},
): Partition {
  if (!(Number.isInteger(shardsPerClient) && shardsPerClient >= 1)) {
    throw new ValueError(`partitionShards expects shardsPerClient as a positive integer, found ${String(shardsPerClient)}.`);
  }
  const n = labels.length;
  checkNumClients('partitionShards', numClients, n, 'examples');
  const numShards = numClients * shardsPerClient;
  if (numShards > n) {
    throw new ValueError(
      `partitionShards: ${numClients} clients x ${shardsPerClient} shards = ${numShards} shards, more than the ${n} examples; ` +
        'use fewer clients or shards per client.',
    );
  }
  // Stable sort by label: ties keep index order, so the result does not depend on the engine's sort.
  const sorted = Array.from({ length: n }, (_, i) => i).sort((a, b) => labels[a]! - labels[b]! || a - b);
  const shardStarts: number[] = [];
  let start = 0;
  const sizes = splitSizes(n, numShards);
  for (const size of sizes) {
    shardStarts.push(start);
    start += size;
  }
  const order = permutation(numShards, createRng(options.seed));
  return Array.from({ length: numClients }, (_, c) =>
    order
      .slice(c * shardsPerClient, (c + 1) * shardsPerClient)
      .sort((a, b) => a - b)
      .flatMap((s) => sorted.slice(shardStarts[s]!, shardStarts[s]! + sizes[s]!)),
  );
}
