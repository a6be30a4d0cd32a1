/**
 * Uniform quantization of client updates with stochastic (unbiased) rounding.
 * Suresh, Yu, Kumar, McMahan 2017, "Distributed Mean Estimation with Limited Communication" (ICML);
 * TFF: `tff.aggregators.EncodedSumFactory` with uniform quantization.
 */
import seedrandom from 'seedrandom';
import { StructSpec, TensorSpec, ValueError, type Aggregator, type AggregatorFactory } from '@fedkit/core';

import { perClientTransform } from './per-client-transform.js';
import { valueSizes } from './value-sizes.js';

/** Options of {@link quantize}. */
export interface QuantizeOptions {
  /** Bits per value; default 8. */
  bits?: number;
  /** Stochastic rounding (unbiased); default true. False rounds to the nearest level. */
  stochastic?: boolean;
  /** Tensors smaller than this are sent as float32; default 1000 (TFF's threshold). */
  minSize?: number;
  /** Seed of the rounding noise; default 'fedkit-quantize'. */
  seed?: string;
}

/**
 * Quantizes one array to 2^bits levels between its min and max and returns the
 * dequantized values. With stochastic rounding, E[result] = input.
 */
export function quantizeArray(a: Float32Array, bits: number, stochastic: boolean, random: () => number): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const levels = 2 ** bits - 1;
  const scale = hi > lo ? (hi - lo) / levels : 0;
  if (scale === 0) return a.slice();
  return a.map((v) => {
    const exact = (v - lo) / scale;
    const level = stochastic ? Math.floor(exact + random()) : Math.round(exact);
    return lo + Math.min(level, levels) * scale;
  });
}

/**
 * Quantizes each client update (tensors of at least `minSize` values) before
 * `inner` aggregates it, simulating compressed uploads. Measurements:
 * `bytes_before` and `bytes_after` (values + 8 bytes of min/max per quantized tensor), and `inner`.
 * @example
 * ```ts
 * const factory = quantize(weightedMeanFactory(), { bits: 8 });
 * ```
 */
export function quantize(inner: AggregatorFactory, options: QuantizeOptions = {}): AggregatorFactory<{ round: number; inner: unknown }> {
  const bits = options.bits ?? 8;
  const stochastic = options.stochastic ?? true;
  const minSize = options.minSize ?? 1000;
  const seed = options.seed ?? 'fedkit-quantize';
  if (!(Number.isInteger(bits) && bits >= 1 && bits <= 16)) throw new ValueError(`bits must be an integer in [1, 16], found ${bits}.`);
  return {
    weighted: inner.weighted,
    create(valueSpec: StructSpec): Aggregator<{ round: number; inner: unknown }> {
      const innerAgg = inner.create(valueSpec);
      return perClientTransform<{ round: number; inner: unknown }>(innerAgg, {
        who: 'quantize',
        valueSpec,
        sizes: valueSizes(valueSpec),
        stateSpec: new StructSpec({ round: new TensorSpec([], 'int32'), inner: innerAgg.stateSpec }),
        measurementsSpec: new StructSpec({ bytes_before: new TensorSpec([], 'int32'), bytes_after: new TensorSpec([], 'int32'), inner: innerAgg.measurementsSpec }),
        initialize: (innerState) => ({ round: 0, inner: innerState }),
        begin(state) {
          const random = seedrandom(`${seed}:${state.round}`);
          let before = 0;
          let after = 0;
          return {
            map: (value) =>
              value.map((a) => {
                before += 4 * a.length;
                if (a.length < minSize) {
                  after += 4 * a.length;
                  return a.slice();
                }
                after += Math.ceil((a.length * bits) / 8) + 8;
                return quantizeArray(a, bits, stochastic, random);
              }),
            end: (out) => ({ state: { round: state.round + 1, inner: out.state }, measurements: { bytes_before: before, bytes_after: after, inner: out.measurements } }),
          };
        },
      });
    },
  };
}
