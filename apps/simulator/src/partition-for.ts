import { ValueError } from '@fedkit/core';
import { partitionDirichlet, partitionIid, partitionShards, type Partition } from '@fedkit/datasets';

/**
 * Parses `--partition` into a partition of the train labels: `iid`, `shards`
 * (2 label-sorted shards per client, as in the FedAvg paper) or `dirichlet:<alpha>`.
 * @throws ValueError listing the valid forms.
 * @example
 * ```ts
 * partitionFor('dirichlet:0.5', labels, 100, 0);
 * ```
 */
export function partitionFor(spec: string, labels: ArrayLike<number>, numClients: number, seed: number): Partition {
  if (spec === 'iid') return partitionIid(labels, numClients, { seed });
  if (spec === 'shards') return partitionShards(labels, numClients, 2, { seed });
  const m = /^dirichlet:([0-9.eE+-]+)$/.exec(spec);
  if (m !== null) return partitionDirichlet(labels, numClients, Number(m[1]), { seed });
  throw new ValueError(`Unknown partition "${spec}". Valid: iid, shards, dirichlet:<alpha> (e.g. dirichlet:0.5).`);
}
