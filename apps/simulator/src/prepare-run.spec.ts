import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { prepareRun } from './prepare-run.js';
import { DEFAULT_CONFIG, mergeConfig } from './simulator-config.js';

const RECORDING = fileURLToPath(new URL('../fixtures/recording-task.mjs', import.meta.url));

describe('prepareRun', () => {
  it("loads a task's data with a split seed of its own, so --seed never changes the test set", async () => {
    const { calls } = (await import(RECORDING)) as { calls: { seed: number; splitSeed: number }[] };
    const base = { task: RECORDING, clients: 8, clientsPerRound: 4, runtime: 'cpu', workers: 0, out: mkdtempSync(join(tmpdir(), 'prepare-')) };
    await prepareRun(mergeConfig(DEFAULT_CONFIG, { ...base, seed: 3 }));
    await prepareRun(mergeConfig(DEFAULT_CONFIG, { ...base, seed: 4 }));
    await prepareRun(mergeConfig(DEFAULT_CONFIG, { ...base, seed: 4, splitSeed: 7 }));
    expect(calls).toEqual([
      { seed: 3, splitSeed: 0 },
      { seed: 4, splitSeed: 0 },
      { seed: 4, splitSeed: 7 },
    ]);
  });
});
