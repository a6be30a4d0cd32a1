import { describe, expect, it } from 'vitest';

import seedrandom from 'seedrandom';

import { buildUniformSampler } from './uniform-sampler.js';

/** The sampler before it became O(clientsPerRound): partial Fisher-Yates over the full id array. */
function fullArrayDraw(numClients: number, clientsPerRound: number, seed: number, round: number): number[] {
  const rng = seedrandom(`${seed}:${round}`);
  const ids = Array.from({ length: numClients }, (_, i) => i);
  for (let i = 0; i < clientsPerRound; i++) {
    const j = i + Math.floor(rng() * (numClients - i));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids.slice(0, clientsPerRound).sort((a, b) => a - b);
}

describe('buildUniformSampler', () => {
  it('is deterministic per round and seed, whatever was sampled before', () => {
    const a = buildUniformSampler({ numClients: 50, clientsPerRound: 5, seed: 7 });
    const b = buildUniformSampler({ numClients: 50, clientsPerRound: 5, seed: 7 });
    a.sample(1);
    a.sample(2);
    expect(a.sample(3)).toEqual(b.sample(3));
  });

  it('draws distinct, sorted ids in range', () => {
    const s = buildUniformSampler({ numClients: 10, clientsPerRound: 10, seed: 1 });
    // All 10 of 10 clients: the only possible subset is 0..9.
    expect(s.sample(4)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('differs across rounds and seeds', () => {
    const s = buildUniformSampler({ numClients: 1000, clientsPerRound: 10, seed: 1 });
    const t = buildUniformSampler({ numClients: 1000, clientsPerRound: 10, seed: 2 });
    // Two equal 10-subsets of 1000 have probability 1/C(1000,10) ≈ 4e-24.
    expect(s.sample(1)).not.toEqual(s.sample(2));
    expect(s.sample(1)).not.toEqual(t.sample(1));
  });

  it('is roughly uniform over clients', () => {
    const s = buildUniformSampler({ numClients: 4, clientsPerRound: 1, seed: 3 });
    const counts = [0, 0, 0, 0];
    for (let r = 1; r <= 4000; r++) counts[s.sample(r)[0]!]! += 1;
    // Expected 1000 each; binomial sd = sqrt(4000·0.25·0.75) ≈ 27, so ±150 is > 5 sd.
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('draws the same clients as the full-array shuffle it replaced', () => {
    // Same seeds and generator: runs and checkpoints made before the change sample the same clients.
    for (const [n, k, seed] of [[100, 10, 0], [20, 20, 3], [7, 3, 11], [1000, 50, 42]] as const) {
      const s = buildUniformSampler({ numClients: n, clientsPerRound: k, seed });
      for (let r = 1; r <= 20; r++) expect(s.sample(r)).toEqual(fullArrayDraw(n, k, seed, r));
    }
  });

  it('samples from more registered clients than an array can hold', () => {
    // 2^40 ids: the full-array version could not even allocate them; only the k drawn slots are stored.
    const s = buildUniformSampler({ numClients: 2 ** 40, clientsPerRound: 5, seed: 1 });
    const ids = s.sample(1);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(Number.isInteger(id) && id >= 0 && id < 2 ** 40).toBe(true);
  });

  it('throws when clientsPerRound exceeds numClients', () => {
    expect(() => buildUniformSampler({ numClients: 3, clientsPerRound: 4, seed: 0 })).toThrow(/clientsPerRound must be an integer in 1..3/);
  });
});
