import {
  ModelWeights,
  sumThenFinalize,
  type ClientDataset,
  type ClientReport,
  type FinalizedMetrics,
  type Model,
  type ModelWeightArrays,
  type RoundOptions,
  type UnfinalizedMetrics,
} from '@fedkit/core';

import { ClientTrainingError } from './client-training-error.js';
import { forEachBatch } from './for-each-batch.js';

/** What {@link FederatedEvaluation.evaluate} returns. */
export interface EvaluationOutput {
  /** `{ <metrics>, loss, num_examples, num_batches }`, summed over successful clients then finalized. */
  readonly metrics: FinalizedMetrics;
  /** Number of clients that failed (dropped from the sums). */
  readonly failures: number;
  readonly clientReports: readonly ClientReport[];
}

/** A federated evaluation computation (TFF's `build_federated_evaluation`). */
export interface FederatedEvaluation {
  evaluate(modelWeights: ModelWeightArrays, clientData: readonly ClientDataset[], options?: RoundOptions): Promise<EvaluationOutput>;
}

/**
 * Builds federated evaluation: each client assigns `modelWeights`, runs
 * `forwardPass(batch, false)` over its data, and reports its unfinalized
 * metrics; the server sums them and finalizes (so the result equals the
 * metrics on the union of the clients' data). `modelFn` is called once.
 *
 * @example
 * ```ts
 * const evaluation = buildFederatedEvaluation(modelFn);
 * const { metrics } = await evaluation.evaluate(process.getModelWeights(state), testDatasets);
 * ```
 */
export function buildFederatedEvaluation(modelFn: () => Model): FederatedEvaluation {
  const model = modelFn();
  const finalizers = model.metricFinalizers();
  model.resetMetrics();
  const zero = model.reportLocalUnfinalizedMetrics();
  return {
    async evaluate(modelWeights, clientData, options = {}) {
      const w = ModelWeights.fromArrays(modelWeights);
      try {
        w.assignWeightsTo(model);
      } finally {
        w.dispose();
      }
      const perClient: UnfinalizedMetrics[] = [zero];
      const reports: ClientReport[] = [];
      for (let clientIndex = 0; clientIndex < clientData.length; clientIndex++) {
        const start = performance.now();
        const label = `client ${options.clientIds?.[clientIndex] ?? clientIndex}`;
        model.resetMetrics();
        try {
          const counts = await forEachBatch(
            model,
            clientData[clientIndex]!,
            (batch) => {
              const out = model.forwardPass(batch, false, { inputChecked: true });
              out.loss.dispose();
              for (const p of Array.isArray(out.predictions) ? out.predictions : [out.predictions]) p.dispose();
              return out.numExamples;
            },
            { label, ...(options.signal === undefined ? {} : { signal: options.signal }) },
          );
          perClient.push(model.reportLocalUnfinalizedMetrics());
          reports.push({ clientIndex, ok: true, ...counts, updateWeight: counts.numExamples, updateNonFinite: false, ms: performance.now() - start });
        } catch (e) {
          if (options.signal?.aborted === true) throw options.signal.reason;
          const failed = e instanceof ClientTrainingError ? e : undefined;
          reports.push({
            clientIndex,
            ok: false,
            numExamples: failed?.numExamples ?? 0,
            numBatches: failed?.numBatches ?? 0,
            updateWeight: 0,
            updateNonFinite: false,
            ms: performance.now() - start,
            error: e instanceof Error ? e.message : String(e),
          });
        }
      }
      return {
        metrics: sumThenFinalize(finalizers, perClient),
        failures: reports.filter((r) => !r.ok).length,
        clientReports: reports,
      };
    },
  };
}
