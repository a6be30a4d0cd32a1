import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { Batch, ClientDataset, LabeledArrays } from '@fedkit/core';
import { ClientBatches } from '@fedkit/datasets';
import { buildWeightedFedAvg } from '@fedkit/learning';

import * as tiny from '../fixtures/tiny-task.mjs';
import { taskModelFactory } from './build-task-model.js';
import { simulate } from './simulate.js';
import type { SimulationOptions } from './simulation-options.js';
import type { SimulationEvent } from './simulation-event.js';
import { checkTaskModule } from './task.js';

const task = checkTaskModule(tiny as unknown as Record<string, unknown>, 'tiny-task.mjs');
const data = task.loadData({ seed: 0, splitSeed: 0 }) as { train: LabeledArrays };
// 240 examples over 8 clients: client c holds rows c, c+8, ... (30 each).
const partition = Array.from({ length: 8 }, (_, c) => Array.from({ length: 30 }, (_, k) => c + 8 * k));

let counted = 0;
/** A ClientBatches that counts the batches handed out (one batch = one client step). */
class CountingBatches extends ClientBatches {
  override *[Symbol.iterator](): Iterator<Batch> {
    for (const b of super[Symbol.iterator]() as unknown as Iterable<Batch>) {
      counted += 1;
      yield b;
    }
  }
}

function options(over: Partial<SimulationOptions> & { failClient?: number; dir?: string } = {}): SimulationOptions {
  let models: ReturnType<typeof taskModelFactory> | undefined;
  return {
    process: () => {
      models = taskModelFactory(task, 0);
      return buildWeightedFedAvg({ modelFn: models.modelFn, clientOptimizer: { name: 'sgd', learningRate: 0.1 } });
    },
    clientData: {
      numClients: 8,
      datasetFor: (clientId, round, signal): ClientDataset => {
        if (clientId === over.failClient) {
          return {
            *[Symbol.iterator](): Iterator<Batch> {
              throw new Error('sensor offline');
            },
          };
        }
        return new CountingBatches(data.train, { indices: partition[clientId]!, batchSize: 5, epochs: 1, shuffleSeed: `0:${round}:${clientId}` }, signal);
      },
    },
    rounds: 4,
    clientsPerRound: 4,
    seed: 3,
    cleanup: () => models?.dispose(),
    ...(over.dir === undefined ? {} : { checkpoint: { dir: over.dir, every: 1 } }),
    ...over,
  };
}

function weightsOf(events: SimulationEvent[]): number[] {
  const saved = events.filter((e) => e.kind === 'checkpoint-saved').at(-1);
  if (saved?.kind !== 'checkpoint-saved') throw new Error('no checkpoint');
  return Array.from(new Uint8Array(readFileSync(join(saved.path, 'weights.bin'))));
}

describe('simulate', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => vi.restoreAllMocks());

  it('is cold: nothing runs before subscribe', async () => {
    const factory = vi.fn(options().process as () => never);
    const obs = simulate({ ...options(), process: factory });
    await new Promise((r) => setTimeout(r, 20));
    expect(factory).not.toHaveBeenCalled();
    await lastValueFrom(obs);
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it('emits the events of each round in order, with live client events', async () => {
    const events = await lastValueFrom(simulate({ ...options(), rounds: 2, evaluate: async () => ({ centralized: { loss: 1 } }) }).pipe(toArray()));
    // Per round: round-started, 4 client-finished, round-finished, evaluated.
    expect(events.map((e) => e.kind)).toEqual([
      'run-started',
      'round-started', 'client-finished', 'client-finished', 'client-finished', 'client-finished', 'round-finished', 'evaluated',
      'round-started', 'client-finished', 'client-finished', 'client-finished', 'client-finished', 'round-finished', 'evaluated',
      'run-finished',
    ]);
    const first = events.find((e) => e.kind === 'round-finished');
    // 4 clients × 30 examples.
    expect(first?.kind === 'round-finished' && first.numExamples).toBe(120);
  });

  it('two subscriptions are two runs with the same result', async () => {
    const dir1 = mkdtempSync(join(tmpdir(), 'sim-a-'));
    const dir2 = mkdtempSync(join(tmpdir(), 'sim-b-'));
    const a = await lastValueFrom(simulate(options({ dir: dir1 })).pipe(toArray()));
    const b = await lastValueFrom(simulate(options({ dir: dir2 })).pipe(toArray()));
    expect(weightsOf(a)).toEqual(weightsOf(b));
  });

  it('reports a throwing client as a failed client-finished and goes on', async () => {
    // Find a round where client 5 is sampled; with failClient 5 it must show up as a failure.
    const events = await lastValueFrom(simulate(options({ failClient: 5, rounds: 4 })).pipe(toArray()));
    const failures = events.filter((e) => e.kind === 'client-finished' && !e.ok);
    const sampled5 = events.filter((e) => e.kind === 'round-started' && e.clientIds.includes(5)).length;
    expect(sampled5).toBeGreaterThan(0);
    expect(failures).toHaveLength(sampled5);
    expect(failures[0]?.kind === 'client-finished' && failures[0].error).toMatch(/sensor offline/);
    expect(events.filter((e) => e.kind === 'round-finished')).toHaveLength(4);
    expect(events.at(-1)?.kind).toBe('run-finished');
  });

  it('a data/spec mismatch fails that client with its id and the path in the message', async () => {
    const bad: LabeledArrays = { x: new Float32Array(240 * 5), y: data.train.y, exampleShape: [5], numExamples: 240 };
    const base = options({ rounds: 1 });
    const events = await lastValueFrom(
      simulate({
        ...base,
        clientData: {
          numClients: 8,
          datasetFor: (clientId, round, signal) =>
            new ClientBatches(clientId === 6 ? bad : data.train, { indices: partition[clientId]!, batchSize: 5, epochs: 1 }, signal),
        },
        clientsPerRound: 8,
      }).pipe(toArray()),
    );
    const failed = events.filter((e) => e.kind === 'client-finished' && !e.ok);
    expect(failed).toHaveLength(1);
    const f = failed[0]!;
    expect(f.kind === 'client-finished' && f.clientId).toBe(6);
    // Each bad batch is 5 examples of 5 features; the spec wants 4 features under "x".
    expect(f.kind === 'client-finished' && f.error).toMatch(/^client 6: batch element "x" has shape \[5,5\]/);
  });

  it('stops within one client step on unsubscribe and releases every tensor', async () => {
    const before = tf.memory().numTensors;
    const sub = simulate(options({ rounds: 50 })).subscribe({
      next: (e) => {
        if (e.kind === 'client-finished' && e.round === 2) {
          sub.unsubscribe();
          stepsAtUnsubscribe = counted;
        }
      },
    });
    let stepsAtUnsubscribe = -1;
    await vi.waitFor(() => expect(stepsAtUnsubscribe).toBeGreaterThan(0), { timeout: 20_000 });
    await vi.waitFor(() => expect(tf.memory().numTensors).toBe(before), { timeout: 5_000 });
    await new Promise((r) => setTimeout(r, 100));
    // At most the batch already pulled when the abort landed.
    expect(counted - stepsAtUnsubscribe).toBeLessThanOrEqual(1);
  });

  it('resumes from the latest checkpoint to the same weights, bit for bit', async () => {
    const full = mkdtempSync(join(tmpdir(), 'sim-full-'));
    const part = mkdtempSync(join(tmpdir(), 'sim-part-'));
    const uninterrupted = await lastValueFrom(simulate(options({ dir: full })).pipe(toArray()));
    await lastValueFrom(simulate({ ...options({ dir: part }), rounds: 4, stopSignal: AbortSignal.abort() }).pipe(toArray()));
    // Run 2 of 4 rounds, then resume the remaining 2 from the checkpoint.
    await lastValueFrom(simulate({ ...options({ dir: part }), rounds: 2 }).pipe(toArray()));
    const resumed = await lastValueFrom(simulate({ ...options({ dir: part }), resume: true }).pipe(toArray()));
    const started = resumed[0];
    expect(started?.kind === 'run-started' && started.startRound).toBe(3);
    expect(weightsOf(resumed)).toEqual(weightsOf(uninterrupted));
  });

  it('a stop signal ends the run with a final checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-stop-'));
    const stop = new AbortController();
    const events: SimulationEvent[] = [];
    const all = simulate({ ...options({ dir }), checkpoint: { dir, every: 100 }, rounds: 50, stopSignal: stop.signal });
    await new Promise<void>((resolve, reject) =>
      all.subscribe({
        next: (e) => {
          events.push(e);
          if (e.kind === 'round-finished' && e.round === 2) stop.abort();
        },
        error: reject,
        complete: resolve,
      }),
    );
    const last = events.at(-1);
    expect(last?.kind === 'run-finished' && last.stopped).toBe(true);
    const saved = events.filter((e) => e.kind === 'checkpoint-saved');
    expect(saved).toHaveLength(1);
    expect(saved[0]?.kind === 'checkpoint-saved' && saved[0].round).toBe(2);
  });

  it('a round that fails (e.g. its executor lost Redis) stops the run with a checkpoint of the last completed round', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-lost-'));
    const base = options({ dir });
    const events: SimulationEvent[] = [];
    const failing: SimulationOptions = {
      ...base,
      checkpoint: { dir, every: 100 },
      process: () => {
        const p = (base.process as () => ReturnType<typeof buildWeightedFedAvg>)();
        return { ...p, next: (state, data, o) => (state.round === 2 ? Promise.reject(new Error('Lost the connection to Redis')) : p.next(state, data, o)) };
      },
    };
    const error = await new Promise<unknown>((resolve) => simulate(failing).subscribe({ next: (e) => events.push(e), error: resolve, complete: () => resolve(undefined) }));
    expect((error as Error).message).toBe('Lost the connection to Redis');
    const saved = events.filter((e) => e.kind === 'checkpoint-saved');
    expect(saved.map((e) => e.kind === 'checkpoint-saved' && e.round)).toEqual([2]);
  });

  it('first event is run-started', async () => {
    const first = await firstValueFrom(simulate(options()));
    expect(first.kind).toBe('run-started');
  });
});
