/**
 * L2 norm clipping of client updates, fixed or adaptive.
 * Fixed: McMahan et al. 2018, "Learning Differentially Private Recurrent Language Models" (ICLR).
 * Adaptive: Andrew et al. 2021, "Differentially Private Learning with Adaptive Clipping" (NeurIPS).
 * TFF: `tff.aggregators.clipping_factory`.
 */
import { StructSpec, TensorSpec, ValueError, type Aggregator, type AggregatorFactory, type Measurements } from '@fedkit/core';

import { adaptiveDefaults, nextNormEstimate, type AdaptiveNormOptions } from './adaptive-norm.js';
import { perClientTransform } from './per-client-transform.js';
import { valueSizes } from './value-sizes.js';
import { globalNorm, scaled } from './vector-math.js';

/** Fixed or adaptive norm bound. */
export type NormBound = { norm: number } | { adaptive: AdaptiveNormOptions };

/** State of a clipping aggregator: the current bound and the inner aggregator's state. */
export interface ClippingState {
  readonly clipNorm: number;
  readonly inner: unknown;
}

/** Each update scaled to L2 norm ≤ `clip`; returns the clipped values, their norms and how many were clipped. */
export function clipValues(values: readonly (readonly Float32Array[])[], clip: number): { clipped: Float32Array[][]; norms: number[]; count: number } {
  const norms = values.map((v) => globalNorm(v));
  let count = 0;
  const clipped = values.map((v, i) => {
    if (norms[i]! <= clip) return v.map((a) => a.slice());
    count++;
    return scaled(v, clip / norms[i]!);
  });
  return { clipped, norms, count };
}

/**
 * The first bound of a fixed or adaptive norm option, checked; with the adaptive options filled in.
 * @throws ValueError for a non-positive norm or invalid adaptive options.
 */
export function initialBound(bound: NormBound, who: string): { initial: number; adaptive?: Required<AdaptiveNormOptions> } {
  if ('norm' in bound) {
    if (!(bound.norm > 0)) throw new ValueError(`${who} norm must be positive, found ${bound.norm}.`);
    return { initial: bound.norm };
  }
  const adaptive = adaptiveDefaults(bound.adaptive);
  return { initial: adaptive.initialNorm, adaptive };
}

/**
 * Clips each client update to an L2 norm bound, then hands the clipped values
 * (and the weights, untouched) to `inner`. Measurements: `clipped_count`,
 * `clip_norm` (the bound used this round) and the inner ones under `inner`.
 *
 * @example
 * ```ts
 * const factory = clipping(weightedMeanFactory(), { norm: 1 });
 * const adaptive = clipping(weightedMeanFactory(), { adaptive: { targetQuantile: 0.5, initialNorm: 0.1 } });
 * ```
 */
export function clipping(inner: AggregatorFactory, bound: NormBound): AggregatorFactory<ClippingState> {
  const { initial, adaptive } = initialBound(bound, 'clipping');
  return {
    weighted: inner.weighted,
    create(valueSpec: StructSpec): Aggregator<ClippingState> {
      const innerAgg = inner.create(valueSpec);
      return perClientTransform<ClippingState>(innerAgg, {
        who: 'clipping',
        valueSpec,
        sizes: valueSizes(valueSpec),
        stateSpec: new StructSpec({ clip_norm: new TensorSpec([]), inner: innerAgg.stateSpec }),
        measurementsSpec: new StructSpec({ clipped_count: new TensorSpec([], 'int32'), clip_norm: new TensorSpec([]), inner: innerAgg.measurementsSpec }),
        initialize: (innerState) => ({ clipNorm: initial, inner: innerState }),
        begin(state) {
          const norms: number[] = [];
          let count = 0;
          return {
            map(value) {
              const norm = globalNorm(value);
              norms.push(norm);
              if (norm <= state.clipNorm) return value.map((a) => a.slice());
              count++;
              return scaled(value, state.clipNorm / norm);
            },
            end(out) {
              const clipNorm = adaptive ? nextNormEstimate(state.clipNorm, norms, adaptive) : state.clipNorm;
              const measurements: Measurements = { clipped_count: count, clip_norm: state.clipNorm, inner: out.measurements };
              return { state: { clipNorm, inner: out.state }, measurements };
            },
          };
        },
      });
    },
  };
}
