import * as tf from '@tensorflow/tfjs';
import type { Batch, BatchOutput } from '@fedkit/core';

import type { ClientUpdate, ClientUpdateContext, ClientUpdateOutput } from './client-update.js';
import { forEachBatch } from './for-each-batch.js';
import { FusedSgdOptimizer } from './fused-sgd-optimizer.js';
import { modelDelta } from './model-delta.js';

/**
 * Optimizer steps over every batch of the client's data, minimizing the
 * model's loss plus `penalty()` when given (FedProx's proximal term); returns
 * `initial − trained` and `local_steps`. The loop of every local-training block.
 */
export async function trainLocally(context: ClientUpdateContext, penalty?: () => tf.Scalar): Promise<ClientUpdateOutput> {
  const { model, weights, dataset, optimizer, signal, label, deadline } = context;
  const vars = model.trainableVariables;
  // Plain SGD on a model that can take the whole step in one kernel (a Dense stack on the wasm runtime) does;
  // the weights are those of the tape below.
  const fusedSteps =
    penalty === undefined &&
    // Not instanceof: tfjs's optimizers answer it by duck typing, so every optimizer would pass.
    FusedSgdOptimizer.prototype.isPrototypeOf(optimizer as object) &&
    model.sgdStep !== undefined && model.updateMetrics !== undefined;
  const counts = await forEachBatch(
    model,
    dataset,
    (batch) => {
      const fused = fusedSteps ? (optimizer as FusedSgdOptimizer).modelStep(model, batch) : undefined;
      if (fused !== undefined) return recordMetrics(model, batch, fused);
      if (model.updateMetrics === undefined) {
        let n = 0;
        optimizer!.minimize(
          () => {
            const out = model.forwardPass(batch, true, { inputChecked: true });
            n = out.numExamples;
            return penalty === undefined ? out.loss : (tf.add(out.loss, penalty()) as tf.Scalar);
          },
          false,
          vars,
        );
        return n;
      }
      // The metrics are updated after the step from the outputs it kept, so the gradient tape records
      // (and copies the inputs of) only what the gradient needs.
      let out: BatchOutput | undefined;
      const cost = optimizer!.minimize(
        () => {
          out = model.forwardPass(batch, true, { updateMetrics: false, inputChecked: true });
          tf.keep(out.loss);
          if (out.dataLoss !== undefined) tf.keep(out.dataLoss);
          for (const p of Array.isArray(out.predictions) ? out.predictions : [out.predictions]) tf.keep(p);
          return penalty === undefined ? out.loss : (tf.add(out.loss, penalty()) as tf.Scalar);
        },
        true,
        vars,
      );
      return recordMetrics(model, batch, out!, cost ?? undefined);
    },
    { label, ...(signal === undefined ? {} : { signal }), ...(deadline === undefined ? {} : { deadline }) },
  );
  const into = context.allocateUpdate?.(weights.trainable.map((a) => a.length));
  return { update: modelDelta(weights.trainable, vars, into), ...counts, extra: { local_steps: counts.numBatches } };
}

/** Updates the model's metrics from a step's kept outputs, then frees them (and `cost`); returns the batch's examples. */
function recordMetrics(model: ClientUpdateContext['model'], batch: Batch, out: BatchOutput, cost?: tf.Scalar): number {
  try {
    model.updateMetrics!(batch, out);
  } finally {
    tf.dispose([cost ?? [], out.loss, out.dataLoss ?? [], out.predictions].flat());
  }
  return out.numExamples;
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
