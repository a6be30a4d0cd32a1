import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ClientTask, ClientTaskOutcome, ModelWeightArrays } from '@fedkit/core';

import { BullMqExecutor } from './bullmq-executor.js';
import { startBullMqWorker, type BullMqWorkerHandle, type ClosableExecutor } from './bullmq-worker.js';
import { RunKeys } from './client-job.js';
import { RedisUnavailableError } from './redis-unavailable-error.js';
import { freePort, startRedisServer, type RedisServer } from './start-redis-server.js';

// A stand-in for training, so that these tests check the transport alone: the update is
// weights + clientIndex, and client 2 of any round throws (as a failing client does).
function fakeExecutor(runs: ClientTask[]): ClosableExecutor {
  return {
    name: 'fake',
    acceptsLocalValues: false,
    async runClients(tasks) {
      return tasks.map((t): ClientTaskOutcome => {
        runs.push(t);
        if (t.clientIndex === 2) return { clientIndex: 2, ok: false, error: 'client 2: sensor offline', numExamples: 0, numBatches: 0, ms: 1 };
        return {
          clientIndex: t.clientIndex,
          ok: true,
          ms: 1,
          result: {
            update: t.weights.trainable.map((w) => w.map((v) => v + t.clientIndex)),
            updateWeight: t.clientIndex + 1,
            updateNonFinite: false,
            numExamples: t.clientIndex + 1,
            numBatches: 1,
            metrics: { loss: [t.clientIndex, 1] },
            ...(t.inputs === undefined ? {} : { outputs: { echo: t.inputs['c']! } }),
          },
        };
      });
    },
    close: async () => undefined,
  };
}

const weights: ModelWeightArrays = {
  trainable: [new Float32Array([1, 2, 3, 4]), new Float32Array([0.5])],
  nonTrainable: [new Float32Array([9])],
  trainableShapes: [[2, 2], [1]],
  nonTrainableShapes: [[1]],
};

function tasksOf(round: number, n: number): ClientTask[] {
  return Array.from({ length: n }, (_, i) => ({ clientIndex: i, round, weights, update: { name: 'local_training' }, optimizer: { name: 'sgd' as const, learningRate: 0.1 }, data: { kind: 'test', client: i } }));
}

const fast = { heartbeatMs: 200, liveTtlMs: 3000, reconcileMs: 1000 };

describe('BullMqExecutor with a worker, on a private redis-server', () => {
  let redis: RedisServer;
  let worker: BullMqWorkerHandle;
  const runs: ClientTask[] = [];
  let built = 0;

  beforeAll(async () => {
    redis = await startRedisServer();
    worker = await startBullMqWorker({
      redis: redis.url,
      concurrency: 2,
      executorFor: async () => {
        built += 1;
        return fakeExecutor(runs);
      },
    });
  });

  afterAll(async () => {
    await worker?.close();
    await redis?.stop();
  });

  it('runs each client once on the worker and streams back its update bit for bit, with the failure as data', async () => {
    const executor = new BullMqExecutor({ redis: redis.url, environment: { module: 'unused', options: { task: 't' } }, ...fast });
    await executor.start();
    const seen: ClientTaskOutcome[] = [];
    try {
      runs.length = 0;
      const kept = await executor.runClients(tasksOf(1, 3), { onOutcome: (o) => seen.push(o) });
      expect(kept).toEqual([]);
      const byIndex = [...seen].sort((a, b) => a.clientIndex - b.clientIndex);
      expect(byIndex.map((o) => o.ok)).toEqual([true, true, false]);
      const one = byIndex[1]!;
      expect(one.ok && [...one.result.update[0]!]).toEqual([2, 3, 4, 5]);
      expect(one.ok && [...one.result.update[1]!]).toEqual([1.5]);
      expect(one.ok && one.result.metrics).toEqual({ loss: [1, 1] });
      expect(one.attempts).toBe(1);
      expect(byIndex[2]!.ok === false && byIndex[2]!.error).toBe('client 2: sensor offline');
      // The failing client ran once: no retry for a client's own error.
      expect(runs.filter((t) => t.clientIndex === 2)).toHaveLength(1);
      // The worker received the broadcast weights and shapes intact.
      expect(runs[0]!.weights.trainableShapes).toEqual([[2, 2], [1]]);
      expect([...runs[0]!.weights.nonTrainable[0]!]).toEqual([9]);
    } finally {
      await executor.close();
    }
  });

  it('stores the weights once per round and leaves no round data in Redis after the round', async () => {
    const client = new Redis(redis.url);
    const executor = new BullMqExecutor({ redis: redis.url, environment: { module: 'unused', options: { task: 't' } }, ...fast });
    await executor.start();
    try {
      const keys = new RunKeys('fedkit', executor.runKey);
      const writes: string[] = [];
      const monitor = await client.monitor();
      monitor.on('monitor', (_time: string, args: string[]) => {
        if (args[0]?.toLowerCase() === 'set' && args[1]?.startsWith(`fedkit:run:${executor.runKey}:w:`)) writes.push(args[1]);
      });
      await executor.runClients(tasksOf(4, 3));
      monitor.disconnect();
      expect(writes).toEqual([keys.weights(4)]);
      const left = await client.keys(`fedkit:run:${executor.runKey}:*`);
      expect(left.sort()).toEqual([keys.environment(), keys.live()].sort());
    } finally {
      await executor.close();
      client.disconnect();
    }
  });

  it('sends task inputs and brings named outputs back', async () => {
    const executor = new BullMqExecutor({ redis: redis.url, environment: { module: 'unused', options: { task: 't' } }, ...fast });
    await executor.start();
    try {
      const task = { ...tasksOf(1, 1)[0]!, inputs: { c: [new Float32Array([7, 8])] } };
      const [o] = await executor.runClients([task]);
      expect(o!.ok && [...o!.result.outputs!['echo']![0]!]).toEqual([7, 8]);
    } finally {
      await executor.close();
    }
  });

  it('has workers drop a job whose round is not the live one, without running it', async () => {
    const client = new Redis(redis.url);
    const queue = new Queue('fedkit-clients', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'fedkit' });
    try {
      const keys = new RunKeys('fedkit', 'old-run');
      await client.set(keys.live(), '5');
      await client.set(keys.environment(), '{}');
      runs.length = 0;
      const job = await queue.add('client', { run: 'old-run', round: 4, clientIndex: 0, update: { name: 'local_training' }, data: { kind: 'test' }, trainableShapes: [], nonTrainableShapes: [] });
      const finished = await job.waitUntilFinished(new (await import('bullmq')).QueueEvents('fedkit-clients', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'fedkit' }), 30_000);
      expect(finished).toBe('dropped');
      expect(runs).toHaveLength(0);
      expect(await client.exists(keys.result(4, 0))).toBe(0);
    } finally {
      await queue.close();
      client.disconnect();
    }
  });

  it('builds the executor once per environment, not per job', async () => {
    const before = built;
    const executor = new BullMqExecutor({ redis: redis.url, environment: { module: 'unused', options: { task: 'other' } }, ...fast });
    await executor.start();
    try {
      await executor.runClients(tasksOf(1, 3));
      await executor.runClients(tasksOf(2, 3));
    } finally {
      await executor.close();
    }
    expect(built - before).toBe(1);
  });
});

describe('BullMqExecutor when Redis is missing', () => {
  it('fails at start with an error naming the URL, its password redacted', async () => {
    const port = await freePort();
    const executor = new BullMqExecutor({ redis: `redis://app:hunter2@127.0.0.1:${port}`, environment: { module: 'unused', options: {} } });
    const err = await executor.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    await executor.close();
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as Error).message).toContain(`redis://app:***@127.0.0.1:${port}`);
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('refuses a wrong password without showing it', async () => {
    const redis = await startRedisServer({ password: 'right-one' });
    try {
      const executor = new BullMqExecutor({ redis: `redis://:wrong-one@127.0.0.1:${redis.port}`, environment: { module: 'unused', options: {} } });
      const err = await executor.start().then(
        () => undefined,
        (e: unknown) => e,
      );
      await executor.close();
      expect(err).toBeInstanceOf(RedisUnavailableError);
      expect((err as Error).message).toMatch(/WRONGPASS|invalid/i);
      expect((err as Error).message).not.toContain('wrong-one');
    } finally {
      await redis.stop();
    }
  });

  it('runs with a password in the URL', async () => {
    const redis = await startRedisServer({ password: 'p@ss word' });
    const worker = await startBullMqWorker({ redis: redis.url, executorFor: async () => fakeExecutor([]) });
    const executor = new BullMqExecutor({ redis: redis.url, environment: { module: 'unused', options: {} }, ...fast });
    try {
      await executor.start();
      const out = await executor.runClients(tasksOf(1, 2));
      expect(out.map((o) => o.ok)).toEqual([true, true]);
    } finally {
      await executor.close();
      await worker.close();
      await redis.stop();
    }
  });

  it('rejects the round with RedisUnavailableError when Redis dies mid-round', async () => {
    const redis = await startRedisServer();
    // A worker whose client never finishes, so the round is still running when Redis goes.
    const worker = await startBullMqWorker({
      redis: redis.url,
      executorFor: async () => ({ name: 'stuck', acceptsLocalValues: false, runClients: () => new Promise<never>(() => undefined), close: async () => undefined }),
    });
    const executor = new BullMqExecutor({ redis: redis.url, environment: { module: 'unused', options: {} }, ...fast, redisLostAfterMs: 1000 });
    await executor.start();
    const round = executor.runClients(tasksOf(1, 1));
    const rejected = round.then(
      () => undefined,
      (e: unknown) => e,
    );
    // Wait until the worker holds the job, then kill the server.
    const client = new Redis(redis.url);
    while ((await client.keys('fedkit:fedkit-clients:*:lock')).length === 0) await new Promise((r) => setTimeout(r, 50));
    client.disconnect();
    await redis.stop({ kill: true });
    const err = await rejected;
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as Error).message).toContain(`redis://127.0.0.1:${redis.port}`);
    await executor.close();
    void worker.close();
  });
});
