import { describe, expect, it } from 'vitest';

import { buildProgram, resolveConfig } from './cli-program.js';
import { DEFAULT_CONFIG, mergeConfig } from './simulator-config.js';

describe('mergeConfig', () => {
  it('later layers win and undefined values are skipped', () => {
    const c = mergeConfig(DEFAULT_CONFIG, { rounds: 5, seed: 3 }, { rounds: 2, seed: undefined });
    expect(c.rounds).toBe(2);
    expect(c.seed).toBe(3);
    expect(c.task).toBe('mnist-2nn');
  });
});

describe('resolveConfig', () => {
  it('uses defaults for flags that were not given', () => {
    const c = resolveConfig(buildProgram().parse(['node', 'cli', '--rounds', '7', '--partition', 'dirichlet:0.5']));
    expect(c).toMatchObject({ rounds: 7, partition: 'dirichlet:0.5', clients: 100, clientsPerRound: 10, batchSize: 10, clientLr: 0.1, resume: false });
  });
});
