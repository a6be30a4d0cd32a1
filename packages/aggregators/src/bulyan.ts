/**
 * Bulyan.
 * El Mhamdi, Guerraoui, Rouault 2018, "The Hidden Vulnerability of Distributed Learning in Byzantium" (ICML),
 * https://arxiv.org/abs/1802.07927. Flower: `flwr.server.strategy.Bulyan` (`aggregate_bulyan` with Krum as
 * the first-stage rule).
 */
import { StructSpec, TensorSpec, ValueError, type AggregatorFactory } from '@fedkit/core';

import { statelessUnweighted } from './stateless-aggregator.js';
import { meanOf, squaredDistance } from './vector-math.js';

/** Options of {@link bulyan}. */
export interface BulyanOptions {
  /** Number of malicious clients tolerated (f); Bulyan needs n ≥ 4f + 3 clients. Default 0. */
  f?: number;
}

/**
 * Per coordinate, the mean of the `beta` values closest to the reference's
 * (Flower's `_aggregate_n_closest_weights`). Ties in distance go to the
 * smaller value, so the result does not depend on the clients' order.
 */
export function meanOfClosest(
  reference: readonly (Float32Array | Float64Array)[],
  values: readonly (readonly Float32Array[])[],
  beta: number,
): Float32Array[] {
  const column = values.map(() => 0);
  const order = values.map((_, c) => c);
  return reference.map((ref, t) => {
    const out = new Float32Array(ref.length);
    for (let i = 0; i < ref.length; i++) {
      values.forEach((v, c) => (column[c] = v[t]![i]!));
      const r = ref[i]!;
      order.sort((a, b) => Math.abs(column[a]! - r) - Math.abs(column[b]! - r) || column[a]! - column[b]!);
      let sum = 0;
      for (let k = 0; k < beta; k++) sum += column[order[k]!]!;
      out[i] = sum / beta;
    }
    return out;
  });
}

/**
 * Bulyan over the clients' values: select θ = n − 2f clients by running Krum
 * θ times on the clients not yet selected (each time the one whose n' − f − 2
 * nearest others are closest; ties to the lower client index), then per
 * coordinate average the β = θ − 2f selected values closest to the selected
 * values' median.
 * @returns the aggregate and the selected client indices, in selection order.
 * @throws ValueError when n < 4f + 3 (Flower's check; the paper's assumption).
 */
export function bulyanOf(values: readonly (readonly Float32Array[])[], sizes: readonly number[], f: number): { result: Float32Array[]; selected: number[] } {
  const n = values.length;
  if (n < 4 * f + 3) {
    throw new ValueError(
      `Bulyan with f = ${f} needs at least 4f + 3 = ${4 * f + 3} clients (El Mhamdi et al. 2018), found ${n}; ` +
        'lower f or sample more clients per round.',
    );
  }
  const distances = values.map((a, i) => values.map((b, j) => (i < j ? squaredDistance(a, b) : 0)));
  const distance = (i: number, j: number): number => (i < j ? distances[i]![j]! : distances[j]![i]!);
  const theta = n - 2 * f;
  const beta = theta - 2 * f;
  const remaining = [...values.keys()];
  const selected: number[] = [];
  for (let s = 0; s < theta; s++) {
    const neighbours = Math.max(1, remaining.length - f - 2);
    let best = -1;
    let bestScore = Infinity;
    for (const i of remaining) {
      const score = remaining
        .filter((j) => j !== i)
        .map((j) => distance(i, j))
        .sort((x, y) => x - y)
        .slice(0, neighbours)
        .reduce((sum, d) => sum + d, 0);
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    selected.push(best);
    remaining.splice(remaining.indexOf(best), 1);
  }
  const chosen = selected.map((i) => values[i]!);
  const median = sizes.map((size, t) => {
    const out = new Float64Array(size);
    const column = new Float64Array(chosen.length);
    const mid = chosen.length >> 1;
    for (let i = 0; i < size; i++) {
      chosen.forEach((v, c) => (column[c] = v[t]![i]!));
      column.sort();
      out[i] = chosen.length % 2 === 1 ? column[mid]! : (column[mid - 1]! + column[mid]!) / 2;
    }
    return out;
  });
  // The median is compared in float64 (not rounded to float32) so that equal distances stay equal.
  return { result: meanOfClosest(median, chosen, beta), selected };
}

/**
 * Bulyan aggregator factory (unweighted, as in Flower): Krum-based selection
 * of n − 2f clients, then a coordinate-wise trimmed mean around their median.
 * Measurements: `num_clients`, `selected` (θ), `beta`, `first_selected_client`.
 * A round with no client gives zeros.
 * @throws ValueError at construction when f is not a non-negative integer, and
 *   in a round with 0 < n < 4f + 3 clients.
 * @example
 * ```ts
 * buildUnweightedFedAvg({ modelFn, clientOptimizerFn, modelAggregator: bulyan({ f: 1 }) }); // needs ≥ 7 clients per round
 * ```
 */
export function bulyan(options: BulyanOptions = {}): AggregatorFactory<Record<string, never>> {
  const f = options.f ?? 0;
  if (!(Number.isInteger(f) && f >= 0)) throw new ValueError(`bulyan f must be a non-negative integer, found ${f}.`);
  return statelessUnweighted(
    'bulyan',
    new StructSpec({
      num_clients: new TensorSpec([], 'int32'),
      selected: new TensorSpec([], 'int32'),
      beta: new TensorSpec([], 'int32'),
      first_selected_client: new TensorSpec([], 'int32'),
    }),
    (values, sizes) => {
      if (values.length === 0) {
        return { result: meanOf([], sizes), measurements: { num_clients: 0, selected: 0, beta: 0, first_selected_client: -1 } };
      }
      const { result, selected } = bulyanOf(values, sizes, f);
      return {
        result,
        measurements: { num_clients: values.length, selected: selected.length, beta: selected.length - 2 * f, first_selected_client: selected[0]! },
      };
    },
  );
}
