import { StructSpec, type Aggregator, type AggregatorFactory, type Measurements } from '@fedkit/core';

import { checkValues, valueSizes } from './value-sizes.js';

/** Combines the clients' values (already checked against the sizes) into one, with measurements. */
export type Combine = (
  values: readonly (readonly Float32Array[])[],
  sizes: readonly number[],
) => { result: Float32Array[]; measurements: Measurements };

/**
 * An unweighted aggregator factory with no state, the shape every robust
 * statistic here shares (median, trimmed mean, Krum): it checks the values'
 * sizes, then calls `combine`.
 */
export function statelessUnweighted(who: string, measurementsSpec: StructSpec, combine: Combine): AggregatorFactory<Record<string, never>> {
  return {
    weighted: false,
    create(valueSpec: StructSpec): Aggregator<Record<string, never>> {
      const sizes = valueSizes(valueSpec);
      return {
        weighted: false,
        valueSpec,
        stateSpec: new StructSpec([]),
        measurementsSpec,
        initialize: () => ({}),
        async next(state, values) {
          checkValues(values, sizes, who);
          return { state, ...combine(values, sizes) };
        },
      };
    },
  };
}
