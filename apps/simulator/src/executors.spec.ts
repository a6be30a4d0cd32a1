import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';

import { loadCheckpoint } from './checkpoint.js';
import { prepareRun, type PreparedRun } from './prepare-run.js';
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
  });

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
