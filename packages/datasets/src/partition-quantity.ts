import { ValueError } from '@fedkit/core';

import { sampleDirichlet } from './dirichlet.js';
import { drawWithMinSize, splitByProportions, type DirichletPartitionOptions } from './partition-dirichlet.js';
import { checkAlpha, checkNumClients, type Partition } from './partition.js';
import { permutation } from './seeded-rng.js';

/**
 * Quantity-skewed partition: client sizes follow proportions `p ~ Dir(alpha)`
 * and examples are dealt at random, so labels stay IID while sizes differ
 * (Li et al. 2022, "Federated Learning on Non-IID Data Silos: An Experimental
 * Study", quantity skew). Small alpha: a few large clients and many tiny ones.
 *
 * @param n number of examples (indices `0 .. n-1`).
 * @throws ValueError for alpha <= 0, a bad client count, or when `minPartitionSize` cannot be met.
 * @example
 * ```ts
 * const partition = partitionQuantity(train.numExamples, 100, 1, { seed: 0, minPartitionSize: 5 });
 * ```
 */
export function partitionQuantity(
  n: number,
  numClients: number,
  alpha: number,
  options: DirichletPartitionOptions = {},
): Partition {
  if (!(Number.isInteger(n) && n >= 0)) throw new ValueError(`partitionQuantity expects n as a non-negative integer, found ${String(n)}.`);
  checkAlpha('partitionQuantity', alpha);
  checkNumClients('partitionQuantity', numClients, Number.MAX_SAFE_INTEGER, 'examples');
  return drawWithMinSize(
    'partitionQuantity',
    (rng) => splitByProportions(permutation(n, rng), sampleDirichlet(alpha, numClients, rng)),
    options,
  );
}
