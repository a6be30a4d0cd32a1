import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { MetricsLog } from './metrics-log.js';

describe('MetricsLog', () => {
  it('writes one JSON line per event and one CSV row per round', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-'));
    const log = new MetricsLog(dir);
    log.addEvent({ kind: 'a' });
    log.addEvent({ kind: 'b', x: 1 });
    log.addRound({ round: 1, train: { loss: 0.5, acc: 0.25 }, durationMs: 1000, examplesPerSecond: 20, clients: 2, failures: 0 });
    log.addRound({ round: 2, train: { loss: 0.25, acc: 0.5 }, durationMs: 500, examplesPerSecond: 40, clients: 2, failures: 1 });
    log.setEval(2, { loss: 0.75 });
    await log.flush();
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([{ kind: 'a' }, { kind: 'b', x: 1 }]);
    expect(readFileSync(join(dir, 'metrics.csv'), 'utf8')).toBe(
      'round,duration_ms,examples_per_second,clients,failures,train_loss,train_acc,eval_loss\n' +
        '1,1000.0,20.0,2,0,0.5,0.25,\n' +
        '2,500.0,40.0,2,1,0.25,0.5,0.75\n',
    );
  });
});
