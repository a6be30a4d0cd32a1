import { ValueError } from '@fedkit/core';

import type { Partition } from './partition.js';

/** Per-client counts (and label histograms when labels were given) of a {@link Partition}. */
export interface PartitionSummary {
  readonly numClients: number;
  /** Sum of client sizes (an index held by two clients counts twice). */
  readonly numExamples: number;
  /** `counts[c]`: examples held by client `c`. */
  readonly counts: readonly number[];
  /** Number of classes of the histograms (0 without labels). */
  readonly numClasses: number;
  /** `histograms[c][k]`: examples of label `k` held by client `c` (empty without labels). */
  readonly histograms: readonly (readonly number[])[];
}

/**
 * Counts each client's examples and, with `labels`, its label histogram.
 *
 * @param numClasses histogram length; the largest label + 1 by default.
 * @throws ValueError for an index outside `labels` or a label that is not an integer in `[0, numClasses)`.
 * @example
 * ```ts
 * console.log(formatPartitionSummary(summarizePartition(partition, train.y)));
 * ```
 */
export function summarizePartition(partition: Partition, labels?: ArrayLike<number>, numClasses?: number): PartitionSummary {
  const counts = partition.map((p) => p.length);
  if (labels === undefined) {
    return { numClients: partition.length, numExamples: counts.reduce((a, b) => a + b, 0), counts, numClasses: 0, histograms: [] };
  }
  let k = numClasses ?? 0;
  if (numClasses === undefined) for (let i = 0; i < labels.length; i++) k = Math.max(k, labels[i]! + 1);
  const histograms = partition.map((indices, c) => {
    const h = new Array<number>(k).fill(0);
    for (const i of indices) {
      const l = labels[i];
      if (l === undefined || !Number.isInteger(l) || l < 0 || l >= k) {
        throw new ValueError(
          `summarizePartition: client ${c} holds index ${i} whose label is ${String(l)}; expected an integer label in [0, ${k}) for an index below ${labels.length}.`,
        );
      }
      h[l]!++;
    }
    return h;
  });
  return { numClients: partition.length, numExamples: counts.reduce((a, b) => a + b, 0), counts, numClasses: k, histograms };
}

/**
 * A printable table of a {@link PartitionSummary}: totals, min/median/max client
 * size, then one line per client (the first `maxClients`) with its label histogram.
 *
 * @example
 * ```ts
 * console.log(formatPartitionSummary(summarizePartition(partitionShards(train.y, 100), train.y), 5));
 * ```
 */
export function formatPartitionSummary(summary: PartitionSummary, maxClients = 20): string {
  const sorted = [...summary.counts].sort((a, b) => a - b);
  const median = sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]!;
  const lines = [
    `${summary.numClients} clients, ${summary.numExamples} examples; per client min ${sorted[0] ?? 0} / median ${median} / max ${sorted[sorted.length - 1] ?? 0}`,
  ];
  if (summary.numClasses > 0) lines.push(`client  count  labels 0..${summary.numClasses - 1}`);
  summary.counts.slice(0, maxClients).forEach((count, c) => {
    const h = summary.histograms[c];
    lines.push(`${String(c).padEnd(6)}  ${String(count).padStart(5)}${h === undefined ? '' : `  [${h.join(' ')}]`}`);
  });
  if (summary.numClients > maxClients) lines.push(`... ${summary.numClients - maxClients} more clients`);
  return lines.join('\n');
}
