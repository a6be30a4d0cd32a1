import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { connectClient } from '@fedkit/client';
import { afterEach, describe, expect, it } from 'vitest';

import { mnistClientData } from './mnist-client-data.js';
import { startFederation, until } from './testing/start-federation.js';

describe('Federation with remote Node clients', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('runs FedAvg rounds over connected clients, writes metrics and checkpoints, and tells clients it is done', async () => {
    // Arrange: 3 clients with 100 examples each, 2 per round (over-selection picks all 3, the round closes at 2).
    const f = await startFederation({ rounds: 2, clientsPerRound: 2, minClients: 2, overSelection: 0.5 });
    cleanup.push(() => f.server.close());
    const clients = [0, 1, 2].map((part) => connectClient({ url: f.wsUrl, token: f.token(`node-${part}`), data: mnistClientData({ part, parts: 3, examples: 100, batchSize: 20, epochs: 1 }).data }));
    cleanup.push(() => clients.forEach((c) => c.dispose()));

    const running = clients.map((c) => c.run());
    await until(() => f.federation.status().clients.length === 3);

    // Act
    const [summary] = await Promise.all([f.federation.run(), ...running]);

    // Assert
    expect(summary.roundsCompleted).toBe(2);
    const events = readFileSync(join(f.out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const rounds = events.filter((e) => e['kind'] === 'round-finished');
    expect(rounds.map((r) => r['clients'])).toEqual([2, 2]);
    expect(rounds.map((r) => r['sent'])).toEqual([3, 3]);
    expect(rounds.map((r) => r['not_needed'])).toEqual([1, 1]);
    expect(readFileSync(join(f.out, 'metrics.csv'), 'utf8').split('\n')[0]).toContain('eval_sparse_categorical_accuracy');
    expect(events.some((e) => e['kind'] === 'checkpoint-saved' && e['round'] === 2)).toBe(true);
    const status = (await (await fetch(`${f.url}/status`)).json()) as { federations: { state: string; round: number; last: { clients: number } }[] };
    expect(status.federations.map((x) => [x.state, x.round, x.last.clients])).toEqual([['finished', 2, 2]]);
    expect(await (await fetch(`${f.url}/`)).text()).toContain('fetch(\'status\')');
  });
});
