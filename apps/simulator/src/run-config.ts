import { join, resolve } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { concatMap, defer, finalize, type Observable } from 'rxjs';

import { createFedkitContainer, selectRuntime, ValueError } from '@fedkit/core';
import { partitionDirichlet, partitionIid, partitionShards, summarizePartition, type Partition } from '@fedkit/datasets';
import { buildFederatedEvaluation, SequentialExecutor, type FederatedEvaluation } from '@fedkit/learning';
import { registerGpuRuntime } from '@fedkit/runtime-gpu';
import { registerWasmRuntime } from '@fedkit/runtime-wasm';

import { buildAggregator } from './aggregators.js';
import { buildAlgorithm } from './algorithms.js';
import { arrayBatches, ClientBatches } from './array-data.js';
import { BUILTIN_TASKS } from './builtin-tasks.js';
import { taskModelFactory } from './build-task-model.js';
import { loadTask } from './load-task.js';
import type { LabelHistogram } from './report-html.js';
import { simulate } from './simulate.js';
import type { SimulationEvent } from './simulation-event.js';
import type { SimulatorConfig } from './simulator-config.js';
import type { TaskDefinition } from './task.js';
import { WorkerPoolExecutor } from './worker-pool-executor.js';

/** A prepared CLI run: the runtime chosen, the data partitioned, and the event stream (cold). */
export interface PreparedRun {
  readonly config: SimulatorConfig;
  /** `selectRuntime`'s line, e.g. `runtime: wasm (priority 10); not chosen: cpu (lower priority)`. */
  readonly runtimeMessage: string;
  readonly runtimeName: string;
  readonly task: TaskDefinition;
  readonly labelHistogram: LabelHistogram;
  readonly numTrain: number;
  readonly numTest: number;
  readonly events: Observable<SimulationEvent>;
}

/** Parses `--partition` into a partition of the train labels. */
export function partitionFor(spec: string, labels: ArrayLike<number>, numClients: number, seed: number): Partition {
  if (spec === 'iid') return partitionIid(labels, numClients, { seed });
  if (spec === 'shards') return partitionShards(labels, numClients, 2, { seed });
  const m = /^dirichlet:([0-9.eE+-]+)$/.exec(spec);
  if (m !== null) return partitionDirichlet(labels, numClients, Number(m[1]), { seed });
  throw new ValueError(`Unknown partition "${spec}". Valid: iid, shards, dirichlet:<alpha> (e.g. dirichlet:0.5).`);
}

/**
 * Turns a {@link SimulatorConfig} into a run: selects the runtime, loads the
 * task and its data, partitions it, and builds the cold `simulate` Observable
 * (clients on worker threads when `config.workers > 0`).
 * @example
 * ```ts
 * const run = await prepareRun({ ...DEFAULT_CONFIG, rounds: 2 });
 * console.log(run.runtimeMessage);
 * run.events.subscribe((e) => console.log(e.kind));
 * ```
 */
export async function prepareRun(config: SimulatorConfig, options: { readonly stopSignal?: AbortSignal } = {}): Promise<PreparedRun> {
  // Built before the runtime is chosen so that a bad --aggregator fails before any work.
  const modelAggregator = buildAggregator(config.aggregator ?? 'mean', { clients: config.clients, clientsPerRound: config.clientsPerRound, seed: config.seed });
  const container = registerGpuRuntime(registerWasmRuntime(createFedkitContainer()));
  const selection = await selectRuntime(container, config.runtime);
  const task = await loadTask(config.task);
  // Workers import the task themselves: by name when built in, else by absolute path.
  const taskRef = BUILTIN_TASKS[config.task] !== undefined ? config.task : resolve(config.task);
  const data = await task.loadData({ seed: config.seed });
  const partition = partitionFor(config.partition, data.train.y, config.clients, config.seed);
  const summary = summarizePartition(partition, data.train.y, data.numClasses);
  const labelHistogram: LabelHistogram = {
    labels: Array.from({ length: data.numClasses }, (_, i) => String(i)),
    perClient: summary.histograms.map((h) => [...h]),
  };
  const clientOptimizerFn = (): tf.Optimizer => tf.train.sgd(config.clientLr);
  const out = resolve(config.out);
  let pool: WorkerPoolExecutor | undefined;
  let models: ReturnType<typeof taskModelFactory> | undefined;
  let simulating = false;
  let evaluation: FederatedEvaluation | undefined;

  const events = simulate({
    process: (ctx) => {
      simulating = true;
      models = taskModelFactory(task, config.seed);
      const inner = pool ?? new SequentialExecutor(models.modelFn(), clientOptimizerFn);
      return buildAlgorithm(config.algorithm, {
        modelFn: models.modelFn,
        clientOptimizerFn,
        ...(config.serverLr === undefined ? {} : { serverLr: config.serverLr }),
        executor: ctx.reportingExecutor(inner, pool?.numWorkers ?? 1),
        ...(modelAggregator === undefined ? {} : { modelAggregator }),
      });
    },
    clientData: {
      numClients: config.clients,
      datasetFor: (clientId, round, signal) =>
        new ClientBatches(
          data.train,
          { indices: partition[clientId]!, batchSize: config.batchSize, epochs: config.localEpochs, shuffleSeed: `${config.seed}:${round}:${clientId}` },
          signal,
        ),
    },
    rounds: config.rounds,
    clientsPerRound: config.clientsPerRound,
    seed: config.seed,
    evalEvery: config.evalEvery,
    evaluate: async (weights, { signal }) => {
      evaluation ??= buildFederatedEvaluation(models!.modelFn);
      const r = await evaluation.evaluate(weights, [arrayBatches(data.test, 500, signal)], { signal });
      return { centralized: r.metrics };
    },
    checkpoint: { dir: join(out, 'checkpoints'), every: config.checkpointEvery, keep: 2, model: describeModel(task, config.seed) },
    resume: config.resume,
    ...(options.stopSignal === undefined ? {} : { stopSignal: options.stopSignal }),
    cleanup: async () => {
      await pool?.close();
      pool = undefined;
      models?.dispose();
      evaluation = undefined;
    },
  });
  // Workers start lazily with the first subscription, so nothing runs before subscribe.
  const started = config.workers > 0
    ? defer(async () => {
        pool = new WorkerPoolExecutor({ task: taskRef, seed: config.seed, runtime: selection.runtime.name, clientLr: config.clientLr, data: data.train, numWorkers: config.workers });
        await pool.start();
        return events;
      })
    : undefined;
  return {
    config,
    runtimeMessage: selection.message,
    runtimeName: selection.runtime.name,
    task,
    labelHistogram,
    numTrain: data.train.count,
    numTest: data.test.count,
    events: started === undefined ? events : started.pipe(
          concatMap((e) => e),
          // Unsubscribed while the workers were starting: simulate never ran, so its cleanup will not close them.
          finalize(() => {
            if (!simulating) void pool?.close();
          }),
        ),
  };
}

function describeModel(task: TaskDefinition, seed: number): { modelTopology: unknown; weightNames: string[] } {
  const k = task.createKerasModel(seed);
  try {
    return {
      modelTopology: k.toJSON(null, false),
      weightNames: [...k.trainableWeights, ...k.nonTrainableWeights].map((w) => w.originalName),
    };
  } finally {
    k.dispose();
  }
}
