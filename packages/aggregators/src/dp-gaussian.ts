/**
 * DP-FedAvg's Gaussian mechanism: clip each client update, sum, add Gaussian noise, divide by the
 * expected number of clients per round.
 * McMahan, Ramage, Talwar, Zhang 2018, "Learning Differentially Private Recurrent Language Models" (ICLR);
 * adaptive clipping: Andrew et al. 2021. TFF: `tff.aggregators.DifferentiallyPrivateFactory.gaussian_fixed`
 * / `gaussian_adaptive`. Privacy is accounted with {@link RdpAccountant}.
 */
import { StructSpec, TensorSpec, ValueError, type AggregatorAccumulator, type AggregatorFactory, type StreamingAggregator } from '@fedkit/core';

import type { AdaptiveNormOptions } from './adaptive-norm.js';
import { nextNormEstimate } from './adaptive-norm.js';
import { initialBound } from './clipping.js';
import { DEFAULT_RDP_ORDERS, RdpAccountant } from './rdp-accountant.js';
import { noiseSource } from './secure-random.js';
import { valueSizes, checkValues } from './value-sizes.js';
import { globalNorm } from './vector-math.js';

/** Options of {@link dpGaussian}. */
export interface DpGaussianOptions {
  /** z: the noise standard deviation is z · clip on the sum. */
  noiseMultiplier: number;
  /** The expected number of clients per round (the mean's fixed denominator). */
  clientsPerRound: number;
  /** Fixed clip norm, or adaptive clipping (Andrew et al. 2021). */
  clipping: { norm: number } | { adaptive: AdaptiveNormOptions };
  /** Total number of clients, for the sampling rate q = clientsPerRound / totalClients; omit for q = 1. */
  totalClients?: number;
  /** δ of the reported (ε, δ); default 1e-5. */
  delta?: number;
  /**
   * TEST ONLY: draw the noise from a reproducible stream of this seed (and the round) instead of the
   * platform's cryptographically secure generator. Anyone who knows it can remove the noise, so the
   * reported ε then protects nothing; the measurement `noise_seeded` is 1 when it is set.
   */
  testOnlySeed?: string;
  /**
   * @deprecated Ignored: the noise always comes from the CSPRNG (an experiment seed must not decide
   * it). Use `testOnlySeed` in tests.
   */
  seed?: string;
}

/** State of a DP-Gaussian aggregator: everything needed to resume exactly. */
export interface DpGaussianState {
  readonly clipNorm: number;
  readonly round: number;
  /** Accumulated RDP per order of {@link DEFAULT_RDP_ORDERS}. */
  readonly rdp: number[];
}

/**
 * The DP-FedAvg aggregator factory (unweighted, as DP requires a bounded
 * per-client contribution): result = (Σ clip(Δᵢ) + N(0, (z·C)²)) / clientsPerRound,
 * i.e. noise of standard deviation z·C/clientsPerRound on the mean.
 * Measurements: `clip_norm`, `clipped_count`, `noise_stddev`, `epsilon`, `delta`, `noise_seeded`.
 *
 * The noise comes from the platform's CSPRNG (`crypto.getRandomValues`), so a
 * resumed DP run draws fresh noise: it is as private, but not bit-identical to
 * an uninterrupted run (only `testOnlySeed` makes it reproducible, for tests).
 *
 * @example
 * ```ts
 * const aggregator = dpGaussian({ noiseMultiplier: 1.0, clientsPerRound: 10, totalClients: 100, clipping: { norm: 0.5 } });
 * const process = buildUnweightedFedAvg({ modelFn, clientOptimizerFn, modelAggregator: aggregator });
 * ```
 */
export function dpGaussian(options: DpGaussianOptions): AggregatorFactory<DpGaussianState> {
  const { noiseMultiplier, clientsPerRound } = options;
  if (!(noiseMultiplier >= 0)) throw new ValueError(`noiseMultiplier must be non-negative, found ${noiseMultiplier}.`);
  if (!(Number.isInteger(clientsPerRound) && clientsPerRound > 0)) {
    throw new ValueError(`clientsPerRound must be a positive integer, found ${clientsPerRound}.`);
  }
  const totalClients = options.totalClients ?? clientsPerRound;
  if (totalClients < clientsPerRound) {
    throw new ValueError(`totalClients (${totalClients}) must be at least clientsPerRound (${clientsPerRound}).`);
  }
  const q = clientsPerRound / totalClients;
  const delta = options.delta ?? 1e-5;
  const { initial, adaptive } = initialBound(options.clipping, 'dpGaussian clipping');
  const testOnlySeed = options.testOnlySeed;
  return {
    weighted: false,
    create(valueSpec: StructSpec): StreamingAggregator<DpGaussianState> {
      const sizes = valueSizes(valueSpec);
      return {
        weighted: false,
        valueSpec,
        stateSpec: new StructSpec({ clip_norm: new TensorSpec([]), round: new TensorSpec([], 'int32'), rdp: new TensorSpec([DEFAULT_RDP_ORDERS.length]) }),
        measurementsSpec: new StructSpec({ clip_norm: new TensorSpec([]), clipped_count: new TensorSpec([], 'int32'), noise_stddev: new TensorSpec([]), epsilon: new TensorSpec([]), delta: new TensorSpec([]), noise_seeded: new TensorSpec([], 'int32') }),
        initialize: () => ({ clipNorm: initial, round: 0, rdp: DEFAULT_RDP_ORDERS.map(() => 0) }),
        async next(state, values) {
          checkValues(values, sizes, 'dpGaussian');
          const acc = this.accumulate(state);
          for (const v of values) acc.add(v);
          return acc.finish();
        },
        // Streams: each update is clipped and summed as it arrives (float64 sums in client order), noise is added once at the end.
        accumulate(state): AggregatorAccumulator<DpGaussianState> {
          const sums = sizes.map((n) => new Float64Array(n));
          const norms: number[] = [];
          let count = 0;
          return {
            add(value) {
              checkValues([value], sizes, 'dpGaussian');
              const norm = globalNorm(value);
              norms.push(norm);
              const factor = norm > state.clipNorm ? state.clipNorm / norm : 1;
              if (factor !== 1) count++;
              value.forEach((a, t) => {
                const s = sums[t]!;
                for (let i = 0; i < s.length; i++) s[i]! += factor === 1 ? a[i]! : Math.fround(a[i]! * factor);
              });
            },
            async finish() {
              const std = noiseMultiplier * state.clipNorm;
              // Noise from a cryptographically secure source (a seed only under the test-only option).
              const normal = noiseSource(testOnlySeed, state.round);
              const result = sums.map((s) => {
                const out = new Float32Array(s.length);
                for (let i = 0; i < s.length; i++) out[i] = (s[i]! + (std > 0 ? std * normal() : 0)) / clientsPerRound;
                return out;
              });
              const accountant = new RdpAccountant(DEFAULT_RDP_ORDERS);
              accountant.restore(state.rdp);
              accountant.compose(q, noiseMultiplier, 1);
              // Porting note: the unclipped fraction driving adaptive clipping is used without noise here, so the
              // quantile estimate itself is not covered by the accountant (TFF noises it as well).
              const clipNorm = adaptive ? nextNormEstimate(state.clipNorm, norms, adaptive) : state.clipNorm;
              return {
                state: { clipNorm, round: state.round + 1, rdp: accountant.state },
                result,
                measurements: {
                  clip_norm: state.clipNorm,
                  clipped_count: count,
                  noise_stddev: std / clientsPerRound,
                  epsilon: accountant.getEpsilon(delta),
                  delta,
                  noise_seeded: testOnlySeed === undefined ? 0 : 1,
                },
              };
            },
          };
        },
      };
    },
  };
}
