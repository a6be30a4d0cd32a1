import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createFedkitContainer } from '@fedkit/core';

import { buildProgram, resolveRun } from './cli-program.js';
import { registerBuiltins } from './register-builtins.js';
import { DEFAULT_CONFIG } from './simulator-config.js';
import { CONFIG_KEY_NAMES, ConfigValueError, parseConfigFile } from './simulator-config-schema.js';

function program() {
  return buildProgram(registerBuiltins(createFedkitContainer())).exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
}

/** Parses flags as the CLI does, with a `--config` file holding `config`. */
function resolveWithFile(config: unknown, flags: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'config-schema-'));
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify(config));
  return resolveRun(program().parse(['node', 'cli', '--config', file, '--out', join(dir, 'out'), ...flags]));
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('the config schema: --config files', () => {
  it('refuses a negative client learning rate, naming the key, the expected range and the found value (before: it trained)', () => {
    const e = thrown(() => resolveWithFile({ clientLr: -1 }));
    expect(e).toBeInstanceOf(ConfigValueError);
    expect(e).toMatchObject({ key: 'clientLr', expected: 'a finite number > 0', found: -1 });
    expect((e as Error).message).toMatch(/^--config .*c\.json: clientLr must be a finite number > 0, found -1\. Fix the value, or remove the key to use the default\.$/);
  });

  it('refuses 0 local epochs and a zero learning rate together, listing both (before: a run that trained nothing)', () => {
    expect(() => parseConfigFile({ clientLr: 0, localEpochs: 0 }, 'c.json')).toThrow(
      'c.json: clientLr must be a finite number > 0, found 0; localEpochs must be an integer >= 1, found 0. Fix the value',
    );
  });

  it('refuses a number written as a string', () => {
    expect(() => parseConfigFile({ rounds: '2' }, 'c.json')).toThrow('rounds must be an integer >= 1, found "2"');
  });

  it('refuses a fractional count', () => {
    expect(() => parseConfigFile({ workers: 1.5 }, 'c.json')).toThrow('workers must be an integer >= 0, found 1.5');
  });

  it('refuses a negative evaluation period (before: evaluation silently never ran)', () => {
    expect(() => parseConfigFile({ evalEvery: -1 }, 'c.json')).toThrow('evalEvery must be an integer >= 0, found -1');
  });

  it('refuses an unknown optimizer, listing the known ones', () => {
    expect(() => parseConfigFile({ clientOptimizer: 'adamw' }, 'c.json')).toThrow('clientOptimizer must be one of sgd, momentum, adam, adamax, rmsprop, adagrad, adadelta, found "adamw"');
  });

  it('refuses a partition that is not iid, shards or dirichlet:<alpha > 0>', () => {
    for (const p of ['dirichlet', 'dirichlet:0', 'dirichlet:-1', 'noniid']) {
      expect(() => parseConfigFile({ partition: p }, 'c.json')).toThrow(`partition must be iid, shards or dirichlet:<alpha> with a finite alpha > 0 (e.g. dirichlet:0.5), found "${p}"`);
    }
    expect(parseConfigFile({ partition: 'dirichlet:0.5' }, 'c.json')).toEqual({ partition: 'dirichlet:0.5' });
  });

  it('refuses plugins given as one string instead of an array', () => {
    expect(() => parseConfigFile({ plugins: 'a.mjs' }, 'c.json')).toThrow('plugins must be an array of module paths, found "a.mjs"');
  });

  it('refuses unknown keys, listing the valid ones', () => {
    const e = thrown(() => parseConfigFile({ lr: 0.1, rounds: 2, epochs: 3 }, 'c.json'));
    expect(e).toBeInstanceOf(ConfigValueError);
    expect((e as Error).message).toBe(`c.json has unknown keys: lr, epochs. Valid keys: ${CONFIG_KEY_NAMES.join(', ')} (each flag's name in camelCase, e.g. clientLr for --client-lr).`);
    expect(CONFIG_KEY_NAMES).toContain('clientLr');
  });

  it('refuses a file that is not a JSON object', () => {
    expect(() => parseConfigFile([1], 'c.json')).toThrow('c.json must hold a JSON object such as {"rounds": 20}, found [1].');
  });

  it('accepts every default value, so each key of the config has a rule that its default meets', () => {
    expect(parseConfigFile({ ...DEFAULT_CONFIG, clientLr: 0.1, splitSeed: 0, clientTimeout: 5, proximalStrength: 0 }, 'defaults')).toMatchObject({ rounds: 200 });
  });

  it('a valid file is merged under the flags', () => {
    const { config } = resolveWithFile({ clientLr: 0.05, rounds: 5 }, ['--rounds', '3']);
    expect(config).toMatchObject({ clientLr: 0.05, rounds: 3 });
  });
});

describe('the config schema: flags', () => {
  it('refuses a flag with the same rule and words as the config key', () => {
    expect(() => program().parse(['node', 'cli', '--client-lr', '-1'])).toThrow("option '--client-lr <lr>' argument '-1' is invalid. --client-lr must be a finite number > 0, found -1.");
    expect(() => program().parse(['node', 'cli', '--rounds', '2.5'])).toThrow('--rounds must be an integer >= 1, found 2.5.');
    expect(() => program().parse(['node', 'cli', '--partition', 'dirichlet:0'])).toThrow('--partition must be iid, shards or dirichlet:<alpha> with a finite alpha > 0');
  });

  it('refuses an empty number instead of reading it as 0', () => {
    expect(() => program().parse(['node', 'cli', '--seed', ' '])).toThrow('--seed must be an integer >= 0, found " ".');
  });

  it('parses numbers from the flag text', () => {
    const opts = program().parse(['node', 'cli', '--client-lr', '1e-2', '--workers', '0']).opts();
    expect(opts).toMatchObject({ clientLr: 0.01, workers: 0 });
  });
});

describe("the config schema: a resumed run's config.json", () => {
  it('refuses a damaged value in config.json, saying to restore it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-saved-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...DEFAULT_CONFIG, batchSize: -10 }));
    expect(() => resolveRun(program().parse(['node', 'cli', '--resume', '--out', dir]))).toThrow(
      /^--resume: .*config\.json: batchSize must be an integer >= 1, found -10\. Restore it, or start a new run in another --out\.$/,
    );
  });
});
