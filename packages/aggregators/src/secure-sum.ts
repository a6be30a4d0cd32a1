/**
 * Simulated secure aggregation with pairwise additive masks and dropout recovery.
 * Bonawitz et al. 2017, "Practical Secure Aggregation for Privacy-Preserving Machine Learning" (CCS),
 * in simplified form: pairwise seeds are drawn by the simulation (no key agreement) from the platform's
 * cryptographically secure generator, each seed is Shamir-shared among all clients, and a dropped
 * client's seeds are rebuilt from the survivors' shares.
 * TFF: `tff.aggregators.SecureSumFactory` (sum of values clipped to a range and quantized to integers).
 */
import seedrandom from 'seedrandom';
import { StructSpec, TensorSpec, ValueError, type Aggregator, type AggregatorFactory } from '@fedkit/core';

import { integerSource } from './secure-random.js';
import { reconstructSecret, shareSecret, SHAMIR_PRIME, type Share } from './shamir.js';
import { checkValues, valueSizes } from './value-sizes.js';

/** The masking modulus: masked values live in Z_{2³²}. */
const MODULUS = 2 ** 32;

/** Options of {@link secureSum} and {@link secureMean}. */
export interface SecureSumOptions {
  /** Values are clipped to [−bound, bound] before quantization. */
  bound: number;
  /** Quantization levels 2^bits − 1 over [−bound, bound]; default 16. */
  bits?: number;
  /** Shamir threshold t: the sum needs at least t surviving clients; default ⌊n/2⌋ + 1. */
  threshold?: number | ((numClients: number) => number);
  /** Which clients (by index) drop after sending their shares but before their masked input: for tests and simulations. */
  dropouts?: (round: number, numClients: number) => readonly number[];
  /**
   * TEST ONLY: draw the pairwise seeds and Shamir coefficients from a reproducible stream of this seed
   * (and the round) instead of the platform's cryptographically secure generator; whoever knows it can
   * unmask every client. The measurement `masks_seeded` is 1 when it is set.
   */
  testOnlySeed?: string;
  /**
   * @deprecated Ignored: mask seeds always come from the CSPRNG (an experiment seed must not decide
   * them). Use `testOnlySeed` in tests.
   */
  seed?: string;
}

/** What one run of the protocol produced: the sum and what the server saw. */
export interface SecureSumRun {
  /** Integer sum (mod 2³²) of the survivors' quantized values, one array per tensor. */
  readonly sum: Uint32Array[];
  /** The masked vectors the server received, by client index (undefined for dropped clients). */
  readonly serverView: (Uint32Array[] | undefined)[];
  readonly survivors: number[];
}

function prg(seed: bigint): () => number {
  const rng = seedrandom(`mask:${seed}`);
  return () => rng.int32() >>> 0;
}

/**
 * Runs the masking protocol over integer inputs (one Uint32Array per tensor per client).
 * `testOnlySeed` undefined (the normal case) draws the pairwise seeds and the Shamir
 * coefficients from the platform's CSPRNG; a string makes them reproducible, for tests only.
 * @throws ValueError when fewer survivors than the threshold remain: the sum cannot be unmasked.
 */
export function runSecureSum(
  inputs: readonly (readonly Uint32Array[])[],
  sizes: readonly number[],
  threshold: number,
  dropped: ReadonlySet<number>,
  testOnlySeed: string | undefined,
): SecureSumRun {
  const n = inputs.length;
  const uniform = integerSource(testOnlySeed, 0);
  const random = (): bigint => BigInt(uniform(Number(SHAMIR_PRIME)));
  // Pairwise seeds s[i][j] = s[j][i], each shared among all clients with threshold t.
  const seeds: bigint[][] = Array.from({ length: n }, () => Array<bigint>(n).fill(0n));
  const shares: Share[][][] = Array.from({ length: n }, () => Array<Share[]>(n));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = random();
      seeds[i]![j] = s;
      seeds[j]![i] = s;
      shares[i]![j] = shareSecret(s, n, threshold, random);
    }
  }
  const maskedBy = (i: number, j: number) => prg(seeds[i]![j]!);
  const serverView: (Uint32Array[] | undefined)[] = inputs.map((value, i) => {
    if (dropped.has(i)) return undefined;
    const masked = value.map((a) => Float64Array.from(a));
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const stream = maskedBy(Math.min(i, j), Math.max(i, j));
      const sign = i < j ? 1 : -1;
      masked.forEach((a) => {
        for (let k = 0; k < a.length; k++) a[k] = a[k]! + sign * stream();
      });
    }
    return masked.map((a) => Uint32Array.from(a, (v) => ((v % MODULUS) + MODULUS) % MODULUS));
  });
  const survivors = [...Array(n).keys()].filter((i) => !dropped.has(i));
  if (survivors.length < threshold) {
    throw new ValueError(
      `Secure aggregation needs at least ${threshold} surviving clients (the Shamir threshold) to unmask the sum, ` +
        `but only ${survivors.length} of ${n} remain. Lower the threshold or sample more clients.`,
    );
  }
  const acc = sizes.map((size) => new Float64Array(size));
  for (const i of survivors) serverView[i]!.forEach((a, t) => a.forEach((v, k) => (acc[t]![k] = (acc[t]![k]! + v) % MODULUS)));
  // Masks between a survivor and a dropped client did not cancel: rebuild those seeds from t survivors' shares.
  for (const d of dropped) {
    for (const j of survivors) {
      const [lo, hi] = [Math.min(d, j), Math.max(d, j)];
      const held = survivors.slice(0, threshold).map((k) => shares[lo]![hi]![k]!);
      const stream = prg(reconstructSecret(held, threshold));
      const sign = j < d ? -1 : 1; // undo +mask (j < d) or −mask (j > d) that survivor j added
      acc.forEach((a) => {
        for (let k = 0; k < a.length; k++) a[k] = (((a[k]! + sign * stream()) % MODULUS) + MODULUS) % MODULUS;
      });
    }
  }
  return { sum: acc.map((a) => Uint32Array.from(a)), serverView, survivors };
}

function thresholdFor(option: SecureSumOptions['threshold'], n: number): number {
  if (option === undefined) return Math.floor(n / 2) + 1;
  return typeof option === 'function' ? option(n) : option;
}

function secureFactory(options: SecureSumOptions, mean: boolean): AggregatorFactory<{ round: number }> {
  const bits = options.bits ?? 16;
  const { bound } = options;
  if (!(bound > 0)) throw new ValueError(`secure aggregation bound must be positive, found ${bound}.`);
  if (!(Number.isInteger(bits) && bits >= 1 && bits <= 24)) throw new ValueError(`bits must be an integer in [1, 24], found ${bits}.`);
  const levels = 2 ** bits - 1;
  const step = (2 * bound) / levels;
  const testOnlySeed = options.testOnlySeed;
  return {
    weighted: false,
    create(valueSpec: StructSpec): Aggregator<{ round: number }> {
      const sizes = valueSizes(valueSpec);
      return {
        weighted: false,
        valueSpec,
        stateSpec: new StructSpec([]),
        measurementsSpec: new StructSpec({ survivors: new TensorSpec([], 'int32'), dropped: new TensorSpec([], 'int32'), quantization_step: new TensorSpec([]), masks_seeded: new TensorSpec([], 'int32') }),
        initialize: () => ({ round: 0 }),
        async next(state, values) {
          checkValues(values, sizes, mean ? 'secureMean' : 'secureSum');
          const n = values.length;
          if (n * levels >= MODULUS) throw new ValueError(`${n} clients × 2^${bits} levels overflow the 2³² field; lower bits.`);
          const quantized = values.map((v) =>
            v.map((a) => Uint32Array.from(a, (x) => Math.round((Math.min(bound, Math.max(-bound, x)) + bound) / step))),
          );
          const dropped = new Set(options.dropouts?.(state.round, n) ?? []);
          const run = runSecureSum(quantized, sizes, thresholdFor(options.threshold, n), dropped, testOnlySeed === undefined ? undefined : `${testOnlySeed}:${state.round}`);
          const count = run.survivors.length;
          const result = run.sum.map((a) => Float32Array.from(a, (s) => (s * step - count * bound) / (mean ? Math.max(count, 1) : 1)));
          return {
            state: { round: state.round + 1 },
            result,
            measurements: { survivors: count, dropped: dropped.size, quantization_step: step, masks_seeded: testOnlySeed === undefined ? 0 : 1 },
          };
        },
      };
    },
  };
}

/**
 * Secure sum: clients' values, clipped to [−bound, bound] and quantized to
 * `bits`, are summed under pairwise masks; the server only sees masked vectors.
 * Exact up to the quantization step (2·bound / (2^bits − 1)) per client.
 * @example
 * ```ts
 * const agg = secureSum({ bound: 1, bits: 16 }).create(spec);
 * ```
 */
export function secureSum(options: SecureSumOptions): AggregatorFactory<{ round: number }> {
  return secureFactory(options, false);
}

/**
 * Secure unweighted mean: the secure sum divided by the number of surviving clients.
 * // Porting note: TFF composes `SecureSumFactory` under `MeanFactory`; this is that composition.
 * @example
 * ```ts
 * buildUnweightedFedAvg({ modelFn, clientOptimizerFn, modelAggregator: secureMean({ bound: 0.5 }) });
 * ```
 */
export function secureMean(options: SecureSumOptions): AggregatorFactory<{ round: number }> {
  return secureFactory(options, true);
}
