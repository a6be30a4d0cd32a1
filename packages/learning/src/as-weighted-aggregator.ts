import type { Aggregator, AggregatorFactory } from '@fedkit/core';

/**
 * Lets an unweighted aggregator (FedMedian, Krum, DP, secure sum, ...) serve
 * where a weighted one is expected, as TFF's `as_weighted_aggregator` does: the
 * weights are not used, except that clients of weight 0 (empty, or with a
 * non-finite update) are left out rather than counted as zero updates.
 * A weighted factory is returned as it is.
 *
 * @example
 * ```ts
 * buildWeightedFedProx({ modelFn, clientOptimizerFn, proximalStrength: 0.01, modelAggregator: asWeightedAggregator(coordinateMedian()) });
 * ```
 */
export function asWeightedAggregator<S>(factory: AggregatorFactory<S>): AggregatorFactory<S> {
  if (factory.weighted) return factory;
  return {
    weighted: true,
    create(valueSpec): Aggregator<S> {
      const inner = factory.create(valueSpec);
      return {
        weighted: true,
        valueSpec: inner.valueSpec,
        stateSpec: inner.stateSpec,
        measurementsSpec: inner.measurementsSpec,
        initialize: () => inner.initialize(),
        next: (state, values, weights) => inner.next(state, weights === undefined ? values : values.filter((_, i) => weights[i]! > 0)),
      };
    },
  };
}

/** `options` with its `modelAggregator`, if any, made weighted by {@link asWeightedAggregator}. */
export function withWeightedAggregator<O extends { readonly modelAggregator?: AggregatorFactory }>(options: O): O {
  return options.modelAggregator === undefined ? options : { ...options, modelAggregator: asWeightedAggregator(options.modelAggregator) };
}
