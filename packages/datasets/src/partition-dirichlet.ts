import { ValueError } from '@fedkit/core';

import { sampleDirichlet } from './dirichlet.js';
import { checkAlpha, checkNumClients, type Partition, type PartitionOptions } from './partition.js';
import { createRng, shuffleInPlace, type Rng } from './seeded-rng.js';

/** Options of {@link partitionDirichlet} and {@link partitionQuantity}. */
export interface DirichletPartitionOptions extends PartitionOptions {
  /** Redraw (up to `maxTries` times) until every client holds at least this many examples. Default 0. */
  readonly minPartitionSize?: number;
  /** Default 10. */
  readonly maxTries?: number;
}

/** Splits `indices` at the cumulative proportions `p` (the last client takes the rest). */
export function splitByProportions(indices: readonly number[], p: Float64Array): number[][] {
  const n = indices.length;
  const parts: number[][] = [];
  let cum = 0;
  let start = 0;
  for (let j = 0; j < p.length; j++) {
    cum += p[j]!;
    const end = j === p.length - 1 ? n : Math.min(n, Math.floor(cum * n));
    parts.push(indices.slice(start, Math.max(start, end)));
    start = Math.max(start, end);
  }
  return parts;
}

/** Runs `draw` until its smallest part reaches `minSize`. */
export function drawWithMinSize(
  fn: string,
  draw: (rng: Rng) => Partition,
  options: DirichletPartitionOptions,
): Partition {
  const minSize = options.minPartitionSize ?? 0;
  const maxTries = options.maxTries ?? 10;
  const rng = createRng(options.seed);
  for (let t = 1; ; t++) {
    const partition = draw(rng);
    const smallest = Math.min(...partition.map((p) => p.length));
    if (smallest >= minSize) return partition;
    if (t >= maxTries) {
      throw new ValueError(
        `${fn}: after ${maxTries} draws the smallest client still held ${smallest} examples, below minPartitionSize ${minSize}; ` +
          'raise alpha, use fewer clients, or lower minPartitionSize.',
      );
    }
  }
}

/**
 * Label-skewed partition: for every class, proportions `p ~ Dir(alpha)` over
 * the clients decide how that class's (shuffled) examples are shared (Hsu et
 * al. 2019, "Measuring the Effects of Non-Identical Data Distribution for
 * Federated Visual Classification"; Flower's `DirichletPartitioner`). Large
 * alpha (100) is close to IID; small alpha (0.05) gives each client one or two
 * labels. Each client's indices are shuffled.
 *
 * @throws ValueError for alpha <= 0, a bad client count, or when `minPartitionSize` cannot be met.
 * @example
 * ```ts
 * const partition = partitionDirichlet(train.y, 100, 0.5, { seed: 0, minPartitionSize: 10 });
 * ```
 */
export function partitionDirichlet(
  labels: ArrayLike<number>,
  numClients: number,
  alpha: number,
  options: DirichletPartitionOptions = {},
): Partition {
  checkAlpha('partitionDirichlet', alpha);
  checkNumClients('partitionDirichlet', numClients, Number.MAX_SAFE_INTEGER, 'examples');
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    let list = byClass.get(l);
    if (list === undefined) byClass.set(l, (list = []));
    list.push(i);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  return drawWithMinSize(
    'partitionDirichlet',
    (rng) => {
      const parts: Partition = Array.from({ length: numClients }, () => []);
      for (const c of classes) {
        const idx = shuffleInPlace([...byClass.get(c)!], rng);
        splitByProportions(idx, sampleDirichlet(alpha, numClients, rng)).forEach((share, j) => {
          for (const i of share) parts[j]!.push(i);
        });
      }
      for (const p of parts) shuffleInPlace(p, rng);
      return parts;
    },
    options,
  );
}
