import * as tf from '@tensorflow/tfjs';

import type { ClientUpdate, ClientUpdateContext, ClientUpdateOutput } from './client-update.js';
import { forEachBatch } from './for-each-batch.js';
import { modelDelta } from './model-delta.js';

/**
 * Optimizer steps over every batch of the client's data, minimizing the
 * model's loss plus `penalty()` when given (FedProx's proximal term); returns
 * `initial − trained` and `local_steps`. The loop of every local-training block.
 */
export async function trainLocally(context: ClientUpdateContext, penalty?: () => tf.Scalar): Promise<ClientUpdateOutput> {
  const { model, weights, dataset, optimizer, signal, label, deadline } = context;
  const vars = model.trainableVariables;
  const counts = await forEachBatch(
    model,
    dataset,
    (batch) => {
      let n = 0;
      optimizer!.minimize(
        () => {
          const out = model.forwardPass(batch, true);
          n = out.numExamples;
          return penalty === undefined ? out.loss : (tf.add(out.loss, penalty()) as tf.Scalar);
        },
        false,
        vars,
      );
      return n;
    },
    { label, ...(signal === undefined ? {} : { signal }), ...(deadline === undefined ? {} : { deadline }) },
  );
  return { update: modelDelta(weights.trainable, vars), ...counts, extra: { local_steps: counts.numBatches } };
}

/**
 * FedAvg's client update (TFF's `build_model_delta_client_work`): one pass of
 * optimizer steps over the client's data (repeat the data for local epochs);
 * the update is `initial − trained` over the trainable weights. Reports
 * `local_steps` (the number of batches) beside the update.
 *
 * @example
 * ```ts
 * const task = { ..., update: { name: 'local_training' }, optimizer: { name: 'sgd', learningRate: 0.1 } };
 * ```
 */
export const localTraining: ClientUpdate = {
  name: 'local_training',
  needsOptimizer: true,
  configKeys: [],
  run: (context) => trainLocally(context),
};
