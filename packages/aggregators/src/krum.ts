/**
 * Krum and Multi-Krum.
 * Blanchard et al. 2017, "Machine Learning with Adversaries: Byzantine Tolerant Gradient Descent" (NeurIPS).
 * Flower: `flwr.server.strategy.Krum` (num_malicious_clients f, num_clients_to_keep m).
 */
import { StructSpec, TensorSpec, ValueError, type AggregatorFactory } from '@fedkit/core';

import { statelessUnweighted } from './stateless-aggregator.js';
import { meanOf, squaredDistance } from './vector-math.js';

/** Options of {@link krum} and {@link multiKrum}. */
export interface KrumOptions {
  /** Number of malicious clients tolerated (f); default 0. */
  f?: number;
  /** Number of best-scored clients averaged (m); 1 is Krum, more is Multi-Krum. Default 1. */
  m?: number;
}

/**
 * Krum scores: for each client, the sum of squared distances to its
 * `n − f − 2` nearest other clients (at least 1).
 */
export function krumScores(values: readonly (readonly Float32Array[])[], f: number): number[] {
  const n = values.length;
  const distances = values.map((a, i) => values.map((b, j) => (i === j ? 0 : squaredDistance(a, b))));
  const neighbours = Math.max(1, n - f - 2);
  return distances.map((row, i) =>
    row
      .filter((_, j) => j !== i)
      .sort((x, y) => x - y)
      .slice(0, neighbours)
      .reduce((s, d) => s + d, 0),
  );
}

/**
 * Krum / Multi-Krum factory (unweighted): averages the `m` clients with the
 * lowest Krum scores; ties go to the lower client index, so the choice is deterministic.
 * A round with no client gives zeros.
 * @throws ValueError at construction on a bad f or m, and in a round with
 *   0 < n < 2f + 3 clients (Krum's guarantee needs n > 2f + 2).
 * @example
 * ```ts
 * const agg = krum({ f: 2 }).create(spec);
 * ```
 */
export function krum(options: KrumOptions = {}): AggregatorFactory<Record<string, never>> {
  const f = options.f ?? 0;
  const m = options.m ?? 1;
  if (!(Number.isInteger(f) && f >= 0)) throw new ValueError(`krum f must be a non-negative integer, found ${f}.`);
  if (!(Number.isInteger(m) && m >= 1)) throw new ValueError(`krum m must be a positive integer, found ${m}.`);
  return statelessUnweighted(
    'krum',
    new StructSpec({ selected: new TensorSpec([], 'int32'), first_selected_client: new TensorSpec([], 'int32') }),
    (values, sizes) => {
      if (values.length === 0) return { result: meanOf([], sizes), measurements: { selected: 0, first_selected_client: -1 } };
      if (values.length < 2 * f + 3) {
        throw new ValueError(
          `krum with f = ${f} needs at least 2f + 3 = ${2 * f + 3} clients (Blanchard et al. 2017: n > 2f + 2), ` +
            `found ${values.length}; lower f or sample more clients per round.`,
        );
      }
      const chosen = krumScores(values, f)
        .map((s, i) => [s, i] as const)
        .sort((a, b) => a[0] - b[0] || a[1] - b[1])
        .slice(0, Math.min(m, values.length))
        .map(([, i]) => i);
      return { result: meanOf(chosen.map((i) => values[i]!), sizes), measurements: { selected: chosen.length, first_selected_client: chosen[0]! } };
    },
  );
}

/** Multi-Krum: {@link krum} averaging the `m` best-scored clients. */
export function multiKrum(options: { f?: number; m: number }): AggregatorFactory<Record<string, never>> {
  return krum(options);
}
