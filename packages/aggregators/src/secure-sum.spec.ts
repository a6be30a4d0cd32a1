import seedrandom from 'seedrandom';
import { StructSpec, TensorSpec, ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { secureMean, secureSum } from './secure-sum.js';
import { reconstructSecret, shareSecret } from './shamir.js';
import { runSecureSum } from './secure-sum.js';

const N = 10;
const SIZE = 50;
const rng = seedrandom('secagg-test');
const clientValues = Array.from({ length: N }, () => [Float32Array.from({ length: SIZE }, () => rng() * 2 - 1)]);
const spec = new StructSpec([new TensorSpec([SIZE])]);

describe('shamir', () => {
  it('rebuilds a secret from any t shares and refuses fewer', () => {
    const r = seedrandom('shamir');
    const shares = shareSecret(123456789n, 5, 3, () => BigInt(Math.floor(r() * 2 ** 31)));
    expect(reconstructSecret([shares[4]!, shares[0]!, shares[2]!], 3)).toBe(123456789n);
    expect(reconstructSecret([shares[1]!, shares[3]!, shares[2]!], 3)).toBe(123456789n);
    expect(() => reconstructSecret(shares.slice(0, 2), 3)).toThrow(ValueError);
  });
});

describe('secureSum', () => {
  for (const dropped of [[], [4], [1, 5, 8]]) {
    it(`equals the plain sum of the survivors within the quantization error with ${dropped.length} dropouts`, async () => {
      const bits = 16;
      const step = 2 / (2 ** bits - 1); // bound 1
      const agg = secureSum({ bound: 1, bits, threshold: 6, dropouts: () => dropped }).create(spec);
      const { result, measurements } = await agg.next(agg.initialize(), clientValues);
      const survivors = clientValues.filter((_, i) => !dropped.includes(i));
      for (let k = 0; k < SIZE; k++) {
        const plain = survivors.reduce((s, v) => s + v[0]![k]!, 0);
        // each value is rounded to the nearest level: at most step / 2 off, per survivor
        expect(Math.abs(result[0]![k]! - plain)).toBeLessThanOrEqual((survivors.length * step) / 2 + 1e-5);
      }
      expect(measurements['survivors']).toBe(N - dropped.length);
    });
  }

  it('fails with a clear error, not a wrong sum, when fewer clients than the threshold survive', async () => {
    const agg = secureSum({ bound: 1, threshold: 8, dropouts: () => [0, 1, 2] }).create(spec);
    await expect(agg.next(agg.initialize(), clientValues)).rejects.toThrow(/at least 8 surviving clients .* only 7 of 10/);
  });

  it('shows the server masked vectors that look uniform over Z_2^32', () => {
    // One client's masked input: 16,000 values of a constant input. Chi-squared over 16 equal buckets
    // (15 degrees of freedom): the 99.9% critical value is 37.7.
    const size = 16_000;
    const inputs = Array.from({ length: 4 }, () => [new Uint32Array(size).fill(7)]);
    const { serverView } = runSecureSum(inputs, [size], 3, new Set(), 'uniformity');
    const counts = new Array<number>(16).fill(0);
    for (const v of serverView[2]![0]!) counts[Math.floor(v / 2 ** 28)]!++;
    const expected = size / 16;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(37.7);
  });

  it('draws mask seeds that no experiment seed reproduces; testOnlySeed makes them reproducible (issue #16)', () => {
    const inputs = Array.from({ length: 3 }, () => [new Uint32Array(8).fill(7)]);
    const view = (seed: string | undefined) => Array.from(runSecureSum(inputs, [8], 2, new Set(), seed).serverView[0]![0]!);
    expect(view(undefined)).not.toEqual(view(undefined));
    expect(view('t')).toEqual(view('t'));
  });

  it('reports masks_seeded 0 with the deprecated seed option (ignored) and 1 with testOnlySeed', async () => {
    const run = async (options: { seed?: string; testOnlySeed?: string }) => {
      const agg = secureSum({ bound: 1, ...options }).create(spec);
      return agg.next(agg.initialize(), clientValues);
    };
    expect((await run({ seed: 'public' })).measurements['masks_seeded']).toBe(0);
    expect((await run({ testOnlySeed: 't' })).measurements['masks_seeded']).toBe(1);
  });

  it('secureMean divides the secure sum by the number of survivors', async () => {
    const agg = secureMean({ bound: 1, dropouts: () => [0] }).create(spec);
    const { result } = await agg.next(agg.initialize(), clientValues);
    const plain = clientValues.slice(1).reduce((s, v) => s + v[0]![0]!, 0) / 9;
    expect(result[0]![0]).toBeCloseTo(plain, 3);
  });
});
