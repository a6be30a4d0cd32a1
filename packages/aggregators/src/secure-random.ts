/**
 * Randomness that must not be reproducible from anything public: DP noise and
 * secure-aggregation seeds. It comes from the platform's cryptographically
 * secure generator (Web Crypto `crypto.getRandomValues`, global in Node ≥ 19
 * and in browsers), never from an experiment seed: whoever knows the seed of
 * DP noise can subtract it and recover the exact clipped sum.
 */
import seedrandom from 'seedrandom';

import { boxMuller, gaussianSampler } from './gaussian-noise.js';

// Web Crypto refuses more than 65,536 bytes per call.
const MAX_UINT32_PER_CALL = 16_384;

function webCrypto(): { getRandomValues<T extends ArrayBufferView>(array: T): T } {
  const c = (globalThis as { crypto?: { getRandomValues?: unknown } }).crypto;
  if (c === undefined || typeof c.getRandomValues !== 'function') {
    throw new TypeError(
      'No cryptographically secure random source: globalThis.crypto.getRandomValues is missing. ' +
        'Run on Node >= 19 or a browser, or pass testOnlySeed in tests.',
    );
  }
  return c as { getRandomValues<T extends ArrayBufferView>(array: T): T };
}

/** `count` uniformly random 32-bit words from the platform's CSPRNG. */
export function secureRandomUint32(count: number): Uint32Array {
  const out = new Uint32Array(count);
  const crypto = webCrypto();
  for (let start = 0; start < count; start += MAX_UINT32_PER_CALL) {
    crypto.getRandomValues(out.subarray(start, Math.min(count, start + MAX_UINT32_PER_CALL)));
  }
  return out;
}

/**
 * A fresh 256-bit secret from the platform's CSPRNG, as 64 hex digits.
 * @example
 * ```ts
 * secureSeed(); // e.g. '3f9c…' (64 hex digits), different on every call
 * ```
 */
export function secureSeed(): string {
  return Array.from(secureRandomUint32(8), (w) => w.toString(16).padStart(8, '0')).join('');
}

/**
 * A uniform sampler over [0, 1) with 53 random bits per draw, from the
 * platform's CSPRNG (words are fetched in blocks, so a draw costs little).
 */
export function secureUniformSampler(): () => number {
  let block: Uint32Array = new Uint32Array(0);
  let next = 0;
  return () => {
    if (next + 2 > block.length) {
      block = secureRandomUint32(8_192);
      next = 0;
    }
    const high = block[next++]! >>> 5; // 27 bits
    const low = block[next++]! >>> 6; // 26 bits
    return (high * 67_108_864 + low) / 9_007_199_254_740_992;
  };
}

/**
 * A standard-normal sampler (Box–Muller) over {@link secureUniformSampler}:
 * not reproducible, not predictable from any seed.
 * @example
 * ```ts
 * const normal = secureGaussianSampler();
 * const noise = Float32Array.from({ length: 10 }, () => 0.1 * normal());
 * ```
 */
export function secureGaussianSampler(): () => number {
  return boxMuller(secureUniformSampler());
}

/**
 * The noise source of the DP aggregators: the CSPRNG, or, when a test passes
 * `testOnlySeed`, a reproducible stream for that seed and round (anyone who
 * knows the seed can remove that noise, so it is for tests only).
 */
export function noiseSource(testOnlySeed: string | undefined, round: number): () => number {
  return testOnlySeed === undefined ? secureGaussianSampler() : gaussianSampler(`${testOnlySeed}:${round}`);
}

/**
 * The seed source of secure aggregation: uniform integers in [0, bound) for
 * bound ≤ 2³², from the CSPRNG by rejection (exactly uniform), or from a
 * reproducible stream when a test passes `testOnlySeed`.
 */
export function integerSource(testOnlySeed: string | undefined, round: number): (bound: number) => number {
  if (testOnlySeed !== undefined) {
    const rng = seedrandom(`${testOnlySeed}:${round}`);
    return (bound) => Math.floor(rng() * bound);
  }
  let block: Uint32Array = new Uint32Array(0);
  let next = 0;
  const word = (): number => {
    if (next >= block.length) {
      block = secureRandomUint32(1_024);
      next = 0;
    }
    return block[next++]!;
  };
  return (bound) => {
    const limit = 2 ** 32 - (2 ** 32 % bound);
    for (;;) {
      const w = word();
      if (w < limit) return w % bound;
    }
  };
}
