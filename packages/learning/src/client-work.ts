import {
  ModelWeights,
  StructSpec,
  sumThenFinalize,
  type ClientDataset,
  type ClientExecutor,
  type ClientOptimizerSpec,
  type ClientReport,
  type ClientResult,
  type ClientTask,
  type ClientTaskOutcome,
  type ClientUpdateSpec,
  type ClientWork,
  type ClientWorkOptions,
  type FinalizedMetrics,
  type MetricFinalizers,
  type Model,
  type ModelWeightArrays,
  type OptimizerConfig,
  type UnfinalizedMetrics,
} from '@fedkit/core';

import { checkOptimizerConfig } from './create-optimizer.js';
import { InProcessExecutor, modelEnvironment } from './executors/in-process-executor.js';
import { resolveClientUpdate } from './run-client-task.js';
import { trainableSpecOf, weightsSpecOf } from './weights-spec.js';

/**
 * How a client's update is weighted: by its number of examples (default),
 * uniformly (1 per client with data), or by a function of its unfinalized metrics.
 */
export type ClientWeighting = 'num_examples' | 'uniform' | ((metrics: UnfinalizedMetrics) => number);

/** Combines the clients' unfinalized metrics (default: {@link sumThenFinalize}). */
export type MetricsAggregator = (finalizers: MetricFinalizers, perClient: readonly UnfinalizedMetrics[]) => FinalizedMetrics;

/** Options of {@link buildClientWork}. */
export interface ClientWorkBuildOptions {
  /** A model made by `modelFn`: gives the specs and metric finalizers, and trains in-process when no executor is given. */
  readonly model: Model;
  /** The client-update block every client runs (e.g. `{ name: 'local_training' }`). */
  readonly update: ClientUpdateSpec;
  /** The client optimizer; a config reaches every executor, a function only in-process ones. */
  readonly optimizer?: ClientOptimizerSpec;
  /** True when the updates' weights must reach a weighted aggregator. */
  readonly weighted: boolean;
  readonly clientWeighting?: ClientWeighting;
  readonly metricsAggregator?: MetricsAggregator;
  /** Runs the clients; default: in-process on `model`. */
  readonly executor?: ClientExecutor;
  /** The round fails with a RangeError when fewer clients succeed, an empty round included (default 1; 0 allows empty rounds). */
  readonly minClients?: number;
  /**
   * The client learning rate as a function of the round (0 for the first round), replacing the
   * optimizer config's `learningRate` each round (TFF's `build_scheduled_client_work`). Needs a config optimizer.
   */
  readonly clientLearningRateSchedule?: (round: number) => number;
}

/**
 * Client work (TFF's `ClientWorkProcess`): turns the round's datasets into
 * plain {@link ClientTask}s naming one client-update block, has the executor
 * run them, and hands each successful result on in client-index order as soon
 * as it and every earlier client are done (so a streaming aggregator holds
 * O(1) updates, and the result does not depend on the order clients finish).
 * Failed clients are reported and dropped; stateless.
 *
 * @throws ValueError at build time for an unknown client update or a bad optimizer config.
 * @example
 * ```ts
 * const work = buildClientWork({ model: modelFn(), update: { name: 'local_training' }, optimizer: { name: 'sgd', learningRate: 0.1 }, weighted: true });
 * ```
 */
export function buildClientWork(options: ClientWorkBuildOptions): ClientWork<Record<string, never>> {
  const { model } = options;
  resolveClientUpdate({ update: options.update, ...(options.optimizer === undefined ? {} : { optimizer: options.optimizer }) });
  if (options.optimizer !== undefined && typeof options.optimizer !== 'function') checkOptimizerConfig(options.optimizer);
  const schedule = options.clientLearningRateSchedule;
  if (schedule !== undefined && (options.optimizer === undefined || typeof options.optimizer === 'function')) {
    throw new TypeError("clientLearningRateSchedule needs the client optimizer as a config, e.g. { name: 'sgd', learningRate: 0.1 }, not a function.");
  }
  const w = ModelWeights.fromModel(model);
  let weightsSpec: StructSpec;
  try {
    weightsSpec = weightsSpecOf(w.toArrays());
  } finally {
    w.dispose();
  }
  const finalizers = model.metricFinalizers();
  model.resetMetrics();
  const zeroMetrics = model.reportLocalUnfinalizedMetrics();
  const executor = options.executor ?? new InProcessExecutor(modelEnvironment(model));
  const weigh = (nonFinite: boolean, numExamples: number, byExamples: number, metrics: UnfinalizedMetrics): number => {
    if (nonFinite) return 0;
    const rule = options.clientWeighting ?? 'num_examples';
    if (rule === 'num_examples') return byExamples;
    if (rule === 'uniform') return numExamples > 0 ? 1 : 0;
    const value = rule(metrics);
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new RangeError(`clientWeighting returned ${value}; a client weight must be a finite number >= 0.`);
    }
    return value;
  };

  return {
    weightsSpec,
    updateSpec: trainableSpecOf(weightsSpec),
    dataSpec: model.inputSpec,
    stateSpec: new StructSpec([]),
    metricNames: Object.keys(finalizers),
    weighted: options.weighted,
    initialize: () => ({}),
    async next(state, weights: ModelWeightArrays, clientData: readonly ClientDataset[], roundOptions: ClientWorkOptions = {}) {
      const round = roundOptions.round ?? 1;
      let optimizer = options.optimizer;
      if (schedule !== undefined) {
        // Checked every round: a schedule may decay to nothing or misbehave late in a run.
        optimizer = checkOptimizerConfig({ ...(options.optimizer as OptimizerConfig), learningRate: schedule(round - 1) });
      }
      const tasks: ClientTask[] = clientData.map((data, clientIndex) => ({
        clientIndex,
        ...(roundOptions.clientIds?.[clientIndex] === undefined ? {} : { clientId: roundOptions.clientIds[clientIndex] }),
        round,
        weights,
        update: options.update,
        ...(optimizer === undefined ? {} : { optimizer }),
        data,
        ...(roundOptions.taskInputs?.(clientIndex) === undefined ? {} : { inputs: roundOptions.taskInputs(clientIndex)! }),
      }));
      const reports: (ClientReport | undefined)[] = Array.from({ length: tasks.length }, () => undefined);
      const metrics: UnfinalizedMetrics[] = [];
      const kept: (ClientResult & { clientIndex: number })[] = [];
      // Results wait here until every earlier client is done: client-index order makes sums deterministic.
      const waiting = new Map<number, ClientTaskOutcome>();
      let nextIndex = 0;
      let succeeded = 0;
      const release = (o: ClientTaskOutcome): void => {
        if (!o.ok) return;
        const r = o.result;
        const result = {
          clientIndex: o.clientIndex,
          update: r.update,
          updateWeight: reports[o.clientIndex]!.updateWeight,
          ...(r.extra === undefined ? {} : { extra: r.extra }),
          ...(r.outputs === undefined ? {} : { outputs: r.outputs }),
        };
        metrics.push(r.metrics);
        if (roundOptions.onResult === undefined) {
          kept.push(result);
        } else {
          roundOptions.onResult(result);
          // onResult copies what it keeps (its contract), so the executor may reuse the arrays' memory.
          o.recycle?.();
        }
      };
      const onOutcome = (o: ClientTaskOutcome): void => {
        if (o.clientIndex < 0 || o.clientIndex >= tasks.length || reports[o.clientIndex] !== undefined) {
          throw new RangeError(`The executor "${executor.name}" reported client index ${o.clientIndex}, which is not a pending client of this round (0..${tasks.length - 1}).`);
        }
        const clientId = tasks[o.clientIndex]!.clientId;
        const retried = o.attempts !== undefined && o.attempts > 1 ? { attempts: o.attempts } : {};
        const report: ClientReport = o.ok
          ? {
              clientIndex: o.clientIndex,
              ok: true,
              numExamples: o.result.numExamples,
              numBatches: o.result.numBatches,
              updateWeight: weigh(o.result.updateNonFinite, o.result.numExamples, o.result.updateWeight, o.result.metrics),
              updateNonFinite: o.result.updateNonFinite,
              ms: o.ms,
              metrics: sumThenFinalize(finalizers, [o.result.metrics]),
              ...(clientId === undefined ? {} : { clientId }),
              ...retried,
            }
          : {
              clientIndex: o.clientIndex,
              ok: false,
              numExamples: o.numExamples,
              numBatches: o.numBatches,
              updateWeight: 0,
              updateNonFinite: false,
              ms: o.ms,
              error: o.error,
              ...(clientId === undefined ? {} : { clientId }),
              ...retried,
            };
        reports[o.clientIndex] = report;
        if (o.ok) succeeded += 1;
        roundOptions.onClientFinished?.(report);
        waiting.set(o.clientIndex, o);
        while (waiting.has(nextIndex)) {
          const next = waiting.get(nextIndex)!;
          waiting.delete(nextIndex);
          nextIndex += 1;
          release(next);
        }
      };
      const returned = await executor.runClients(tasks, {
        onOutcome,
        ...(roundOptions.signal === undefined ? {} : { signal: roundOptions.signal }),
        ...(roundOptions.clientTimeoutMs === undefined ? {} : { clientTimeoutMs: roundOptions.clientTimeoutMs }),
      });
      for (const o of returned) onOutcome(o);
      const missing = reports.flatMap((r, i) => (r === undefined ? [i] : []));
      if (missing.length > 0) {
        throw new RangeError(
          `The executor "${executor.name}" returned no outcome for clients [${missing.join(',')}] of ${tasks.length}; runClients must report exactly one outcome per task.`,
        );
      }
      const all = reports as ClientReport[];
      const minClients = options.minClients ?? 1;
      if (succeeded < minClients) {
        const errors = all.filter((r) => !r.ok).map((r) => `  ${r.error ?? ''}`);
        throw new RangeError(
          `Only ${succeeded} of ${clientData.length} clients succeeded but minClients is ${minClients}; the round is dropped.\n` +
            `${errors.join('\n')}\nFix the failing clients or lower minClients.`,
        );
      }
      // The zero state makes the default sum well defined when no client succeeded.
      const train = options.metricsAggregator ? options.metricsAggregator(finalizers, metrics) : sumThenFinalize(finalizers, [zeroMetrics, ...metrics]);
      return { state, result: { clientResults: kept, reports: all }, measurements: { train } };
    },
  };
}
