import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';

import { prepareRun } from './run-config.js';
import { DEFAULT_CONFIG, mergeConfig } from './simulator-config.js';

const TINY = fileURLToPath(new URL('../fixtures/tiny-task.mjs', import.meta.url));

async function finalWeights(workers: number): Promise<{ bytes: Buffer; failures: number }> {
  const out = mkdtempSync(join(tmpdir(), `pool-${workers}-`));
  const config = mergeConfig(DEFAULT_CONFIG, {
    task: TINY, clients: 8, clientsPerRound: 4, batchSize: 5, rounds: 3, runtime: 'cpu', workers, out, evalEvery: 0, checkpointEvery: 3,
  });
  const run = await prepareRun(config);
  const events = await lastValueFrom(run.events.pipe(toArray()));
  const saved = events.filter((e) => e.kind === 'checkpoint-saved').at(-1);
  if (saved?.kind !== 'checkpoint-saved') throw new Error('no checkpoint was saved');
  return {
    bytes: readFileSync(join(saved.path, 'weights.bin')),
    failures: events.filter((e) => e.kind === 'client-finished' && !e.ok).length,
  };
}

describe('WorkerPoolExecutor', () => {
  it('gives the same weights, to the bit, as the in-process sequential executor', async () => {
    const sequential = await finalWeights(0);
    const parallel = await finalWeights(2);
    expect(parallel.failures).toBe(0);
    expect(sequential.bytes.byteLength).toBeGreaterThan(0);
    expect(Buffer.compare(parallel.bytes, sequential.bytes)).toBe(0);
  });
});
