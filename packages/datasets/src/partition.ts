import { ValueError } from '@fedkit/core';

/**
 * A partition of a data set among clients: `partition[c]` lists the example
 * indices (row numbers) that client `c` holds. Plain arrays, so a partition can
 * be saved as JSON or posted to a worker thread.
 */
export type Partition = number[][];

/** Options shared by the partitioners. */
export interface PartitionOptions {
  /** RNG seed; the same seed gives the same partition on every machine. Default 42. */
  readonly seed?: number | string;
}

/** Throws unless `numClients` is an integer in `[1, max]`. */
export function checkNumClients(fn: string, numClients: number, max: number, what: string): void {
  if (!(Number.isInteger(numClients) && numClients >= 1)) {
    throw new ValueError(`${fn} expects numClients as a positive integer, found ${String(numClients)}.`);
  }
  if (numClients > max) {
    throw new ValueError(`${fn}: ${numClients} clients cannot each get at least one of ${max} ${what}; use at most ${max} clients.`);
  }
}

/** Throws unless `alpha` is a positive finite number. */
export function checkAlpha(fn: string, alpha: number): void {
  if (!(Number.isFinite(alpha) && alpha > 0)) {
    throw new ValueError(`${fn} expects a concentration alpha > 0 (small: skewed, large: uniform), found ${String(alpha)}.`);
  }
}

/** Splits `[0, n)` into `k` contiguous parts whose sizes differ by at most one, larger parts first (numpy's `array_split`). */
export function splitSizes(n: number, k: number): number[] {
  const base = Math.floor(n / k);
  const extra = n % k;
  return Array.from({ length: k }, (_, i) => base + (i < extra ? 1 : 0));
}
