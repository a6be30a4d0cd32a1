import { sumThenFinalize, type ClientDataset, type FinalizedMetrics, type Model } from '@fedkit/core';

import { forEachBatch, type BatchCounts } from './for-each-batch.js';

/**
 * Resets `model`'s metrics and runs `forwardPass(batch, false)` over every batch of
 * `dataset`, so that the model's metrics hold this dataset's (unfinalized) values.
 * The evaluation loop shared by federated and personalization evaluation.
 *
 * @throws ClientTrainingError when the data or a forward pass fails (message starts with `label:`).
 * @example
 * ```ts
 * await evaluateLocally(model, testBatches, { label: 'client 3' });
 * const unfinalized = model.reportLocalUnfinalizedMetrics();
 * ```
 */
export async function evaluateLocally(model: Model, dataset: ClientDataset, options: { readonly label: string; readonly signal?: AbortSignal }): Promise<BatchCounts> {
  model.resetMetrics();
  return forEachBatch(
    model,
    dataset,
    (batch) => {
      const out = model.forwardPass(batch, false, { inputChecked: true });
      out.loss.dispose();
      for (const p of Array.isArray(out.predictions) ? out.predictions : [out.predictions]) p.dispose();
      return out.numExamples;
    },
    options,
  );
}

/**
 * {@link evaluateLocally}, then the model's metrics finalized: `{ <metrics>, loss, num_examples, num_batches }`.
 * @example
 * ```ts
 * const { loss } = await evaluateMetrics(model, testBatches, { label: 'client 3' });
 * ```
 */
export async function evaluateMetrics(model: Model, dataset: ClientDataset, options: { readonly label: string; readonly signal?: AbortSignal }): Promise<FinalizedMetrics> {
  await evaluateLocally(model, dataset, options);
  return sumThenFinalize(model.metricFinalizers(), [model.reportLocalUnfinalizedMetrics()]);
}
