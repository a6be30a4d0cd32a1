import type * as tf from '@tensorflow/tfjs';

import {
  ModelWeights,
  StructSpec,
  sumThenFinalize,
  type ClientDataset,
  type ClientReport,
  type ClientWork,
  type FinalizedMetrics,
  type MetricFinalizers,
  type Model,
  type ModelWeightArrays,
  type RoundOptions,
  type UnfinalizedMetrics,
} from '@fedkit/core';

import { SequentialExecutor, type ClientExecutor, type ClientTask } from './client-executor.js';
import type { ClientTrainingConfig } from './train-client.js';
import { trainableSpecOf, weightsSpecOf } from './weights-spec.js';

/**
 * How a client's update is weighted: by its number of examples (default),
 * uniformly (1 per client with data), or by a function of its unfinalized metrics.
 */
export type ClientWeighting = 'num_examples' | 'uniform' | ((metrics: UnfinalizedMetrics) => number);

/** Combines the clients' unfinalized metrics (default: {@link sumThenFinalize}). */
export type MetricsAggregator = (finalizers: MetricFinalizers, perClient: readonly UnfinalizedMetrics[]) => FinalizedMetrics;

/** Options of {@link ModelDeltaClientWork}. */
export interface ModelDeltaClientWorkOptions {
  /** The model made by `modelFn`: gives the specs and trains the clients when no executor is given. */
  readonly model: Model;
  /** A fresh client optimizer per client per round; required in `local_training` mode. */
  readonly clientOptimizerFn?: () => tf.Optimizer;
  readonly training: ClientTrainingConfig;
  /** True when the updates' weights must reach a weighted aggregator. */
  readonly weighted: boolean;
  readonly clientWeighting?: ClientWeighting;
  readonly metricsAggregator?: MetricsAggregator;
  /** Runs the clients; default: {@link SequentialExecutor} on `model`. */
  readonly executor?: ClientExecutor;
  /** The round fails with a RangeError when fewer clients succeed, an empty round included (default 1; 0 allows empty rounds). */
  readonly minClients?: number;
}

/**
 * Client work that trains the broadcast model on each client and returns the
 * model delta `initial − trained` (TFF's `build_model_delta_client_work`), or
 * the mean gradient in `gradient` mode (FedSGD). Failed clients are dropped and
 * reported; stateless.
 *
 * @example
 * ```ts
 * const work = new ModelDeltaClientWork({ model: modelFn(), clientOptimizerFn: () => tf.train.sgd(0.1),
 *   training: { mode: 'local_training' }, weighted: true });
 * ```
 */
export class ModelDeltaClientWork implements ClientWork<Record<string, never>> {
  readonly weightsSpec: StructSpec;
  readonly updateSpec: StructSpec;
  readonly dataSpec: StructSpec;
  readonly stateSpec = new StructSpec([]);
  readonly metricNames: readonly string[];
  readonly weighted: boolean;
  private readonly executor: ClientExecutor;
  private readonly finalizers: MetricFinalizers;
  private readonly zeroMetrics: UnfinalizedMetrics;

  constructor(private readonly options: ModelDeltaClientWorkOptions) {
    const { model } = options;
    if (options.training.mode === 'local_training' && options.clientOptimizerFn === undefined && options.executor === undefined) {
      throw new TypeError('Local training needs a clientOptimizerFn, e.g. () => tf.train.sgd(0.1).');
    }
    const w = ModelWeights.fromModel(model);
    try {
      this.weightsSpec = weightsSpecOf(w.toArrays());
    } finally {
      w.dispose();
    }
    this.updateSpec = trainableSpecOf(this.weightsSpec);
    this.dataSpec = model.inputSpec;
    this.weighted = options.weighted;
    this.finalizers = model.metricFinalizers();
    this.metricNames = Object.keys(this.finalizers);
    model.resetMetrics();
    this.zeroMetrics = model.reportLocalUnfinalizedMetrics();
    this.executor = options.executor ?? new SequentialExecutor(model, options.clientOptimizerFn);
  }

  initialize(): Record<string, never> {
    return {};
  }

  async next(state: Record<string, never>, weights: ModelWeightArrays, clientData: readonly ClientDataset[], options: RoundOptions = {}) {
    const tasks: ClientTask[] = clientData.map((data, clientIndex) => ({ clientIndex, weights, data, training: this.options.training }));
    const outcomes = [...(await this.executor.runClients(tasks, options.signal === undefined ? {} : { signal: options.signal }))];
    outcomes.sort((a, b) => a.clientIndex - b.clientIndex);
    if (outcomes.length !== tasks.length || outcomes.some((o, i) => o.clientIndex !== i)) {
      throw new RangeError(
        `The client executor returned outcomes for clients [${outcomes.map((o) => o.clientIndex).join(',')}] but ${tasks.length} clients ` +
          `(0..${tasks.length - 1}) were given; runClients must return exactly one outcome per task.`,
      );
    }
    const reports: ClientReport[] = [];
    const clientResults: { clientIndex: number; update: Float32Array[]; updateWeight: number }[] = [];
    const metrics: UnfinalizedMetrics[] = [];
    for (const o of outcomes) {
      if (!o.ok) {
        reports.push({
          clientIndex: o.clientIndex,
          ok: false,
          numExamples: o.numExamples,
          numBatches: o.numBatches,
          updateWeight: 0,
          updateNonFinite: false,
          ms: o.ms,
          error: o.error,
        });
        continue;
      }
      const r = o.result;
      const updateWeight = this.weigh(r.updateNonFinite, r.numExamples, r.updateWeight, r.metrics);
      clientResults.push({ clientIndex: o.clientIndex, update: r.update, updateWeight });
      metrics.push(r.metrics);
      reports.push({
        clientIndex: o.clientIndex,
        ok: true,
        numExamples: r.numExamples,
        numBatches: r.numBatches,
        updateWeight,
        updateNonFinite: r.updateNonFinite,
        ms: o.ms,
        metrics: sumThenFinalize(this.finalizers, [r.metrics]),
      });
    }
    const minClients = this.options.minClients ?? 1;
    if (clientResults.length < minClients) {
      const errors = reports.filter((r) => !r.ok).map((r) => `  ${r.error ?? ''}`);
      throw new RangeError(
        `Only ${clientResults.length} of ${clientData.length} clients succeeded but minClients is ${minClients}; the round is dropped.\n` +
          `${errors.join('\n')}\nFix the failing clients or lower minClients.`,
      );
    }
    // The zero state makes the default sum well defined when no client succeeded.
    const train = this.options.metricsAggregator
      ? this.options.metricsAggregator(this.finalizers, metrics)
      : sumThenFinalize(this.finalizers, [this.zeroMetrics, ...metrics]);
    return { state, result: { clientResults, reports }, measurements: { train } };
  }

  private weigh(nonFinite: boolean, numExamples: number, byExamples: number, metrics: UnfinalizedMetrics): number {
    if (nonFinite) return 0;
    const w = this.options.clientWeighting ?? 'num_examples';
    if (w === 'num_examples') return byExamples;
    if (w === 'uniform') return numExamples > 0 ? 1 : 0;
    const value = w(metrics);
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new RangeError(`clientWeighting returned ${value}; a client weight must be a finite number >= 0.`);
    }
    return value;
  }
}
