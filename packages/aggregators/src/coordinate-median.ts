/**
 * FedMedian: the coordinate-wise median of client updates.
 * Yin et al. 2018, "Byzantine-Robust Distributed Learning: Towards Optimal Statistical Rates" (ICML).
 * Flower: `flwr.server.strategy.FedMedian` (unweighted).
 */
import { StructSpec, TensorSpec, type AggregatorFactory } from '@fedkit/core';

import { statelessUnweighted } from './stateless-aggregator.js';

/** Per coordinate, the median of the clients' values (mean of the two middle ones for an even count). */
export function coordinateMedianOf(values: readonly (readonly Float32Array[])[], sizes: readonly number[]): Float32Array[] {
  const column = new Float64Array(values.length);
  return sizes.map((n, t) => {
    const out = new Float32Array(n);
    if (values.length === 0) return out;
    for (let i = 0; i < n; i++) {
      values.forEach((v, c) => (column[c] = v[t]![i]!));
      column.sort();
      const mid = values.length >> 1;
      out[i] = values.length % 2 === 1 ? column[mid]! : (column[mid - 1]! + column[mid]!) / 2;
    }
    return out;
  });
}

/**
 * FedMedian aggregator factory: unweighted (client weights are ignored, as in Flower).
 * @example
 * ```ts
 * const agg = coordinateMedian().create(spec);
 * (await agg.next(agg.initialize(), [[Float32Array.of(1)], [Float32Array.of(9)], [Float32Array.of(3)]])).result; // [3]
 * ```
 */
export function coordinateMedian(): AggregatorFactory<Record<string, never>> {
  return statelessUnweighted('coordinateMedian', new StructSpec({ num_clients: new TensorSpec([], 'int32') }), (values, sizes) => ({
    result: coordinateMedianOf(values, sizes),
    measurements: { num_clients: values.length },
  }));
}
