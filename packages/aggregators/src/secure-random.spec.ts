import { describe, expect, it } from 'vitest';

import { integerSource, noiseSource, secureGaussianSampler, secureRandomUint32, secureSeed, secureUniformSampler } from './secure-random.js';

describe('secure randomness', () => {
  it('secureSeed gives 64 hex digits, different on every call', () => {
    const a = secureSeed();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(secureSeed()).not.toBe(a);
  });

  it('fills more words than one getRandomValues call allows (65,536 bytes)', () => {
    const words = secureRandomUint32(40_000);
    expect(words).toHaveLength(40_000);
    // the last block is filled too: 10,000 words all zero has probability 2^-320000
    expect(words.subarray(30_000).some((w) => w !== 0)).toBe(true);
  });

  it('uniform draws lie in [0, 1) with mean 1/2 and variance 1/12 (20,000 draws, > 10 standard errors of slack)', () => {
    const u = secureUniformSampler();
    const xs = Array.from({ length: 20_000 }, u);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.01);
  });

  it('normal draws have mean 0 and standard deviation 1 (20,000 draws, within 5%)', () => {
    const normal = secureGaussianSampler();
    const xs = Array.from({ length: 20_000 }, normal);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(std - 1)).toBeLessThan(0.05);
  });

  it('noiseSource is reproducible only with a testOnlySeed', () => {
    const draw = (seed: string | undefined) => Array.from({ length: 4 }, noiseSource(seed, 3));
    expect(draw('t')).toEqual(draw('t'));
    expect(draw('t')).not.toEqual(draw('t2'));
    expect(draw(undefined)).not.toEqual(draw(undefined));
  });

  it('integerSource draws every value of a small range, and only those', () => {
    const next = integerSource(undefined, 0);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3_000; i++) counts[next(3)]!++;
    // each count is Binomial(3000, 1/3): mean 1000, sd 26
    counts.forEach((c) => expect(Math.abs(c - 1000)).toBeLessThan(200));
    expect(counts.reduce((s, c) => s + c, 0)).toBe(3_000);
  });
});
