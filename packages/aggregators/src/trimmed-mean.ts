/**
 * FedTrimmedAvg: coordinate-wise trimmed mean of client updates.
 * Yin et al. 2018, "Byzantine-Robust Distributed Learning: Towards Optimal Statistical Rates" (ICML).
 * Flower: `flwr.server.strategy.FedTrimmedAvg` (beta = 0.2, unweighted).
 */
import { StructSpec, TensorSpec, ValueError, type AggregatorFactory } from '@fedkit/core';

import { statelessUnweighted } from './stateless-aggregator.js';

/** Options of {@link trimmedMean}. */
export interface TrimmedMeanOptions {
  /** Fraction cut from each end of every coordinate's sorted values; default 0.2 (Flower's). */
  beta?: number;
}

/** Per coordinate: sort, drop `floor(beta · n)` values at each end, average the rest. */
export function trimmedMeanOf(values: readonly (readonly Float32Array[])[], sizes: readonly number[], beta: number): Float32Array[] {
  const n = values.length;
  const cut = Math.floor(beta * n);
  const column = new Float64Array(n);
  return sizes.map((size, t) => {
    const out = new Float32Array(size);
    if (n === 0) return out;
    for (let i = 0; i < size; i++) {
      values.forEach((v, c) => (column[c] = v[t]![i]!));
      column.sort();
      let sum = 0;
      for (let k = cut; k < n - cut; k++) sum += column[k]!;
      out[i] = sum / (n - 2 * cut);
    }
    return out;
  });
}

/**
 * FedTrimmedAvg aggregator factory (unweighted).
 * @throws ValueError when beta is not in [0, 0.5).
 * @example
 * ```ts
 * const agg = trimmedMean({ beta: 0.2 }).create(spec);
 * ```
 */
export function trimmedMean(options: TrimmedMeanOptions = {}): AggregatorFactory<Record<string, never>> {
  const beta = options.beta ?? 0.2;
  if (!(beta >= 0 && beta < 0.5)) throw new ValueError(`trimmedMean beta must be in [0, 0.5), found ${beta}.`);
  return statelessUnweighted(
    'trimmedMean',
    new StructSpec({ num_clients: new TensorSpec([], 'int32'), trimmed_per_side: new TensorSpec([], 'int32') }),
    (values, sizes) => ({
      result: trimmedMeanOf(values, sizes, beta),
      measurements: { num_clients: values.length, trimmed_per_side: Math.floor(beta * values.length) },
    }),
  );
}
