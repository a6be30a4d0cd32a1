import * as tf from '@tensorflow/tfjs';
import { buildWeightedFedAvg } from '@fedkit/learning';

import { errorText, type BackendName, type Backends } from './backends.js';
import { denseFedAvgRound, sequentialFedAvgRound, type ClientTensors } from './device-fed-avg.js';
import { batchesOf } from './batches-of.js';
import { buildFedkitModel, buildKerasModel, xShapeOf, type ModelName } from './fedavg-models.js';
import { syntheticExamples, type SyntheticExamples } from './synthetic-data.js';

/** How a round's clients are run. */
export type RoundMode = 'fedkit-sequential' | 'device-sequential' | 'device-batched';

/** One rounds case: seconds per round, or why it was not measured. */
export interface RoundRow {
  readonly backend: BackendName;
  readonly model: ModelName;
  readonly mode: RoundMode;
  readonly clients: number;
  readonly secondsPerRound?: number;
  readonly roundsPerSecond?: number;
  readonly examplesPerSecond?: number;
  readonly skipped?: string;
  readonly error?: string;
}

/** Part 4 settings. */
export interface RoundSizes {
  readonly clients: readonly number[];
  readonly examplesPerClient: number;
  readonly batch: number;
  readonly rounds: number;
  readonly caseBudgetSeconds: number;
  /** Clients per round on wasm (the CPU baseline); `clients` applies to webgpu. */
  readonly wasmClients: readonly number[];
  /** `performance.now()` after which no case starts (it is recorded as skipped). */
  readonly deadline: number;
}

/** TFF's published figure the issue compares against (as quoted in fedkit issue 9; not re-measured here). */
export const TFF_REFERENCE = {
  secondsPerRound: 5.0,
  clients: 16,
  parameters: 2.7e6,
  hardware: 'one GPU',
  source: 'TensorFlow Federated, as quoted in fedkit issue 9',
} as const;

const LR = 0.05;

/**
 * FedAvg rounds/s of the MNIST CNN (and the 2NN, whose clients can also be batched) with each number of clients
 * per round, on webgpu when there is an adapter and on wasm: fedkit's own process (`buildWeightedFedAvg`, clients in
 * sequence), the same round in tfjs ops kept on the device (clients in sequence), and, for the dense 2NN only,
 * `trainClientsBatched` (all clients in one batched computation). The CNN cannot be batched: trainClientsBatched
 * handles dense models only. One untimed warm-up round of 2 clients per case compiles the kernels first.
 *
 * @example
 * ```ts
 * const rows = await fedAvgRounds(backends, { clients: [10, 100], examplesPerClient: 100, batch: 20, rounds: 2, caseBudgetSeconds: 120, wasmClients: [10], deadline: performance.now() + 480_000 });
 * ```
 */
export async function fedAvgRounds(backends: Backends, sizes: RoundSizes): Promise<RoundRow[]> {
  const rows: RoundRow[] = [];
  const targets = (['webgpu', 'wasm'] as const).filter((b) => backends.available.includes(b) && (b !== 'wasm' || sizes.wasmClients.length > 0));
  const cases: [ModelName, RoundMode][] = [
    ['cnn', 'device-sequential'],
    ['cnn', 'fedkit-sequential'],
    ['2nn', 'device-sequential'],
    ['2nn', 'device-batched'],
  ];
  for (const backend of targets) {
    const clientCounts = [...(backend === 'wasm' ? sizes.wasmClients : sizes.clients)].sort((a, b) => a - b);
    const maxClients = clientCounts[clientCounts.length - 1]!;
    await backends.activate(backend);
    for (const [model, mode] of cases) {
      const data = Array.from({ length: maxClients }, (_, k) => syntheticExamples(sizes.examplesPerClient, xShapeOf(model), 10, 1000 + k));
      let previous: { clients: number; seconds: number } | undefined;
      let failed: string | undefined;
      for (const clients of clientCounts) {
        const base = { backend, model, mode, clients };
        if (failed !== undefined) {
          rows.push({ ...base, skipped: `the smaller case failed: ${failed}` });
          continue;
        }
        if (performance.now() > sizes.deadline) {
          rows.push({ ...base, skipped: "the check's --time-budget is spent" });
          continue;
        }
        const estimate = previous === undefined ? 0 : (previous.seconds * clients * (sizes.rounds + 1)) / previous.clients;
        if (estimate > sizes.caseBudgetSeconds || performance.now() + estimate * 1000 > sizes.deadline) {
          rows.push({ ...base, skipped: `estimated ${estimate.toFixed(0)} s from ${previous!.clients} clients, over the ${sizes.caseBudgetSeconds} s case budget (--case-budget) or past the check's --time-budget` });
          continue;
        }
        try {
          const seconds = await timeRounds(model, mode, data.slice(0, clients), sizes);
          previous = { clients, seconds };
          rows.push({ ...base, secondsPerRound: seconds, roundsPerSecond: 1 / seconds, examplesPerSecond: (clients * sizes.examplesPerClient) / seconds });
          console.log(`[gpu-check] rounds ${backend} ${model} ${mode} ${clients} clients: ${seconds.toFixed(2)} s/round`);
        } catch (e) {
          failed = errorText(e);
          rows.push({ ...base, error: failed });
        }
      }
    }
  }
  return rows;
}

/** Median seconds per round over `sizes.rounds` timed rounds, after one warm-up round of 2 clients. */
async function timeRounds(model: ModelName, mode: RoundMode, data: readonly SyntheticExamples[], sizes: RoundSizes): Promise<number> {
  const run = await roundRunner(model, mode, data, sizes.batch);
  try {
    await run(2);
    const times: number[] = [];
    for (let r = 0; r < sizes.rounds; r++) {
      const t0 = performance.now();
      await run(data.length);
      times.push((performance.now() - t0) / 1000);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)]!;
  } finally {
    run.dispose();
  }
}

type Runner = ((clients: number) => Promise<void>) & { dispose(): void };

async function roundRunner(model: ModelName, mode: RoundMode, data: readonly SyntheticExamples[], batch: number): Promise<Runner> {
  if (mode === 'fedkit-sequential') {
    const process = buildWeightedFedAvg({ modelFn: () => buildFedkitModel(model, 1), clientOptimizerFn: () => tf.train.sgd(LR) });
    let state = process.initialize();
    const datasets = data.map((d) => batchesOf(d, batch));
    return Object.assign(
      async (clients: number) => {
        const out = await process.next(state, datasets.slice(0, clients));
        if (out.metrics.failures > 0) throw new Error(`${out.metrics.failures} client(s) failed: ${out.clientReports.find((r) => !r.ok)?.error ?? ''}`);
        state = out.state;
      },
      { dispose: () => undefined },
    );
  }
  const keras = buildKerasModel(model, 1);
  let server = keras.trainableWeights.map((w) => tf.clone(w.read()));
  const tensors: ClientTensors[] = data.map((d) => ({ x: tf.tensor(d.x, [d.n, ...d.xShape]), y: tf.tensor1d(d.y, 'int32') }));
  const oneHot = model === '2nn' ? tensors.map((t) => ({ x: t.x as tf.Tensor2D, y: tf.tidy(() => tf.cast(tf.oneHot(t.y, 10), 'float32')) as tf.Tensor2D })) : [];
  const settings = { learningRate: LR, batchSize: batch };
  return Object.assign(
    async (clients: number) => {
      const next =
        model === '2nn'
          ? denseFedAvgRound(server, oneHot.slice(0, clients), settings, mode === 'device-batched')
          : sequentialFedAvgRound(keras, server, tensors.slice(0, clients), settings);
      // The read drains the device queue: the round is over when its result is on the host.
      await next[next.length - 1]!.data();
      tf.dispose(server);
      server = next;
    },
    {
      dispose: () => {
        tf.dispose([...server, ...tensors.flatMap((t) => [t.x, t.y]), ...oneHot.map((t) => t.y)]);
        keras.dispose();
      },
    },
  );
}
