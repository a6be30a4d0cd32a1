import { join } from 'node:path';

import { buildClientModel, FedkitClient, FrameDecoder, quantizeWeighted, serverMessageSchema, clientMessageSchema, type ServerMessage, type WebSocketFactory } from '@fedkit/client';
import type { ClientTask } from '@fedkit/core';
import { runClientTask } from '@fedkit/learning';
import { loadLatestCheckpoint } from '@fedkit/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { mnistClientData } from './mnist-client-data.js';
import { startFederation, until } from './testing/start-federation.js';

const BOUND = 1;
const BITS = 16;
const STEP = (2 * BOUND) / (2 ** BITS - 1);

/** A `ws` WebSocket that records the server's messages and, when `dropMasked`, closes instead of sending its masked update. */
function recordingSocket(received: ServerMessage[], dropMasked: { on: boolean; dropped: boolean }): WebSocketFactory {
  return class extends WebSocket {
    private readonly incoming = new FrameDecoder(serverMessageSchema, 1 << 30);
    private readonly outgoing = new FrameDecoder(clientMessageSchema, 1 << 30);
    constructor(url: string) {
      super(url);
      this.on('message', (data: Buffer) => {
        const m = this.incoming.push(new Uint8Array(data));
        if (m !== undefined) received.push(m);
      });
    }
    override send(data: Uint8Array): void {
      const m = this.outgoing.push(data);
      if (dropMasked.on && m?.t === 'sa-masked') {
        dropMasked.dropped = true;
        this.terminate();
        return;
      }
      super.send(data);
    }
  } as unknown as WebSocketFactory;
}

describe('secure aggregation across remote clients', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('gives the survivors’ weighted mean within the quantization step when one client drops after masking, and the server sees only masked vectors', async () => {
    // Arrange: 5 clients, all selected; client 4 drops after it has masked its update.
    const masked = new Map<string, Uint32Array>();
    const f = await startFederation({ rounds: 1, clientsPerRound: 5, minClients: 3, overSelection: 0, aggregator: `secure:${BOUND}:${BITS}` }, { onMaskedInput: (s, w) => masked.set(s, w.slice()) });
    cleanup.push(() => f.server.close());
    const parts = [0, 1, 2, 3, 4].map((part) => mnistClientData({ part, parts: 5, examples: 30, batchSize: 10, epochs: 1 }));
    const received: ServerMessage[][] = parts.map(() => []);
    const drop = parts.map((_, i) => ({ on: i === 4, dropped: false }));
    const clients = parts.map((p, i) => new FedkitClient(recordingSocket(received[i]!, drop[i]!), { url: f.wsUrl, token: f.token(`node-${i}`), data: p.data, maxAttempts: 1 }));
    cleanup.push(() => clients.forEach((c) => c.dispose()));
    const running = clients.map((c, i) => c.run().catch((e: unknown) => (i === 4 ? undefined : Promise.reject(e))));
    await until(() => f.federation.status().clients.length === 5);

    // Act
    const summary = await f.federation.run();
    clients[4]!.close();
    await Promise.all(running);

    // Assert: the new global model moved by exactly the survivors' weighted mean update (FedAvg, server lr 1).
    expect(summary.roundsCompleted).toBe(1);
    expect(drop[4]!.dropped).toBe(true);
    const train = received[0]!.find((m) => m.t === 'train') as Extract<ServerMessage, { t: 'train' }>;
    const shapes = f.federation.description.trainableShapes;
    const initial = train.weights.slice(0, shapes.length).map((b) => new Float32Array(b.slice().buffer));
    const { model, dispose } = await buildClientModel(f.federation.description);
    cleanup.push(dispose);
    const survivors = [0, 1, 2, 3];
    const updates: { update: Float32Array[]; n: number }[] = [];
    for (const i of survivors) {
      const task: ClientTask = { clientIndex: 0, round: 1, weights: { trainable: initial, nonTrainable: [], trainableShapes: shapes, nonTrainableShapes: [] }, update: train.update, optimizer: { name: 'sgd', learningRate: train.optimizer!['learningRate'] as number }, data: parts[i]!.data(1) };
      const o = await runClientTask(task, { model, resolveData: () => { throw new Error('no refs'); } });
      if (!o.ok) throw new Error(o.error);
      updates.push({ update: o.result.update.map((a) => a.map((v) => Math.min(BOUND, Math.max(-BOUND, v)))), n: o.result.numExamples });
    }
    const total = updates.reduce((s, u) => s + u.n, 0);
    const cp = await loadLatestCheckpoint(join(f.out, 'checkpoints'));
    let worst = 0;
    shapes.forEach((_, t) => {
      const after = cp!.state.globalModelWeights.trainable[t]!;
      for (let k = 0; k < after.length; k++) {
        const expected = updates.reduce((s, u) => s + u.n * u.update[t]![k]!, 0) / total;
        worst = Math.max(worst, Math.abs(initial[t]![k]! - after[k]! - expected));
      }
    });
    expect(worst).toBeLessThanOrEqual(STEP);
    // The server received masked vectors from the 4 survivors only, and none resembles its client's quantized update.
    const sessions = [...masked.keys()].sort();
    expect(sessions).toHaveLength(4);
    for (const [j, i] of survivors.entries()) {
      const plain = quantizeWeighted(updates[j]!.update, updates[j]!.n, BOUND, BITS, 5);
      const words = masked.get(sessions.find((s) => s.startsWith(`node-${i}#`))!)!;
      let equal = 0;
      for (let k = 0; k < plain.length; k++) if (plain[k] === words[k]) equal += 1;
      expect(equal / plain.length).toBeLessThan(0.001);
    }
  });
});
