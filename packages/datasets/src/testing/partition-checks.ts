import type { Partition } from '../partition.js';

/** Every index in `[0, n)` appears exactly once across the partition. */
export function coversEachIndexOnce(partition: Partition, n: number): boolean {
  const seen = new Uint8Array(n);
  for (const part of partition) {
    for (const i of part) {
      if (!(Number.isInteger(i) && i >= 0 && i < n) || seen[i] === 1) return false;
      seen[i] = 1;
    }
  }
  return seen.every((v) => v === 1);
}

/** Label histogram of one client. */
export function histogram(indices: readonly number[], labels: ArrayLike<number>, numClasses: number): number[] {
  const h = new Array<number>(numClasses).fill(0);
  for (const i of indices) h[labels[i]!]!++;
  return h;
}

/** Share of a client's examples held by its two most frequent labels. */
export function topTwoShare(h: readonly number[]): number {
  const s = [...h].sort((a, b) => b - a);
  const total = s.reduce((a, b) => a + b, 0);
  return (s[0]! + (s[1] ?? 0)) / total;
}
