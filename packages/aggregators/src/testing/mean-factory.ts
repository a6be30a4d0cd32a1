import { StructSpec, type Aggregator, type AggregatorFactory } from '@fedkit/core';

/** A plain weighted (or unweighted) mean for wrapping in tests. */
export function testMean(weighted = true): AggregatorFactory<Record<string, never>> {
  return {
    weighted,
    create(valueSpec: StructSpec): Aggregator<Record<string, never>> {
      return {
        weighted,
        valueSpec,
        stateSpec: new StructSpec([]),
        measurementsSpec: new StructSpec([]),
        initialize: () => ({}),
        async next(state, values, weights) {
          const w = weighted ? weights! : values.map(() => 1);
          const total = w.reduce((a, b) => a + b, 0);
          const result = values[0]!.map((a, t) => a.map((_, i) => values.reduce((s, v, c) => s + v[t]![i]! * w[c]!, 0) / (total || 1)));
          return { state, result, measurements: {} };
        },
      };
    },
  };
}
