import { isStreamingAggregator, type Aggregator, type AggregatorFactory, type StreamingAggregator } from '@fedkit/core';

/**
 * Lets an unweighted aggregator (FedMedian, Krum, DP, secure sum, ...) serve
 * where a weighted one is expected, as TFF's `as_weighted_aggregator` does: the
 * weights are not used, except that clients of weight 0 (empty, or with a
 * non-finite update) are left out rather than counted as zero updates.
 * A weighted factory is returned as it is; a streaming inner aggregator stays streaming.
 *
 * @example
 * ```ts
 * buildWeightedFedProx({ modelFn, clientOptimizer, proximalStrength: 0.01, modelAggregator: asWeightedAggregator(coordinateMedian()) });
 * ```
 */
export function asWeightedAggregator<S>(factory: AggregatorFactory<S>): AggregatorFactory<S> {
  if (factory.weighted) return factory;
  return {
    weighted: true,
    create(valueSpec): Aggregator<S> {
      const inner = factory.create(valueSpec);
      const adapted: Aggregator<S> = {
        weighted: true,
        valueSpec: inner.valueSpec,
        stateSpec: inner.stateSpec,
        measurementsSpec: inner.measurementsSpec,
        initialize: () => inner.initialize(),
        next: (state, values, weights) => inner.next(state, weights === undefined ? values : values.filter((_, i) => weights[i]! > 0)),
      };
      if (!isStreamingAggregator(inner)) return adapted;
      const streaming: StreamingAggregator<S> = {
        ...adapted,
        accumulate(state) {
          const acc = inner.accumulate(state);
          return {
            add: (value, weight, extra) => {
              if (weight === undefined || weight > 0) acc.add(value, undefined, extra);
            },
            finish: () => acc.finish(),
          };
        },
      };
      return streaming;
    },
  };
}
