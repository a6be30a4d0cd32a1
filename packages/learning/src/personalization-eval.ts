/**
 * Personalization evaluation, TFF's `tff.learning.algorithms.build_personalization_eval`
 * (Wang et al. 2019, "Federated Evaluation of On-device Personalization", arXiv:1910.10252):
 * every client receives the global model, evaluates it on its own test data (the baseline),
 * then, for each named personalization strategy, starts again from the global weights,
 * fine-tunes on its own train data and evaluates on its test data. The server collects the
 * per-client metrics of at most `maxNumClients` clients.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelWeights, ValueError, type ClientDataset, type FinalizedMetrics, type Model, type ModelWeightArrays, type OptimizerConfig } from '@fedkit/core';

import { ClientTrainingError } from './client-training-error.js';
import { createOptimizer } from './create-optimizer.js';
import { evaluateMetrics } from './evaluate-locally.js';
import { forEachBatch } from './for-each-batch.js';

/** Where a personalization strategy runs: the label that starts error messages, and the run's abort signal. */
export interface PersonalizeContext {
  readonly label: string;
  readonly signal?: AbortSignal;
}

/**
 * A personalization strategy (one entry of TFF's `personalize_fn_dict`): `model` holds the global
 * weights when it is called; it trains on `trainData`, evaluates on `testData` and returns the metrics.
 */
export type PersonalizeFn = (model: Model, trainData: ClientDataset, testData: ClientDataset, context: PersonalizeContext) => Promise<FinalizedMetrics>;

/** One client's input: TFF's `train_data` and `test_data`. Both are read once per strategy, so they must be re-iterable. */
export interface PersonalizationClientData {
  readonly trainData: ClientDataset;
  readonly testData: ClientDataset;
}

/** Options of {@link buildPersonalizationEval}. */
export interface PersonalizationEvalOptions {
  /** Evaluates the global model on a client's test data; default: the model's metrics after forward passes. */
  readonly baselineEvaluateFn?: (model: Model, testData: ClientDataset, context: PersonalizeContext) => Promise<FinalizedMetrics>;
  /** Metrics are collected from at most this many clients, sampled without replacement (TFF's default 100). */
  readonly maxNumClients?: number;
  /** Seeds that sample when more clients are given; default 0. */
  readonly seed?: number;
}

/** One client's metrics: `baseline_metrics` for the global model, then one entry per strategy name. */
export interface PersonalizationClientResult {
  /** The client's index in the list given to `evaluate`. */
  readonly clientIndex: number;
  readonly metrics: Readonly<Record<string, FinalizedMetrics>>;
}

/** Across clients, for one metric of one strategy (or of the baseline). */
export interface PersonalizationStat {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** Mean over clients of (this strategy's value − the client's baseline value); absent for the baseline itself. */
  readonly meanChangeFromBaseline?: number;
}

/** What {@link PersonalizationEval.evaluate} returns. */
export interface PersonalizationEvalOutput {
  /** Per-client metrics, in client order (TFF returns the same values as one list per metric). */
  readonly clients: readonly PersonalizationClientResult[];
  /** `summary[strategy][metric]`: mean, min and max over the clients that succeeded. */
  readonly summary: Readonly<Record<string, Readonly<Record<string, PersonalizationStat>>>>;
  /** Clients whose data or training failed (left out of `clients` and `summary`). */
  readonly failures: readonly { readonly clientIndex: number; readonly error: string }[];
}

/** A personalization evaluation computation. */
export interface PersonalizationEval {
  /** Evaluates `modelWeights` on each client before and after every personalization strategy (TFF's `build_personalization_eval` computation). */
  evaluate(modelWeights: ModelWeightArrays, clientData: readonly PersonalizationClientData[], options?: { readonly signal?: AbortSignal }): Promise<PersonalizationEvalOutput>;
}

const BASELINE = 'baseline_metrics';

/**
 * Builds personalization evaluation (TFF's `build_personalization_eval`). `modelFn` is called once; the
 * model is reset to the global weights before the baseline and before every strategy on every client.
 *
 * @throws ValueError when `baseline_metrics` names a strategy or `maxNumClients` is not a positive integer (as TFF raises).
 * @example
 * ```ts
 * const p13n = buildPersonalizationEval(modelFn, {
 *   sgd_1_epoch: fineTune({ optimizer: { name: 'sgd', learningRate: 0.1 }, epochs: 1 }),
 *   sgd_5_epochs: fineTune({ optimizer: { name: 'sgd', learningRate: 0.1 }, epochs: 5 }),
 * });
 * const { clients, summary } = await p13n.evaluate(process.getModelWeights(state), [{ trainData, testData }]);
 * console.log(summary.sgd_1_epoch.sparse_categorical_accuracy.meanChangeFromBaseline);
 * ```
 */
export function buildPersonalizationEval(
  modelFn: () => Model,
  personalizeFns: Readonly<Record<string, PersonalizeFn>>,
  options: PersonalizationEvalOptions = {},
): PersonalizationEval {
  if (Object.hasOwn(personalizeFns, BASELINE)) {
    throw new ValueError(`"${BASELINE}" names the global model's metrics; give the personalization strategy another name.`);
  }
  const maxNumClients = options.maxNumClients ?? 100;
  if (!Number.isInteger(maxNumClients) || maxNumClients <= 0) {
    throw new ValueError(`maxNumClients must be a positive integer, found ${String(maxNumClients)}.`);
  }
  const baselineEvaluate = options.baselineEvaluateFn ?? ((model, testData, context) => evaluateMetrics(model, testData, context));
  const model = modelFn();
  return {
    async evaluate(modelWeights, clientData, { signal } = {}) {
      const global = ModelWeights.fromArrays(modelWeights);
      const clients: PersonalizationClientResult[] = [];
      const failures: { clientIndex: number; error: string }[] = [];
      try {
        for (const clientIndex of sampleIndices(clientData.length, maxNumClients, options.seed ?? 0)) {
          const { trainData, testData } = clientData[clientIndex]!;
          const context = { label: `client ${clientIndex}`, ...(signal === undefined ? {} : { signal }) };
          try {
            global.assignWeightsTo(model);
            const metrics: Record<string, FinalizedMetrics> = { [BASELINE]: await baselineEvaluate(model, testData, context) };
            for (const [name, personalize] of Object.entries(personalizeFns)) {
              global.assignWeightsTo(model);
              metrics[name] = await personalize(model, trainData, testData, context);
            }
            clients.push({ clientIndex, metrics });
          } catch (e) {
            if (signal?.aborted === true) throw signal.reason;
            failures.push({ clientIndex, error: e instanceof Error ? e.message : String(e) });
          }
        }
      } finally {
        global.dispose();
      }
      return { clients, summary: summarize(clients, [BASELINE, ...Object.keys(personalizeFns)]), failures };
    },
  };
}

/** Options of {@link fineTune}. */
export interface FineTuneOptions {
  /** The local optimizer, Keras-style; a fresh one per client. */
  readonly optimizer: OptimizerConfig;
  /** Passes over the client's train data; default 1. */
  readonly epochs?: number;
}

/**
 * The usual personalization strategy (TFF's `p13n_utils.build_personalize_fn`): `epochs` passes of
 * optimizer steps over the client's train data, then the model's metrics on its test data, with
 * `num_train_examples` (examples seen while fine-tuning) added.
 * @throws ValueError for epochs that are not a positive integer, or a bad optimizer config.
 * @example
 * ```ts
 * const strategy = fineTune({ optimizer: { name: 'sgd', learningRate: 0.1 }, epochs: 2 });
 * ```
 */
export function fineTune(options: FineTuneOptions): PersonalizeFn {
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) throw new ValueError(`fineTune epochs must be a positive integer, found ${String(epochs)}.`);
  createOptimizer(options.optimizer).dispose(); // checks the config now, not on the first client
  return async (model, trainData, testData, context) => {
    const optimizer = createOptimizer(options.optimizer);
    let numTrainExamples = 0;
    try {
      for (let epoch = 0; epoch < epochs; epoch++) {
        const counts = await forEachBatch(
          model,
          trainData,
          (batch) => {
            let n = 0;
            optimizer.minimize(
              () => {
                const out = model.forwardPass(batch, true);
                n = out.numExamples;
                tf.dispose(out.predictions);
                return out.loss;
              },
              false,
              model.trainableVariables,
            );
            return n;
          },
          context,
        );
        numTrainExamples += counts.numExamples;
      }
    } catch (e) {
      throw e instanceof ClientTrainingError ? e : new ClientTrainingError(`${context.label}: fine-tuning failed: ${String(e)}`, numTrainExamples, 0);
    } finally {
      optimizer.dispose();
    }
    return { ...(await evaluateMetrics(model, testData, context)), num_train_examples: numTrainExamples };
  };
}

/** `min(count, max)` distinct indices in increasing order, a seeded uniform sample when `count > max`. */
function sampleIndices(count: number, max: number, seed: number): number[] {
  const all = Array.from({ length: count }, (_, i) => i);
  if (count <= max) return all;
  // Porting note: TFF keeps a reservoir sample of the clients' results; choosing the clients first gives the
  // same distribution without running the others. Seeded (mulberry32) so that a run is reproducible.
  let s = seed >>> 0;
  const random = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(random() * (count - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, max).sort((a, b) => a - b);
}

function summarize(clients: readonly PersonalizationClientResult[], names: readonly string[]): Record<string, Record<string, PersonalizationStat>> {
  const summary: Record<string, Record<string, PersonalizationStat>> = {};
  if (clients.length === 0) return summary;
  for (const name of names) {
    summary[name] = {};
    for (const metric of Object.keys(clients[0]!.metrics[name] ?? {})) {
      const values = clients.map((c) => c.metrics[name]?.[metric]).filter((v): v is number => typeof v === 'number');
      if (values.length === 0) continue;
      const stat: { mean: number; min: number; max: number; meanChangeFromBaseline?: number } = {
        mean: values.reduce((a, b) => a + b, 0) / values.length,
        min: Math.min(...values),
        max: Math.max(...values),
      };
      const changes = clients
        .map((c) => (typeof c.metrics[BASELINE]?.[metric] === 'number' ? c.metrics[name]![metric]! - c.metrics[BASELINE][metric] : undefined))
        .filter((v): v is number => v !== undefined);
      if (name !== BASELINE && changes.length > 0) stat.meanChangeFromBaseline = changes.reduce((a, b) => a + b, 0) / changes.length;
      summary[name][metric] = stat;
    }
  }
  return summary;
}
