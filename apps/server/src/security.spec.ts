import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ClientRefusedError, connectClient, encodeFrames, FrameDecoder, PROTOCOL_VERSION, serverMessageSchema, type ServerMessage } from '@fedkit/client';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { mnistClientData } from './mnist-client-data.js';
import { startFederation, until } from './testing/start-federation.js';
import { TokenAuthority } from './token-authority.js';

/** A hand-driven client: says hello, then answers each task with `answer(round)` (frames to send). */
function rawClient(url: string, token: string, answer: (m: Extract<ServerMessage, { t: 'train' }>) => Uint8Array[]): { done: Promise<void>; received: ServerMessage[] } {
  const received: ServerMessage[] = [];
  const socket = new WebSocket(url);
  const decoder = new FrameDecoder(serverMessageSchema, 1 << 30);
  socket.on('open', () => encodeFrames({ t: 'hello', v: PROTOCOL_VERSION, token }, 1 << 20).forEach((f) => socket.send(f)));
  socket.on('message', (data: Buffer) => {
    const m = decoder.push(new Uint8Array(data));
    if (m === undefined) return;
    received.push(m);
    if (m.t === 'train') answer(m).forEach((f) => socket.send(f));
    if (m.t === 'done') socket.close();
  });
  return { received, done: new Promise((resolve) => socket.on('close', () => resolve())) };
}

describe('server security', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('refuses a client whose token was signed with another secret', async () => {
    // Arrange
    const f = await startFederation({ rounds: 1, clientsPerRound: 1, minClients: 1 });
    cleanup.push(() => f.server.close());
    const forged = new TokenAuthority('another-secret-0123456789').issue({ client: 'mallory', federation: 'test', exp: 0 });
    const client = connectClient({ url: f.wsUrl, token: forged, data: [] });

    // Act
    const error = await client.run().catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(ClientRefusedError);
    expect((error as ClientRefusedError).code).toBe('auth');
    expect(f.federation.status().clients).toHaveLength(0);
  });

  it('rejects and counts a NaN update, a wrong-shape update and one 10x the size limit, and keeps serving', async () => {
    // Arrange: 2 honest clients and one that sends a bad update every round; 3 clients a round, 2 suffice.
    const f = await startFederation({ rounds: 3, clientsPerRound: 3, minClients: 2, overSelection: 0, maxMessageMib: 2 });
    cleanup.push(() => f.server.close());
    const honest = [0, 1].map((part) => connectClient({ url: f.wsUrl, token: f.token(`honest-${part}`), data: mnistClientData({ part, parts: 2, examples: 40, batchSize: 20, epochs: 1 }).data }));
    cleanup.push(() => honest.forEach((c) => c.dispose()));
    const shapes = f.federation.description.trainableShapes;
    const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
    const result = (m: { round: number; task: string }, update: Float32Array[]): Uint8Array[] =>
      encodeFrames({ t: 'result', round: m.round, task: m.task, update: update.map((u) => new Uint8Array(u.buffer)), numExamples: 10, numBatches: 1, updateNonFinite: false, metrics: {} }, 1 << 20);
    const bad = rawClient(f.wsUrl, f.token('mallory'), (m) => {
      if (m.round === 1) return result(m, sizes.map((n) => new Float32Array(n).fill(Number.NaN)));
      if (m.round === 2) return result(m, sizes.slice(0, -1).map((n) => new Float32Array(n)));
      return result(m, [new Float32Array((10 * 2 * 1024 * 1024) / 4)]); // 20 MiB: 10x the 2 MiB limit
    });
    const running = honest.map((c) => c.run());
    await until(() => f.federation.status().clients.length === 3);

    // Act
    const summary = await f.federation.run();
    await Promise.all(running);

    // Assert
    expect(summary.roundsCompleted).toBe(3);
    const rounds = readFileSync(join(f.out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string>).filter((e) => e['kind'] === 'round-finished');
    expect(rounds.map((r) => [r['clients'], r['rejected_non_finite'], r['rejected_shape'], r['rejected_too_large']])).toEqual([
      [2, 1, 0, 0],
      [2, 0, 1, 0],
      [2, 0, 0, 1],
    ]);
    expect(bad.received.filter((m) => m.t === 'rejected').map((m) => (m as { reason: string }).reason.split(':')[0])).toEqual(['non_finite', 'shape', 'too_large']);
    // Every accepted round moved the global model only by finite amounts.
    const csv = readFileSync(join(f.out, 'metrics.csv'), 'utf8');
    expect(csv).not.toMatch(/NaN/);
  });
});
