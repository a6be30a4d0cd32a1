import { describe, expect, it } from 'vitest';

import { createFedkitContainer } from '@fedkit/core';

import { buildProgram, resolveConfig } from './cli-program.js';
import { registerBuiltins } from './register-builtins.js';
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
    const c = resolveConfig(buildProgram(registerBuiltins(createFedkitContainer())).parse(['node', 'cli', '--rounds', '7', '--partition', 'dirichlet:0.5']));
    expect(c).toMatchObject({ rounds: 7, partition: 'dirichlet:0.5', clients: 100, clientsPerRound: 10, batchSize: 10, executor: 'worker-threads', resume: false });
    // The client optimizer is the task's unless flags say otherwise.
    expect(c.clientLr).toBeUndefined();
    expect(c.clientOptimizer).toBeUndefined();
  });

  it('reads --proximal-strength (FedProx mu) and --personalization-eval (fine-tuning epochs) into the config', () => {
    const program = (): ReturnType<typeof buildProgram> => buildProgram(registerBuiltins(createFedkitContainer())).exitOverride().configureOutput({ writeErr: () => undefined });
    const c = resolveConfig(program().parse(['node', 'cli', '--algorithm', 'fedprox', '--proximal-strength', '0.5', '--personalization-eval', '3']));
    expect(c).toMatchObject({ algorithm: 'fedprox', proximalStrength: 0.5, personalizationEval: 3 });
    expect(resolveConfig(program().parse(['node', 'cli'])).personalizationEval).toBeUndefined();
    expect(() => program().parse(['node', 'cli', '--proximal-strength', '-1'])).toThrow(/--proximal-strength must be a finite number >= 0, found -1/);
    expect(() => program().parse(['node', 'cli', '--personalization-eval', '0'])).toThrow(/--personalization-eval must be an integer >= 1, found 0/);
  });
});
