import { isStreamingAggregator, type Aggregator, type AggregatorAccumulator, type Measurements, type Spec, type StreamingAggregator, type StructSpec } from '@fedkit/core';

import { checkValues } from './value-sizes.js';

/** One round of a per-client transform: maps each value as it arrives, then makes the next state. */
export interface TransformRound<S> {
  /** The value the inner aggregator receives instead of `value` (must not modify `value`). */
  map(value: readonly Float32Array[]): Float32Array[];
  /** The wrapper's next state and measurements, given the inner aggregator's output. */
  end(inner: { readonly state: unknown; readonly measurements: Measurements }): { readonly state: S; readonly measurements: Measurements };
}

/** What {@link perClientTransform} needs besides the inner aggregator. */
export interface TransformDefinition<S extends { readonly inner: unknown }> {
  readonly who: string;
  readonly valueSpec: StructSpec;
  readonly sizes: readonly number[];
  readonly stateSpec: Spec;
  readonly measurementsSpec: Spec;
  initialize(innerState: unknown): S;
  begin(state: S): TransformRound<S>;
}

/**
 * An aggregator that transforms each client value (clip, zero, quantize) and
 * hands it to `inner`. It streams when `inner` streams (holding no update),
 * and `next` is the same computation over an array, so both give the same bits.
 */
export function perClientTransform<S extends { readonly inner: unknown }>(inner: Aggregator, def: TransformDefinition<S>): Aggregator<S> {
  const accumulate = (state: S): AggregatorAccumulator<S> => {
    const round = def.begin(state);
    const acc = (inner as StreamingAggregator).accumulate(state.inner);
    return {
      add: (value, weight, extra) => {
        checkValues([value], def.sizes, def.who);
        acc.add(round.map(value), weight, extra);
      },
      finish: async () => {
        const out = await acc.finish();
        const { state: next, measurements } = round.end(out);
        return { state: next, result: out.result, measurements };
      },
    };
  };
  const base: Aggregator<S> = {
    weighted: inner.weighted,
    valueSpec: def.valueSpec,
    stateSpec: def.stateSpec,
    measurementsSpec: def.measurementsSpec,
    initialize: () => def.initialize(inner.initialize()),
    async next(state, values, weights) {
      checkValues(values, def.sizes, def.who);
      const round = def.begin(state);
      const out = await inner.next(state.inner, values.map((v) => round.map(v)), weights);
      const { state: next, measurements } = round.end(out);
      return { state: next, result: out.result, measurements };
    },
  };
  return isStreamingAggregator(inner) ? ({ ...base, accumulate } as StreamingAggregator<S>) : base;
}
