import { join, resolve } from 'node:path';

import { concatMap, defer, finalize, type Observable } from 'rxjs';

import {
  createFedkitContainer,
  EXECUTOR_PLUGIN,
  resolveAggregator,
  resolvePlugin,
  selectRuntime,
  ValueError,
  type ClientExecutor,
  type ExecutorPlugin,
  type OptimizerConfig,
} from '@fedkit/core';
import { arrayBatches, ClientBatches, summarizePartition } from '@fedkit/datasets';
import {
  ALGORITHM_PLUGIN,
  buildFederatedEvaluation,
  buildPersonalizationEval,
  fineTune,
  type AlgorithmPlugin,
  type FederatedEvaluation,
  type PersonalizationEval,
} from '@fedkit/learning';
import type { DependencyContainer } from 'tsyringe';

import { taskModelFactory } from './build-task-model.js';
import { environmentModuleUrl, type SimulatorEnvironmentOptions } from './client-environment.js';
import { isTaskPath, loadTask } from './load-task.js';
import { partitionFor } from './partition-for.js';
import { personalizationClients } from './personalization-clients.js';
import { loadPluginModules, registerBuiltins } from './register-builtins.js';
import type { LabelHistogram } from './report-html.js';
import { resolveClientOptimizer } from './resolve-client-optimizer.js';
import { moduleHashes } from './resume-check.js';
import { simulate } from './simulate.js';
import type { SimulationEvent } from './simulation-event.js';
import type { SimulatorConfig } from './simulator-config.js';
import { checkTaskData, checkTaskExamples, type TaskDefinition } from './task.js';

/** A prepared CLI run: the runtime chosen, the data partitioned, and the event stream (cold). */
export interface PreparedRun {
  readonly config: SimulatorConfig;
  /** `selectRuntime`'s line, e.g. `runtime: wasm (priority 10); not chosen: cpu (lower priority)`. */
  readonly runtimeMessage: string;
  readonly runtimeName: string;
  /** Why each runtime not chosen was passed over (`selectRuntime`'s `skipped`). */
  readonly runtimeSkipped: readonly { readonly name: string; readonly reason: string }[];
  readonly task: TaskDefinition;
  /** The client optimizer every executor uses (the task's, overridden by flags). */
  readonly clientOptimizer: OptimizerConfig;
  readonly labelHistogram: LabelHistogram;
  readonly numTrain: number;
  readonly numTest: number;
  /** Filled once the executor has started (first subscription): what each worker activated. */
  readonly workerRuntimes: { runtime?: string; runtimeMessage?: string }[];
  readonly events: Observable<SimulationEvent>;
}

/** The registry a run uses: the built-ins plus the config's `--plugin` modules. */
export async function buildRegistry(config: Pick<SimulatorConfig, 'plugins'>): Promise<DependencyContainer> {
  const container = registerBuiltins(createFedkitContainer());
  await loadPluginModules(container, config.plugins ?? []);
  return container;
}

/**
 * Turns a {@link SimulatorConfig} into a run: builds the registry, selects
 * the runtime, loads the task and its data, partitions it, resolves the
 * algorithm, aggregator and executor by name, and builds the cold `simulate`
 * Observable. The executor starts with the first subscription; its workers
 * build their environment from the same registry and runtime request.
 * @example
 * ```ts
 * const run = await prepareRun({ ...DEFAULT_CONFIG, rounds: 2 });
 * console.log(run.runtimeMessage);
 * run.events.subscribe((e) => console.log(e.kind));
 * ```
 */
export async function prepareRun(config: SimulatorConfig, options: { readonly stopSignal?: AbortSignal } = {}): Promise<PreparedRun> {
  const container = await buildRegistry(config);
  // Resolved before the runtime is chosen so that a bad name fails before any work.
  const algorithm = resolvePlugin<AlgorithmPlugin>(container, ALGORITHM_PLUGIN, config.algorithm, 'algorithm');
  const aggregatorSpec = config.aggregator ?? 'mean';
  const modelAggregator =
    aggregatorSpec === 'mean' ? undefined : resolveAggregator(container, aggregatorSpec, { clients: config.clients, clientsPerRound: config.clientsPerRound, seed: config.seed });
  const executorName = config.workers === 0 ? 'in-process' : config.executor;
  const executorPlugin = resolvePlugin<ExecutorPlugin>(container, EXECUTOR_PLUGIN, executorName, 'executor');
  const selection = await selectRuntime(container, config.runtime);
  const task = await loadTask(container, config.task);
  const clientOptimizer = resolveClientOptimizer(task.clientOptimizer, config.clientOptimizer, config.clientLr);
  // Workers load the task themselves: by name when registered, else by absolute path.
  const taskRef = isTaskPath(config.task) ? resolve(config.task) : config.task;
  const data = checkTaskData(await task.loadData({ seed: config.seed, splitSeed: config.splitSeed ?? 0 }), task.name, task.inputSpec);
  const partition = partitionFor(config.partition, data.train.y, config.clients, config.seed);
  // After partitioning, so that a bad train example is reported with the client that holds it.
  checkTaskExamples(data, task.name, partition);
  const modelDescription = describeModel(task, config.seed, data.numClasses);
  const summary = summarizePartition(partition, data.train.y, data.numClasses);
  const labelHistogram: LabelHistogram = {
    labels: Array.from({ length: data.numClasses }, (_, i) => String(i)),
    perClient: summary.histograms.map((h) => [...h]),
  };
  const out = resolve(config.out);
  // Recorded in each checkpoint manifest, so that a resume can trust exactly these modules again.
  const modules = await moduleHashes(config);
  const environmentOptions: SimulatorEnvironmentOptions = {
    task: taskRef,
    seed: config.seed,
    runtime: config.runtime,
    plugins: (config.plugins ?? []).map((p) => resolve(p)),
    splitSeed: config.splitSeed ?? 0,
  };
  const workerRuntimes: { runtime?: string; runtimeMessage?: string }[] = [];
  let executor: (ClientExecutor & { close(): Promise<void> }) | undefined;
  let models: ReturnType<typeof taskModelFactory> | undefined;
  let simulating = false;
  let evaluation: FederatedEvaluation | undefined;
  let personalization: PersonalizationEval | undefined;

  const events = simulate({
    process: () => {
      simulating = true;
      models ??= taskModelFactory(task, config.seed);
      return algorithm.build({
        modelFn: models.modelFn,
        clientOptimizer,
        totalClients: config.clients,
        ...(config.serverLr === undefined ? {} : { serverLearningRate: config.serverLr }),
        ...(config.proximalStrength === undefined ? {} : { proximalStrength: config.proximalStrength }),
        ...(executor === undefined ? {} : { executor }),
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
    ...(config.clientTimeout === undefined ? {} : { clientTimeoutMs: config.clientTimeout * 1000 }),
    seed: config.seed,
    evalEvery: config.evalEvery,
    evaluate: async (weights, { round, signal }) => {
      evaluation ??= buildFederatedEvaluation(models!.modelFn);
      const r = await evaluation.evaluate(weights, [arrayBatches(data.test, 500, signal)], { signal });
      const epochs = config.personalizationEval;
      if (epochs === undefined || round !== config.rounds) return { centralized: r.metrics };
      // As many clients as a round samples, seeded by the run's seed.
      personalization ??= buildPersonalizationEval(models!.modelFn, { fine_tune: fineTune({ optimizer: clientOptimizer, epochs }) }, { maxNumClients: config.clientsPerRound, seed: config.seed });
      const clients = personalizationClients(data.train, partition, config.batchSize, config.seed, signal);
      return { centralized: r.metrics, personalization: await personalization.evaluate(weights, clients, { signal }) };
    },
    checkpoint: { dir: join(out, 'checkpoints'), every: config.checkpointEvery, keep: 2, model: modelDescription, meta: { modules } },
    resume: config.resume,
    ...(options.stopSignal === undefined ? {} : { stopSignal: options.stopSignal }),
    cleanup: async () => {
      await executor?.close();
      executor = undefined;
      models?.dispose();
      models = undefined;
      evaluation = undefined;
      personalization = undefined;
    },
  });
  // The executor starts lazily with the first subscription, so nothing runs before subscribe.
  const started = defer(async () => {
    models ??= taskModelFactory(task, config.seed);
    const mainModel = models.modelFn();
    executor = await executorPlugin.create({
      environment: { model: mainModel, runtime: selection.runtime.name, runtimeMessage: selection.message, resolveData: () => {
        throw new TypeError('The in-process environment receives datasets, not references.');
      } },
      environmentSpec: { module: environmentModuleUrl(), options: environmentOptions },
      sharedData: data.train,
      ...(config.workers > 0 ? { concurrency: config.workers } : {}),
      ...(config.redis === undefined ? {} : { options: { redis: config.redis } }),
    });
    const reported = (executor as { workerRuntimes?: { runtime?: string; runtimeMessage?: string }[] }).workerRuntimes ?? [];
    workerRuntimes.push(...reported);
    const other = reported.find((w) => w.runtime !== selection.runtime.name);
    if (other !== undefined) {
      await executor.close();
      throw new Error(
        `A client worker activated runtime "${other.runtime ?? '?'}" but the main thread runs "${selection.runtime.name}" (${other.runtimeMessage ?? ''}); ` +
          'register the same runtimes in every worker (use --plugin for custom ones) or pass --workers 0.',
      );
    }
    return events;
  });
  return {
    config,
    runtimeMessage: selection.message,
    runtimeName: selection.runtime.name,
    runtimeSkipped: selection.skipped,
    task,
    clientOptimizer,
    labelHistogram,
    numTrain: data.train.numExamples,
    numTest: data.test.numExamples,
    workerRuntimes,
    events: started.pipe(
      concatMap((e) => e),
      // Unsubscribed while the executor was starting: simulate never ran, so its cleanup will not close it.
      finalize(() => {
        if (!simulating) {
          void executor?.close();
          models?.dispose();
        }
      }),
    ),
  };
}

/**
 * The model's topology and weight names for checkpoints; on the way, refuses a
 * model with fewer outputs than the data has classes under a sparse loss (every
 * batch would hold labels the loss cannot score).
 */
function describeModel(task: TaskDefinition, seed: number, numClasses: number): { modelTopology: unknown; weightNames: string[] } {
  const k = task.createKerasModel(seed);
  try {
    const lossName = typeof task.loss === 'string' ? task.loss : (task.loss as { name?: unknown }).name;
    const units = k.outputs.length === 1 ? k.outputs[0]!.shape.at(-1) : undefined;
    if (typeof lossName === 'string' && /sparse/i.test(lossName) && typeof units === 'number' && units < numClasses) {
      throw new ValueError(
        `The model of task ${task.name} has ${units} outputs but its data has numClasses ${numClasses}, so labels ${units} to ${numClasses - 1} ` +
          `are outside what ${lossName} can score. Give the model one output per class (${numClasses}), or fix numClasses and the labels.`,
      );
    }
    return {
      modelTopology: k.toJSON(null, false),
      weightNames: [...k.trainableWeights, ...k.nonTrainableWeights].map((w) => w.originalName),
    };
  } finally {
    k.dispose();
  }
}
