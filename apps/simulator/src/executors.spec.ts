import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';

import { ModelWeights, type ModelWeightArrays } from '@fedkit/core';
import { ClientBatches } from '@fedkit/datasets';
import { buildWeightedFedAvg, WorkerPoolExecutor } from '@fedkit/learning';

import { taskModelFactory } from './build-task-model.js';
import { loadCheckpoint } from './checkpoint.js';
import { loadTask } from './load-task.js';
import { buildRegistry, prepareRun, type PreparedRun } from './prepare-run.js';
import type { SimulationEvent } from './simulation-event.js';
import { DEFAULT_CONFIG, mergeConfig, type SimulatorConfig } from './simulator-config.js';

const ADAM_TASK = fileURLToPath(new URL('../fixtures/adam-task.mjs', import.meta.url));
const FAKE_GPU = fileURLToPath(new URL('../fixtures/fake-gpu-plugin.mjs', import.meta.url));

async function run(over: Partial<SimulatorConfig>): Promise<{ run: PreparedRun; events: SimulationEvent[]; out: string }> {
  const out = mkdtempSync(join(tmpdir(), 'executors-'));
  const prepared = await prepareRun(mergeConfig(DEFAULT_CONFIG, { out, evalEvery: 0, ...over }));
  const events = await lastValueFrom(prepared.events.pipe(toArray()));
  return { run: prepared, events, out };
}

function lastCheckpointPath(events: SimulationEvent[]): string {
  const saved = events.filter((e) => e.kind === 'checkpoint-saved').at(-1);
  if (saved?.kind !== 'checkpoint-saved') throw new Error('no checkpoint was saved');
  return saved.path;
}

describe('executors', () => {
  it('in-process, 1 and 2 worker threads give byte-equal final weights on the default task with --client-optimizer adam', async () => {
    // The default task (MNIST 2NN, 100 IID clients, 10 per round, B = 10), 2 rounds, Adam on every client.
    const common: Partial<SimulatorConfig> = { rounds: 2, checkpointEvery: 2, clientOptimizer: 'adam', clientLr: 0.001 };
    const results = [];
    for (const workers of [0, 1, 2]) {
      const { events } = await run({ ...common, workers });
      expect(events.filter((e) => e.kind === 'client-finished' && !e.ok)).toEqual([]);
      results.push(readFileSync(join(lastCheckpointPath(events), 'weights.bin')));
    }
    expect(results[0]!.byteLength).toBe(199_210 * 4);
    expect(Buffer.compare(results[1]!, results[0]!)).toBe(0);
    expect(Buffer.compare(results[2]!, results[0]!)).toBe(0);
    // Three default-task runs (the 2-worker one loads MNIST in each thread): about 20 s of CPU, so the
    // limit leaves room for a loaded 2-core machine, where it took 55-59 s.
  }, 180_000);

  it("a task module's Adam optimizer trains in the workers: one step moves every weight by lr · sign(gradient)", async () => {
    // One client with all 4 examples in one batch: one Adam step, m̂ = g and v̂ = g², so Δw = −0.5·g/(|g| + 1e-7) ≈ ∓0.5.
    // (SGD at the same rate would move each weight by 0.5·|g|, which differs per weight.)
    const { run: prepared, events } = await run({ task: ADAM_TASK, clients: 1, clientsPerRound: 1, batchSize: 4, rounds: 1, checkpointEvery: 1, workers: 2, runtime: 'cpu' });
    expect(prepared.clientOptimizer).toEqual({ name: 'adam', learningRate: 0.5 });
    expect(prepared.workerRuntimes).toHaveLength(2);
    const after = await loadCheckpoint(lastCheckpointPath(events));
    const before = await import(ADAM_TASK).then((m: { createKerasModel(seed: number): import('@tensorflow/tfjs').LayersModel }) => {
      const k = m.createKerasModel(0);
      const w = k.getWeights().map((t) => Array.from(t.dataSync()));
      k.dispose();
      return w;
    });
    const moved = after.state.globalModelWeights.trainable.flatMap((a, i) => Array.from(a, (v, k) => Math.abs(v - before[i]![k]!)));
    expect(moved).toHaveLength(6); // kernel 2x2 + bias 2
    for (const m of moved) expect(m).toBeCloseTo(0.5, 4);
  });

  it('--runtime gpu with 2 workers on a machine without a GPU falls back in every worker with the main thread\'s message', async () => {
    const { run: prepared } = await run({ task: ADAM_TASK, clients: 2, clientsPerRound: 2, batchSize: 4, rounds: 1, workers: 2, runtime: 'gpu' });
    expect(prepared.runtimeName).not.toBe('tensorflow-gpu');
    expect(prepared.runtimeName).not.toBe('webgpu');
    expect(prepared.workerRuntimes.map((w) => w.runtime)).toEqual([prepared.runtimeName, prepared.runtimeName]);
    expect(prepared.workerRuntimes.map((w) => w.runtimeMessage)).toEqual([prepared.runtimeMessage, prepared.runtimeMessage]);
  });

  it('with a (fake) GPU runtime registered by --plugin, the workers activate the same runtime as the main thread', async () => {
    const { run: prepared, events } = await run({ task: ADAM_TASK, clients: 2, clientsPerRound: 2, batchSize: 4, rounds: 1, workers: 2, runtime: 'gpu', plugins: [FAKE_GPU] });
    expect(prepared.runtimeName).toBe('fake-gpu');
    expect(prepared.workerRuntimes.map((w) => w.runtime)).toEqual(['fake-gpu', 'fake-gpu']);
    expect(events.filter((e) => e.kind === 'client-finished' && e.ok)).toHaveLength(2);
  });
});

/** The Adam fixture task, a pool of workers whose environment crashes or hangs on chosen rows, and the task's initial weights. */
async function crashingPool(numWorkers: number) {
  const task = await loadTask(await buildRegistry({ plugins: [] }), ADAM_TASK);
  const data = (await task.loadData({ seed: 0, splitSeed: 0 })).train;
  const pool = new WorkerPoolExecutor({
    environment: { module: new URL('../fixtures/crash-environment.mjs', import.meta.url).href, options: { task: ADAM_TASK, seed: 0, runtime: 'cpu', plugins: [] } },
    sharedData: data,
    numWorkers,
  });
  await pool.start();
  const models = taskModelFactory(task, 0);
  const snapshot = ModelWeights.fromModel(models.modelFn());
  const weights: ModelWeightArrays = snapshot.toArrays();
  snapshot.dispose();
  // One client per row, one example each.
  const client = (row: number) => new ClientBatches(data, { indices: [row], batchSize: 1, epochs: 1 });
  const process = buildWeightedFedAvg({ modelFn: models.modelFn, clientOptimizer: { name: 'sgd', learningRate: 0.1 }, executor: pool });
  return { pool, client, process, weights, close: async () => (await pool.close(), models.dispose()) };
}

describe('WorkerPoolExecutor when a worker thread dies', () => {
  it('fails the client it was running, replaces the worker and finishes the round with the others', async () => {
    const { client, process, close } = await crashingPool(2);
    try {
      // The client holding row 3 kills its worker (row 2 would hang, so it is not used here).
      const clients = [0, 1, 0, 3].map(client);
      const out = await process.next(process.initialize(), clients, { clientIds: [10, 11, 12, 13] });
      expect(out.metrics.failures).toBe(1);
      expect(out.clientReports[3]).toMatchObject({ ok: false, error: 'client 13: its worker thread died (exit code 7)' });
      expect(out.clientReports.slice(0, 3).every((r) => r.ok)).toBe(true);
      // The replacement worker serves the next round.
      const again = await process.next(out.state, clients.slice(0, 2));
      expect(again.metrics.failures).toBe(0);
    } finally {
      await close();
    }
  });

  it('rejects the round, naming the cause, when workers keep dying', async () => {
    const { pool, client, weights, close } = await crashingPool(1);
    try {
      const task = (i: number) => ({ clientIndex: i, round: 1, weights, update: { name: 'local_training' }, optimizer: { name: 'sgd' as const, learningRate: 0.1 }, data: client(3) });
      await expect(pool.runClients([task(0), task(1), task(2), task(3)])).rejects.toThrow(/3 client worker threads died in a row \(last: exit code 7\)/);
    } finally {
      await close();
    }
  });
});

describe('WorkerPoolExecutor when a round is aborted', () => {
  it('rejects with the reason, leaves no client behind, and runs the next round in full', async () => {
    const { pool, client, weights, close } = await crashingPool(2);
    try {
      const task = (i: number) => ({ clientIndex: i, round: 1, weights, update: { name: 'local_training' }, optimizer: { name: 'sgd' as const, learningRate: 0.1 }, data: client(i % 2) });
      const controller = new AbortController();
      const aborted = pool.runClients(Array.from({ length: 8 }, (_, i) => task(i)), { signal: controller.signal });
      controller.abort(new Error('stopped by the test'));
      await expect(aborted).rejects.toThrow('stopped by the test');
      // The workers dropped the aborted round's tasks: the next round gets one outcome per client, its own.
      const outcomes = await pool.runClients([task(0), task(1), task(2)]);
      expect(outcomes.map((o) => [o.clientIndex, o.ok]).sort()).toEqual([[0, true], [1, true], [2, true]]);
    } finally {
      await close();
    }
  });
});

describe('WorkerPoolExecutor across rounds', () => {
  it("trains each round from its own weights when a round's shared weight buffer is reused by the next", async () => {
    const first = await crashingPool(1);
    const fresh = await crashingPool(1);
    try {
      // The second round's weights differ from the first's everywhere; a fresh pool has no buffer to reuse.
      const shifted: ModelWeightArrays = { ...first.weights, trainable: first.weights.trainable.map((a) => a.map((v) => v + 0.01)) };
      const task = (weights: ModelWeightArrays, pool: { client: (row: number) => ClientBatches }) => (i: number) => ({
        clientIndex: i,
        round: 1,
        weights,
        update: { name: 'local_training' },
        optimizer: { name: 'sgd' as const, learningRate: 0.1 },
        data: pool.client(i),
      });
      const updates = (outcomes: Awaited<ReturnType<WorkerPoolExecutor['runClients']>>) =>
        outcomes.sort((a, b) => a.clientIndex - b.clientIndex).map((o) => (o.ok ? o.result.update.map((u) => Array.from(u)) : o.error));

      await first.pool.runClients([0, 1].map(task(first.weights, first)));
      const reused = updates(await first.pool.runClients([0, 1].map(task(shifted, first))));
      const control = updates(await fresh.pool.runClients([0, 1].map(task(shifted, fresh))));

      expect(reused).toEqual(control);
    } finally {
      await first.close();
      await fresh.close();
    }
  });
});

describe('client timeouts', () => {
  it('a worker-thread client stuck past the timeout fails, its worker is replaced, and the round goes on', async () => {
    const { client, process, close } = await crashingPool(2);
    try {
      // The client holding row 2 never returns from its data pipeline.
      const clients = [0, 1, 2].map(client);
      const out = await process.next(process.initialize(), clients, { clientTimeoutMs: 1000 });
      expect(out.clientReports[2]).toMatchObject({ ok: false, error: 'client 2: still running after the client timeout of 1000 ms, so its worker thread was terminated and replaced' });
      expect(out.metrics.failures).toBe(1);
      const again = await process.next(out.state, clients.slice(0, 2), { clientTimeoutMs: 1000 });
      expect(again.metrics.failures).toBe(0);
    } finally {
      await close();
    }
  });
});
