import { StructSpec, type AggregatorAccumulator, type AggregatorFactory, type StreamingAggregator } from '@fedkit/core';

import { sizesOf } from './weights-spec.js';

/**
 * A stateless, weighted aggregator that needs each client's side values
 * (`extra`), which reach an aggregator only as clients arrive: it streams and
 * has no array `next`. `start(sizes)` makes one round's accumulator.
 * Used by FedNova (`local_steps`) and q-FedAvg (`initial_loss`).
 */
export function sideValueAggregator(
  who: string,
  needs: string,
  measurements: readonly string[],
  start: (sizes: readonly number[]) => AggregatorAccumulator<Record<string, never>>,
): AggregatorFactory<Record<string, never>> {
  return {
    weighted: true,
    create(valueSpec: StructSpec): StreamingAggregator<Record<string, never>> {
      const sizes = sizesOf(valueSpec);
      return {
        weighted: true,
        valueSpec,
        stateSpec: new StructSpec([]),
        measurementsSpec: new StructSpec(Object.fromEntries(measurements.map((m) => [m, new StructSpec([])]))),
        initialize: () => ({}),
        next: () => {
          throw new TypeError(`${who}'s aggregator needs each client's ${needs}, which only reaches it through accumulate(); compose it with composeLearningProcess.`);
        },
        accumulate: () => start(sizes),
      };
    },
  };
}
