/**
 * Zeroing of client updates whose norm is implausibly large.
 * TFF: `tff.aggregators.zeroing_factory` (adaptive: a multiple of a tracked norm quantile plus an increment,
 * with the quantile tracked as in Andrew et al. 2021).
 */
import { StructSpec, TensorSpec, type Aggregator, type AggregatorFactory } from '@fedkit/core';

import { nextNormEstimate, type AdaptiveNormOptions } from './adaptive-norm.js';
import { initialBound } from './clipping.js';
import { perClientTransform } from './per-client-transform.js';
import { valueSizes } from './value-sizes.js';
import { globalNorm, zerosLike } from './vector-math.js';

/** Fixed threshold, or an adaptive one: `multiplier · quantile estimate + increment`. */
export type ZeroingBound = { threshold: number } | { adaptive: AdaptiveNormOptions & { multiplier?: number; increment?: number } };

/** State of a zeroing aggregator. */
export interface ZeroingState {
  /** The tracked norm quantile (adaptive) or the fixed threshold. */
  readonly normEstimate: number;
  readonly inner: unknown;
}

/**
 * Replaces every update whose L2 norm exceeds the threshold with zeros (its
 * weight is kept), then hands the values to `inner`. Measurements:
 * `zeroed_count`, `zeroing_norm` and the inner ones under `inner`.
 *
 * @example
 * ```ts
 * const factory = zeroing(weightedMeanFactory(), { threshold: 100 });
 * ```
 */
export function zeroing(inner: AggregatorFactory, bound: ZeroingBound): AggregatorFactory<ZeroingState> {
  const { initial, adaptive } = initialBound('threshold' in bound ? { norm: bound.threshold } : bound, 'zeroing');
  // TFF's defaults for adaptive zeroing: 2 × the tracked quantile + 1.
  const multiplier = 'adaptive' in bound ? (bound.adaptive.multiplier ?? 2) : 1;
  const increment = 'adaptive' in bound ? (bound.adaptive.increment ?? 1) : 0;
  return {
    weighted: inner.weighted,
    create(valueSpec: StructSpec): Aggregator<ZeroingState> {
      const innerAgg = inner.create(valueSpec);
      return perClientTransform<ZeroingState>(innerAgg, {
        who: 'zeroing',
        valueSpec,
        sizes: valueSizes(valueSpec),
        stateSpec: new StructSpec({ norm_estimate: new TensorSpec([]), inner: innerAgg.stateSpec }),
        measurementsSpec: new StructSpec({ zeroed_count: new TensorSpec([], 'int32'), zeroing_norm: new TensorSpec([]), inner: innerAgg.measurementsSpec }),
        initialize: (innerState) => ({ normEstimate: initial, inner: innerState }),
        begin(state) {
          const threshold = multiplier * state.normEstimate + increment;
          const norms: number[] = [];
          return {
            map(value) {
              const norm = globalNorm(value);
              norms.push(norm);
              return norm > threshold ? zerosLike(value) : value.map((a) => a.slice());
            },
            end(out) {
              const normEstimate = adaptive ? nextNormEstimate(state.normEstimate, norms, adaptive) : state.normEstimate;
              return {
                state: { normEstimate, inner: out.state },
                measurements: { zeroed_count: norms.filter((n) => n > threshold).length, zeroing_norm: threshold, inner: out.measurements },
              };
            },
          };
        },
      });
    },
  };
}
