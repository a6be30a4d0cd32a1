/**
 * Central DP with client-side clipping: each client clips its update before upload; the server adds
 * Gaussian noise to the aggregate (or, with `noise: 'clients'`, each client adds its share of it).
 * McMahan, Ramage, Talwar, Zhang 2018, "Learning Differentially Private Recurrent Language Models" (ICLR).
 * Flower: `DifferentialPrivacyClientSideFixedClipping` with the client mod `fixedclipping_mod`.
 */
import { StructSpec, TensorSpec, ValueError, type Aggregator, type AggregatorFactory, type Measurements } from '@fedkit/core';

import { clipValues } from './clipping.js';
import { DEFAULT_RDP_ORDERS, RdpAccountant } from './rdp-accountant.js';
import { noiseSource } from './secure-random.js';
import { checkValues, valueSizes } from './value-sizes.js';

/** Options of {@link dpClientSideFixedClipping} (Flower's names in brackets). */
export interface DpClientSideOptions {
  /** z ≥ 0 (`noise_multiplier`): the noise on the sum has standard deviation z · C. */
  noiseMultiplier: number;
  /** C > 0 (`clipping_norm`): each client scales its update to L2 norm ≤ C before upload. */
  clippingNorm: number;
  /** Expected clients per round (`num_sampled_clients`), the mean's fixed denominator. */
  clientsPerRound: number;
  /**
   * Who draws the Gaussian noise:
   * - `'server'` (default, Flower): N(0, (z·C)²) added once to the sum of the clipped uploads;
   * - `'clients'`: each client adds N(0, (z·C)² / clientsPerRound) to its clipped update before upload, so
   *   the sum carries the same noise when all `clientsPerRound` clients report (distributed noise; pair it
   *   with a secure sum, since one client's upload alone has only 1/√clientsPerRound of it).
   */
  noise?: 'server' | 'clients';
  /**
   * An unweighted aggregator that returns the SUM of the uploads it gets (default: a plain sum), e.g.
   * `secureSum({ bound })` so that the server sees only masked, clipped uploads.
   */
  inner?: AggregatorFactory;
  /** Total number of clients, for the sampling rate q = clientsPerRound / totalClients; omit for q = 1. */
  totalClients?: number;
  /** δ of the reported (ε, δ); default 1e-5. */
  delta?: number;
  /**
   * TEST ONLY: draw the noise from a reproducible stream of this seed instead of the platform's
   * cryptographically secure generator; `noise_seeded` is 1 when set.
   */
  testOnlySeed?: string;
}

/** State: rounds done, accumulated RDP (per order of {@link DEFAULT_RDP_ORDERS}) and the inner state. */
export interface DpClientSideState {
  readonly round: number;
  readonly rdp: number[];
  readonly inner: unknown;
}

/**
 * Central DP with client-side fixed clipping (unweighted):
 * result = (Σ clip_C(Δᵢ) + N(0, (z·C)²)) / clientsPerRound.
 *
 * The clipping (and with `noise: 'clients'`, the noise) is the clients' part: it is applied to each
 * upload before `inner` sees it, so with `inner: secureSum(...)` the server never sees an unclipped
 * update. In `dpGaussian` the server clips. Measurements: `clip_norm`, `clipped_count`, `noise_stddev`
 * (on the result), `epsilon`, `delta`, `noise_seeded`, and the inner ones under `inner`.
 *
 * Porting note: Flower divides by the inner strategy's (example-weighted) total; here the denominator
 * is the fixed `clientsPerRound`, as in `dpGaussian` and TFF, so one client's influence stays bounded.
 * With `noise: 'clients'` and m of clientsPerRound clients reporting, the sum's noise is z·C·√(m/n) and
 * the accountant is charged for that smaller noise.
 * @throws ValueError on z < 0, C ≤ 0 or clientsPerRound ≤ 0 (Flower's checks); TypeError on a weighted inner.
 * @example
 * ```ts
 * const aggregator = dpClientSideFixedClipping({ noiseMultiplier: 1, clippingNorm: 0.5, clientsPerRound: 10, inner: secureSum({ bound: 0.5 }) });
 * buildUnweightedFedAvg({ modelFn, clientOptimizerFn, modelAggregator: aggregator });
 * ```
 */
export function dpClientSideFixedClipping(options: DpClientSideOptions): AggregatorFactory<DpClientSideState> {
  const { noiseMultiplier, clippingNorm, clientsPerRound, inner, testOnlySeed } = options;
  const noiseAt = options.noise ?? 'server';
  if (!(noiseMultiplier >= 0)) throw new ValueError(`The noise multiplier should be a non-negative value, found ${noiseMultiplier}.`);
  if (!(clippingNorm > 0)) throw new ValueError(`The clipping norm should be a positive value, found ${clippingNorm}.`);
  if (!(Number.isInteger(clientsPerRound) && clientsPerRound > 0)) {
    throw new ValueError(`clientsPerRound should be a positive integer (the number of clients sampled per round), found ${clientsPerRound}.`);
  }
  if (noiseAt !== 'server' && noiseAt !== 'clients') throw new ValueError(`noise must be 'server' or 'clients', found ${JSON.stringify(noiseAt)}.`);
  if (inner !== undefined && inner.weighted) {
    throw new TypeError('dpClientSideFixedClipping needs an unweighted inner aggregator that sums its inputs (e.g. secureSum), found a weighted one.');
  }
  const totalClients = options.totalClients ?? clientsPerRound;
  if (!(totalClients >= clientsPerRound)) throw new ValueError(`totalClients (${totalClients}) must be at least clientsPerRound (${clientsPerRound}).`);
  const q = clientsPerRound / totalClients;
  const delta = options.delta ?? 1e-5;
  const std = noiseMultiplier * clippingNorm;
  return {
    weighted: false,
    create(valueSpec: StructSpec): Aggregator<DpClientSideState> {
      const sizes = valueSizes(valueSpec);
      const innerAgg = inner?.create(valueSpec);
      return {
        weighted: false,
        valueSpec,
        stateSpec: new StructSpec({ round: new TensorSpec([], 'int32'), rdp: new TensorSpec([DEFAULT_RDP_ORDERS.length]), inner: innerAgg?.stateSpec ?? new StructSpec([]) }),
        measurementsSpec: new StructSpec({
          clip_norm: new TensorSpec([]),
          clipped_count: new TensorSpec([], 'int32'),
          noise_stddev: new TensorSpec([]),
          epsilon: new TensorSpec([]),
          delta: new TensorSpec([]),
          noise_seeded: new TensorSpec([], 'int32'),
          inner: innerAgg?.measurementsSpec ?? new StructSpec([]),
        }),
        initialize: () => ({ round: 0, rdp: DEFAULT_RDP_ORDERS.map(() => 0), inner: innerAgg?.initialize() ?? {} }),
        async next(state, values) {
          checkValues(values, sizes, 'dpClientSideFixedClipping');
          const normal = noiseSource(testOnlySeed, state.round);
          // The clients' part: clip, and with distributed noise add this client's share.
          const { clipped: uploads, count } = clipValues(values, clippingNorm);
          if (noiseAt === 'clients' && std > 0) {
            const share = std / Math.sqrt(clientsPerRound);
            for (const upload of uploads) for (const a of upload) for (let i = 0; i < a.length; i++) a[i] = a[i]! + share * normal();
          }
          // The server's part: sum (through inner), add the noise, divide by the expected count.
          let sum: Float32Array[];
          let innerState: unknown = state.inner;
          let innerMeasurements: Measurements = {};
          if (innerAgg === undefined) {
            sum = sizes.map((n, t) => {
              const acc = new Float64Array(n);
              for (const u of uploads) for (let i = 0; i < n; i++) acc[i]! += u[t]![i]!;
              return Float32Array.from(acc);
            });
          } else {
            const out = await innerAgg.next(state.inner, uploads);
            sum = out.result;
            innerState = out.state;
            innerMeasurements = out.measurements;
          }
          const serverStd = noiseAt === 'server' ? std : 0;
          const result = sum.map((a) => Float32Array.from(a, (s) => (s + (serverStd > 0 ? serverStd * normal() : 0)) / clientsPerRound));
          const sumStd = noiseAt === 'server' ? std : std * Math.sqrt(values.length / clientsPerRound);
          const accountant = new RdpAccountant(DEFAULT_RDP_ORDERS);
          accountant.restore(state.rdp);
          // Nothing was released when no client reported under distributed noise.
          if (noiseAt === 'server' || values.length > 0) accountant.compose(q, sumStd / clippingNorm, 1);
          return {
            state: { round: state.round + 1, rdp: accountant.state, inner: innerState },
            result,
            measurements: {
              clip_norm: clippingNorm,
              clipped_count: count,
              noise_stddev: sumStd / clientsPerRound,
              epsilon: accountant.getEpsilon(delta),
              delta,
              noise_seeded: testOnlySeed === undefined ? 0 : 1,
              inner: innerMeasurements,
            },
          };
        },
      };
    },
  };
}
