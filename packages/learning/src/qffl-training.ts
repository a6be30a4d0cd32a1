/**
 * q-FedAvg's client update — Li, Sanjabi, Beirami and Smith, "Fair Resource
 * Allocation in Federated Learning", ICLR 2020 (https://arxiv.org/abs/1905.10497).
 */
import { ValueError } from '@fedkit/core';

import type { ClientUpdate } from './client-update.js';
import { forEachBatch } from './for-each-batch.js';
import { trainLocally } from './local-training.js';

/**
 * q-FedAvg's client update: the mean loss Fₖ over the client's data at the
 * broadcast weights (a first pass, reported as `extra.initial_loss`), then
 * local training as FedAvg's. The dataset is read twice, so it must be re-iterable.
 *
 * @example
 * ```ts
 * const task = { ..., update: { name: 'qffl_training' }, optimizer: { name: 'sgd', learningRate: 0.1 } };
 * ```
 */
export const qfflTraining: ClientUpdate = {
  name: 'qffl_training',
  needsOptimizer: true,
  configKeys: [],
  async run(context) {
    const { model, dataset, signal, label, deadline } = context;
    let lossSum = 0;
    const first = await forEachBatch(
      model,
      dataset,
      (batch) => {
        const out = model.forwardPass(batch, false, { inputChecked: true });
        lossSum += out.loss.dataSync()[0]! * out.numExamples;
        out.loss.dispose();
        for (const p of Array.isArray(out.predictions) ? out.predictions : [out.predictions]) p.dispose();
        return out.numExamples;
      },
      { label, ...(signal === undefined ? {} : { signal }), ...(deadline === undefined ? {} : { deadline }) },
    );
    // The pass above fed the model's metrics; the reported metrics are the training pass's only.
    model.resetMetrics();
    const trained = await trainLocally(context);
    if (trained.numBatches !== first.numBatches) {
      throw new ValueError(
        `${label}: q-FedAvg reads the client's data twice (loss, then training) but the second pass had ${trained.numBatches} batches ` +
          `instead of ${first.numBatches}; give a re-iterable dataset (e.g. ClientBatches or a tfjs-data Dataset).`,
      );
    }
    return { ...trained, extra: { ...trained.extra, initial_loss: first.numExamples > 0 ? lossSum / first.numExamples : 0 } };
  },
};

